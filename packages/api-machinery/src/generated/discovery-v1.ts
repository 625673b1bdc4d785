// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// discovery.k8s.io/v1 (io.k8s.api.discovery.v1): types of the objects as the API serves them.
import type { ObjectReference } from './core-v1.js';
import type { ListMeta, ObjectMeta } from './meta-v1.js';

/** A subset of the endpoints of a service (named by the kubernetes.io/service-name label), all of one address type. */
export interface EndpointSlice {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Type of every address in the slice; fixed after creation. */
  addressType: 'FQDN' | 'IPv4' | 'IPv6';
  /** Endpoints of the slice, at most 1000. */
  endpoints?: Endpoint[];
  /** Ports every endpoint exposes, at most 100; empty means all ports. */
  ports?: EndpointPort[];
}

/** A list of EndpointSlice objects. */
export interface EndpointSliceList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The EndpointSlice objects. */
  items: EndpointSlice[];
}

/** One backend of a service. */
export interface Endpoint {
  /** Addresses of the endpoint, 1 to 100; consumers use the first one. */
  addresses?: string[];
  /** Current state of the endpoint. */
  conditions?: EndpointConditions;
  /** Hostname of the endpoint (a DNS label), used for DNS records. */
  hostname?: string;
  /** Object providing the endpoint, usually a pod. */
  targetRef?: ObjectReference;
  /** Deprecated topology labels of the endpoint; use nodeName and zone. */
  deprecatedTopology?: Record<string, string>;
  /** Node hosting the endpoint. */
  nodeName?: string;
  /** Zone the endpoint is in. */
  zone?: string;
  /** Hints for topology-aware routing. */
  hints?: EndpointHints;
}

/** State of an endpoint. */
export interface EndpointConditions {
  /** The endpoint is ready to receive traffic; unknown when absent. */
  ready?: boolean;
  /** The endpoint can serve traffic, even while terminating. */
  serving?: boolean;
  /** The endpoint is shutting down. */
  terminating?: boolean;
}

/** Routing hints for an endpoint. */
export interface EndpointHints {
  /** Zones that should use this endpoint, at most 8. */
  forZones?: ForZone[];
}

/** A zone that should consume an endpoint. */
export interface ForZone {
  /** Name of the zone. */
  name?: string;
}

/** A port exposed by the endpoints of a slice. */
export interface EndpointPort {
  /** Name of the port, unique in the slice; matches the service port name. */
  name?: string;
  /** IP protocol of the port. */
  protocol?: 'SCTP' | 'TCP' | 'UDP';
  /** Port number; absent means all ports. */
  port?: number;
  /** Application protocol of the port. */
  appProtocol?: string;
}
