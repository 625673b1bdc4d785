// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// networking.k8s.io/v1 (io.k8s.api.networking.v1): types of the objects as the API serves them.
import type { TypedLocalObjectReference } from './core-v1.js';
import type { LabelSelector, ListMeta, ObjectMeta } from './meta-v1.js';

/** Routes outside HTTP(S) traffic to Services by host and path. */
export interface Ingress {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Desired routing of the Ingress. */
  spec?: IngressSpec;
  /** Current state of the Ingress, such as its load balancer addresses. */
  status?: IngressStatus;
}

/** A list of Ingress objects. */
export interface IngressList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Ingress objects. */
  items: Ingress[];
}

/** Desired routing of an Ingress: rules, a default backend and TLS settings. */
export interface IngressSpec {
  /** Name of the IngressClass whose controller implements this Ingress. */
  ingressClassName?: string;
  /** Where requests no rule matches go. */
  defaultBackend?: IngressBackend;
  /** TLS termination: which hosts use which certificate Secret. */
  tls?: IngressTLS[];
  /** Host rules; requests matching none go to defaultBackend. */
  rules?: IngressRule[];
}

/** TLS settings for a set of hosts. */
export interface IngressTLS {
  /** Hosts covered by the certificate; defaults to the wildcard host of the controller. */
  hosts?: string[];
  /** Secret holding the certificate and key; may be empty for SNI-only setups. */
  secretName?: string;
}

/** Current state of an Ingress. */
export interface IngressStatus {
  /** The load balancer in front of the Ingress. */
  loadBalancer?: IngressLoadBalancerStatus;
}

/** The load balancer of an Ingress. */
export interface IngressLoadBalancerStatus {
  /** Ingress points of the load balancer. */
  ingress?: IngressLoadBalancerIngress[];
}

/** One ingress point of a load balancer. */
export interface IngressLoadBalancerIngress {
  /** IP address of the ingress point. */
  ip?: string;
  /** DNS name of the ingress point. */
  hostname?: string;
  /** Ports of the ingress point. */
  ports?: IngressPortStatus[];
}

/** Status of one port of an ingress point. */
export interface IngressPortStatus {
  /** Port number of the ingress port. */
  port?: number;
  /** Protocol of the ingress port: TCP, UDP or SCTP. */
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** Problem with the port, as a CamelCase reason or domain-prefixed name. */
  error?: string;
}

/** Routes the requests for one host. */
export interface IngressRule {
  /** Fully qualified host name (or *.wildcard) the rule applies to; empty means every host. */
  host?: string;
  /** HTTP paths of the rule. */
  http?: HTTPIngressRuleValue;
}

/** HTTP paths of a rule. */
export interface HTTPIngressRuleValue {
  /** Paths mapped to backends. */
  paths: HTTPIngressPath[];
}

/** A path and the backend its requests go to. */
export interface HTTPIngressPath {
  /** Path to match, starting with "/". */
  path?: string;
  /** How path matches: Exact, Prefix (by path elements) or ImplementationSpecific. */
  pathType?: 'Exact' | 'ImplementationSpecific' | 'Prefix';
  /** Where matching requests go. */
  backend?: IngressBackend;
}

/** Where requests go: a Service port or another resource. */
export interface IngressBackend {
  /** A Service port; exclusive with resource. */
  service?: IngressServiceBackend;
  /** Another object in the namespace; exclusive with service. */
  resource?: TypedLocalObjectReference;
}

/** A Service port as a backend. */
export interface IngressServiceBackend {
  /** Name of the Service. */
  name?: string;
  /** Port of the Service, by name or number. */
  port?: ServiceBackendPort;
}

/** A Service port by name or number. */
export interface ServiceBackendPort {
  /** Name of the Service port; exclusive with number. */
  name?: string;
  /** Number of the Service port; exclusive with name. */
  number?: number;
}

/** A class of Ingresses and the controller that implements them. */
export interface IngressClass {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** The controller and its parameters. */
  spec?: IngressClassSpec;
}

/** A list of IngressClass objects. */
export interface IngressClassList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The IngressClass objects. */
  items: IngressClass[];
}

/** The controller of an IngressClass. */
export interface IngressClassSpec {
  /** Domain-prefixed name of the controller, e.g. example.com/ingress-controller. */
  controller?: string;
  /** Object holding controller-specific configuration. */
  parameters?: IngressClassParametersReference;
}

/** Refers to the object that configures an IngressClass controller. */
export interface IngressClassParametersReference {
  /** API group of the referenced object; empty for the core group. */
  apiGroup?: string;
  /** Kind of the referenced object. */
  kind?: string;
  /** Name of the referenced object. */
  name?: string;
  /** Whether the object is cluster-scoped or namespaced. */
  scope?: 'Cluster' | 'Namespace';
  /** Namespace of the object when scope is Namespace. */
  namespace?: string;
}

/** Allows network traffic to and from selected pods. */
export interface NetworkPolicy {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Which pods the policy selects and which traffic it allows. */
  spec?: NetworkPolicySpec;
}

/** A list of NetworkPolicy objects. */
export interface NetworkPolicyList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The NetworkPolicy objects. */
  items: NetworkPolicy[];
}

/** Selected pods and the traffic allowed for them. */
export interface NetworkPolicySpec {
  /** Pods the policy applies to; empty selects every pod of the namespace. */
  podSelector?: LabelSelector;
  /** Incoming traffic allowed to the selected pods. */
  ingress?: NetworkPolicyIngressRule[];
  /** Outgoing traffic allowed from the selected pods. */
  egress?: NetworkPolicyEgressRule[];
  /** Directions the policy restricts: Ingress, Egress or both. */
  policyTypes?: ('Ingress' | 'Egress')[];
}

/** Incoming traffic matching both ports and from is allowed. */
export interface NetworkPolicyIngressRule {
  /** Destination ports allowed; empty allows every port. */
  ports?: NetworkPolicyPort[];
  /** Sources allowed; empty allows every source. */
  from?: NetworkPolicyPeer[];
}

/** Outgoing traffic matching both ports and to is allowed. */
export interface NetworkPolicyEgressRule {
  /** Destination ports allowed; empty allows every port. */
  ports?: NetworkPolicyPort[];
  /** Destinations allowed; empty allows every destination. */
  to?: NetworkPolicyPeer[];
}

/** A port (or port range) and protocol. */
export interface NetworkPolicyPort {
  /** Protocol of the traffic: TCP, UDP or SCTP. */
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** Port number or named container port; unset means every port. */
  port?: number | string;
  /** Last port of a range starting at port (numeric port only). */
  endPort?: number;
}

/** A traffic source or destination: pods, namespaces or an IP block. */
export interface NetworkPolicyPeer {
  /** Pods, in the policy namespace or those namespaceSelector picks. */
  podSelector?: LabelSelector;
  /** Namespaces whose pods (all, or those podSelector picks) are allowed. */
  namespaceSelector?: LabelSelector;
  /** An IP range; exclusive with the selectors. */
  ipBlock?: IPBlock;
}

/** An IP range with optional exclusions. */
export interface IPBlock {
  /** The IP range, e.g. 192.168.1.0/24 or 2001:db8::/64. */
  cidr: string;
  /** Sub-ranges of cidr that are not included. */
  except?: string[];
}
