// networking.k8s.io/v1 component schemas: Ingress, IngressClass and NetworkPolicy (field types and patch
// metadata as in k8s.io/api/networking/v1).
import { s, type Schema } from '../../schema/schema.js';
import { kindSchema, listSchema } from '../apps-v1/helpers.js';
import { LABEL_SELECTOR } from '../meta-v1/schemas.js';

export const NET = 'io.k8s.api.networking.v1';
export const GROUP = 'networking.k8s.io';
export const VERSION = 'v1';

export const INGRESS = `${NET}.Ingress`;
export const INGRESS_SPEC = `${NET}.IngressSpec`;
export const INGRESS_RULE = `${NET}.IngressRule`;
export const HTTP_INGRESS_PATH = `${NET}.HTTPIngressPath`;
export const INGRESS_BACKEND = `${NET}.IngressBackend`;
export const INGRESS_TLS = `${NET}.IngressTLS`;
export const INGRESS_LB_INGRESS = `${NET}.IngressLoadBalancerIngress`;
export const INGRESS_CLASS = `${NET}.IngressClass`;
export const INGRESS_CLASS_SPEC = `${NET}.IngressClassSpec`;
export const INGRESS_CLASS_PARAMS = `${NET}.IngressClassParametersReference`;
export const NETWORK_POLICY = `${NET}.NetworkPolicy`;
export const NETWORK_POLICY_SPEC = `${NET}.NetworkPolicySpec`;
export const NETWORK_POLICY_PORT = `${NET}.NetworkPolicyPort`;
export const NETWORK_POLICY_PEER = `${NET}.NetworkPolicyPeer`;
export const IP_BLOCK = `${NET}.IPBlock`;

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export const networkingSchemas: Record<string, Schema> = {
  // --- Ingress
  [INGRESS]: kindSchema(GROUP, VERSION, 'Ingress', 'Routes outside HTTP(S) traffic to Services by host and path.', {
    spec: s.ref(INGRESS_SPEC, 'Desired routing of the Ingress.'),
    status: s.ref(`${NET}.IngressStatus`, 'Current state of the Ingress, such as its load balancer addresses.'),
  }),
  [`${NET}.IngressList`]: listSchema(GROUP, VERSION, 'Ingress', INGRESS),
  [INGRESS_SPEC]: s.object(
    {
      ingressClassName: s.string('Name of the IngressClass whose controller implements this Ingress.', { validate: ['dns1123-subdomain'] }),
      defaultBackend: s.ref(INGRESS_BACKEND, 'Where requests no rule matches go.'),
      tls: s.array(s.ref(INGRESS_TLS), 'TLS termination: which hosts use which certificate Secret.', { listType: 'atomic' }),
      rules: s.array(s.ref(INGRESS_RULE), 'Host rules; requests matching none go to defaultBackend.', { listType: 'atomic' }),
    },
    'Desired routing of an Ingress: rules, a default backend and TLS settings.',
  ),
  [INGRESS_TLS]: s.object(
    {
      hosts: s.array(s.string(), 'Hosts covered by the certificate; defaults to the wildcard host of the controller.', { listType: 'atomic' }),
      secretName: s.string('Secret holding the certificate and key; may be empty for SNI-only setups.'),
    },
    'TLS settings for a set of hosts.',
  ),
  [`${NET}.IngressStatus`]: s.object(
    { loadBalancer: s.ref(`${NET}.IngressLoadBalancerStatus`, 'The load balancer in front of the Ingress.') },
    'Current state of an Ingress.',
  ),
  [`${NET}.IngressLoadBalancerStatus`]: s.object(
    { ingress: s.array(s.ref(INGRESS_LB_INGRESS), 'Ingress points of the load balancer.', { listType: 'atomic' }) },
    'The load balancer of an Ingress.',
  ),
  [INGRESS_LB_INGRESS]: s.object(
    {
      ip: s.string('IP address of the ingress point.'),
      hostname: s.string('DNS name of the ingress point.'),
      ports: s.array(s.ref(`${NET}.IngressPortStatus`), 'Ports of the ingress point.', { listType: 'atomic' }),
    },
    'One ingress point of a load balancer.',
  ),
  [`${NET}.IngressPortStatus`]: s.object(
    {
      port: s.int32('Port number of the ingress port.'),
      protocol: s.enumOf(PROTOCOLS, 'Protocol of the ingress port: TCP, UDP or SCTP.'),
      error: s.string('Problem with the port, as a CamelCase reason or domain-prefixed name.'),
    },
    'Status of one port of an ingress point.',
  ),
  [INGRESS_RULE]: s.object(
    {
      host: s.string('Fully qualified host name (or *.wildcard) the rule applies to; empty means every host.'),
      http: s.ref(`${NET}.HTTPIngressRuleValue`, 'HTTP paths of the rule.'),
    },
    'Routes the requests for one host.',
  ),
  [`${NET}.HTTPIngressRuleValue`]: s.object(
    { paths: s.array(s.ref(HTTP_INGRESS_PATH), 'Paths mapped to backends.', { listType: 'atomic' }) },
    'HTTP paths of a rule.',
    { required: ['paths'] },
  ),
  [HTTP_INGRESS_PATH]: s.object(
    {
      path: s.string('Path to match, starting with "/".'),
      pathType: s.enumOf(['Exact', 'ImplementationSpecific', 'Prefix'], 'How path matches: Exact, Prefix (by path elements) or ImplementationSpecific.'),
      backend: s.ref(INGRESS_BACKEND, 'Where matching requests go.'),
    },
    'A path and the backend its requests go to.',
  ),
  [INGRESS_BACKEND]: s.object(
    {
      service: s.ref(`${NET}.IngressServiceBackend`, 'A Service port; exclusive with resource.'),
      resource: s.ref('io.k8s.api.core.v1.TypedLocalObjectReference', 'Another object in the namespace; exclusive with service.'),
    },
    'Where requests go: a Service port or another resource.',
  ),
  [`${NET}.IngressServiceBackend`]: s.object(
    {
      name: s.string('Name of the Service.'),
      port: s.ref(`${NET}.ServiceBackendPort`, 'Port of the Service, by name or number.'),
    },
    'A Service port as a backend.',
  ),
  [`${NET}.ServiceBackendPort`]: s.object(
    {
      name: s.string('Name of the Service port; exclusive with number.'),
      number: s.int32('Number of the Service port; exclusive with name.'),
    },
    'A Service port by name or number.',
    { mapType: 'atomic' },
  ),

  // --- IngressClass
  [INGRESS_CLASS]: kindSchema(GROUP, VERSION, 'IngressClass', 'A class of Ingresses and the controller that implements them.', {
    // Go always serializes this value field, and validates an empty one (controller is then missing).
    spec: s.ref(INGRESS_CLASS_SPEC, 'The controller and its parameters.', { default: {} }),
  }),
  [`${NET}.IngressClassList`]: listSchema(GROUP, VERSION, 'IngressClass', INGRESS_CLASS),
  [INGRESS_CLASS_SPEC]: s.object(
    {
      controller: s.string('Domain-prefixed name of the controller, e.g. example.com/ingress-controller.', { maxLength: 250, immutable: true }),
      parameters: s.ref(INGRESS_CLASS_PARAMS, 'Object holding controller-specific configuration.'),
    },
    'The controller of an IngressClass.',
  ),
  [INGRESS_CLASS_PARAMS]: s.object(
    {
      apiGroup: s.string('API group of the referenced object; empty for the core group.', { validate: ['dns1123-subdomain'] }),
      kind: s.string('Kind of the referenced object.'),
      name: s.string('Name of the referenced object.'),
      scope: s.enumOf(['Cluster', 'Namespace'], 'Whether the object is cluster-scoped or namespaced.', { default: 'Cluster' }),
      namespace: s.string('Namespace of the object when scope is Namespace.'),
    },
    'Refers to the object that configures an IngressClass controller.',
  ),

  // --- NetworkPolicy
  [NETWORK_POLICY]: kindSchema(GROUP, VERSION, 'NetworkPolicy', 'Allows network traffic to and from selected pods.', {
    spec: s.ref(NETWORK_POLICY_SPEC, 'Which pods the policy selects and which traffic it allows.', { default: {} }),
  }),
  [`${NET}.NetworkPolicyList`]: listSchema(GROUP, VERSION, 'NetworkPolicy', NETWORK_POLICY),
  [NETWORK_POLICY_SPEC]: s.object(
    {
      // Go always serializes this value field; an omitted selector is the empty one (every pod of the namespace).
      podSelector: s.ref(LABEL_SELECTOR, 'Pods the policy applies to; empty selects every pod of the namespace.', { default: {} }),
      ingress: s.array(s.ref(`${NET}.NetworkPolicyIngressRule`), 'Incoming traffic allowed to the selected pods.', { listType: 'atomic' }),
      egress: s.array(s.ref(`${NET}.NetworkPolicyEgressRule`), 'Outgoing traffic allowed from the selected pods.', { listType: 'atomic' }),
      policyTypes: s.array(s.enumOf(['Ingress', 'Egress']), 'Directions the policy restricts: Ingress, Egress or both.', { listType: 'atomic' }),
    },
    'Selected pods and the traffic allowed for them.',
  ),
  [`${NET}.NetworkPolicyIngressRule`]: s.object(
    {
      ports: s.array(s.ref(NETWORK_POLICY_PORT), 'Destination ports allowed; empty allows every port.', { listType: 'atomic' }),
      from: s.array(s.ref(NETWORK_POLICY_PEER), 'Sources allowed; empty allows every source.', { listType: 'atomic' }),
    },
    'Incoming traffic matching both ports and from is allowed.',
  ),
  [`${NET}.NetworkPolicyEgressRule`]: s.object(
    {
      ports: s.array(s.ref(NETWORK_POLICY_PORT), 'Destination ports allowed; empty allows every port.', { listType: 'atomic' }),
      to: s.array(s.ref(NETWORK_POLICY_PEER), 'Destinations allowed; empty allows every destination.', { listType: 'atomic' }),
    },
    'Outgoing traffic matching both ports and to is allowed.',
  ),
  [NETWORK_POLICY_PORT]: s.object(
    {
      protocol: s.enumOf(PROTOCOLS, 'Protocol of the traffic: TCP, UDP or SCTP.', { default: 'TCP' }),
      port: s.intOrString('Port number or named container port; unset means every port.'),
      endPort: s.int32('Last port of a range starting at port (numeric port only).'),
    },
    'A port (or port range) and protocol.',
  ),
  [NETWORK_POLICY_PEER]: s.object(
    {
      podSelector: s.ref(LABEL_SELECTOR, 'Pods, in the policy namespace or those namespaceSelector picks.'),
      namespaceSelector: s.ref(LABEL_SELECTOR, 'Namespaces whose pods (all, or those podSelector picks) are allowed.'),
      ipBlock: s.ref(IP_BLOCK, 'An IP range; exclusive with the selectors.'),
    },
    'A traffic source or destination: pods, namespaces or an IP block.',
  ),
  [IP_BLOCK]: s.object(
    {
      cidr: s.string('The IP range, e.g. 192.168.1.0/24 or 2001:db8::/64.'),
      except: s.array(s.string(), 'Sub-ranges of cidr that are not included.', { listType: 'atomic' }),
    },
    'An IP range with optional exclusions.',
    { required: ['cidr'] },
  ),
};
