// discovery.k8s.io/v1: EndpointSlice, the scalable replacement of core Endpoints.
import type { JsonObject } from '../../json.js';
import type { KindDefinition, SchemaModule } from '../../schema/module.js';
import { s } from '../../schema/schema.js';
import { child, fieldErrors, index, type FieldError } from '../../validation/field-error.js';
import {
  invalidEach,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateFQDN,
  validateIPv4,
  validateIPv6,
  validateLabelsAt,
  validateNonSpecialIP,
} from '../core-v1/checks.js';
import { arrAt, objAt, objItems, strAt, strItems, strMapAt } from '../core-v1/json-access.js';
import { core, kindSchema } from '../core-v1/kind-schema.js';

const D = 'io.k8s.api.discovery.v1';
const SLICE = `${D}.EndpointSlice`;
const ENDPOINT = `${D}.Endpoint`;
/** Label naming the Service an EndpointSlice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;

export const discoveryModule: SchemaModule = {
  schemas: {
    [SLICE]: kindSchema(
      { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
      `A subset of the endpoints of a service (named by the ${SERVICE_NAME_LABEL} label), all of one address type.`,
      {
        addressType: s.enumOf(['FQDN', 'IPv4', 'IPv6'], 'Type of every address in the slice; fixed after creation.', { immutable: true }),
        endpoints: s.array(s.ref(ENDPOINT), 'Endpoints of the slice, at most 1000.', { listType: 'atomic', maxItems: MAX_ENDPOINTS }),
        ports: s.array(s.ref(`${D}.EndpointPort`), 'Ports every endpoint exposes, at most 100; empty means all ports.', {
          listType: 'atomic',
          maxItems: MAX_PORTS,
        }),
      },
      ['addressType'],
    ),
    [ENDPOINT]: s.object(
      {
        addresses: s.array(s.string(), 'Addresses of the endpoint, 1 to 100; consumers use the first one.', { listType: 'set', maxItems: MAX_ADDRESSES }),
        // Go always serializes this struct.
        conditions: s.ref(`${D}.EndpointConditions`, 'Current state of the endpoint.', { default: {} }),
        hostname: s.string('Hostname of the endpoint (a DNS label), used for DNS records.'),
        targetRef: s.ref(core('ObjectReference'), 'Object providing the endpoint, usually a pod.'),
        deprecatedTopology: s.map(s.string(), 'Deprecated topology labels of the endpoint; use nodeName and zone.'),
        nodeName: s.string('Node hosting the endpoint.'),
        zone: s.string('Zone the endpoint is in.'),
        hints: s.ref(`${D}.EndpointHints`, 'Hints for topology-aware routing.'),
      },
      'One backend of a service.',
    ),
    [`${D}.EndpointConditions`]: s.object(
      {
        ready: s.boolean('The endpoint is ready to receive traffic; unknown when absent.'),
        serving: s.boolean('The endpoint can serve traffic, even while terminating.'),
        terminating: s.boolean('The endpoint is shutting down.'),
      },
      'State of an endpoint.',
    ),
    [`${D}.EndpointHints`]: s.object(
      { forZones: s.array(s.ref(`${D}.ForZone`), 'Zones that should use this endpoint, at most 8.', { listType: 'atomic', maxItems: MAX_ZONE_HINTS }) },
      'Routing hints for an endpoint.',
    ),
    [`${D}.ForZone`]: s.object({ name: s.string('Name of the zone.') }, 'A zone that should consume an endpoint.'),
    [`${D}.EndpointPort`]: s.object(
      {
        name: s.string('Name of the port, unique in the slice; matches the service port name.', { default: '' }),
        protocol: s.enumOf(['SCTP', 'TCP', 'UDP'], 'IP protocol of the port.', { default: 'TCP' }),
        port: s.int32('Port number; absent means all ports.'),
        appProtocol: s.string('Application protocol of the port.'),
      },
      'A port exposed by the endpoints of a slice.',
      { mapType: 'atomic' },
    ),
  },
  validators: {
    [SLICE]: (slice, path) => {
      const errs: FieldError[] = [];
      const addressType = strAt(slice, 'addressType') ?? '';
      for (const [i, ep] of objItems(slice, 'endpoints')) errs.push(...validateEndpoint(ep, index(child(path, 'endpoints'), i), addressType));
      const names = new Set<string>();
      for (const [i, port] of objItems(slice, 'ports')) {
        const p = index(child(path, 'ports'), i);
        const name = strAt(port, 'name') ?? '';
        if (name) errs.push(...invalidEach(child(p, 'name'), name, isDNS1123Label(name)));
        if (names.has(name)) errs.push(fieldErrors.duplicate(child(p, 'name'), name));
        names.add(name);
        const app = strAt(port, 'appProtocol');
        if (app !== undefined) errs.push(...invalidEach(child(p, 'appProtocol'), app, isQualifiedName(app)));
      }
      return errs;
    },
  },
};

function validateEndpoint(ep: JsonObject, p: string, addressType: string): FieldError[] {
  const errs: FieldError[] = [];
  const addrPath = child(p, 'addresses');
  if (!arrAt(ep, 'addresses')?.length) errs.push(fieldErrors.required(addrPath, 'must contain at least 1 address'));
  for (const [i, addr] of strItems(ep, 'addresses')) {
    const ap = index(addrPath, i);
    if (addressType === 'IPv4') errs.push(...validateIPv4(ap, addr), ...validateNonSpecialIP(ap, addr));
    else if (addressType === 'IPv6') errs.push(...validateIPv6(ap, addr), ...validateNonSpecialIP(ap, addr));
    else if (addressType === 'FQDN') errs.push(...validateFQDN(ap, addr));
  }
  const nodeName = strAt(ep, 'nodeName');
  if (nodeName !== undefined) errs.push(...invalidEach(child(p, 'nodeName'), nodeName, isDNS1123Subdomain(nodeName)));
  const topology = strMapAt(ep, 'deprecatedTopology') ?? {};
  const topoPath = child(p, 'deprecatedTopology');
  if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS) errs.push(fieldErrors.tooMany(topoPath, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
  errs.push(...validateLabelsAt(topology, topoPath));
  const hostname = strAt(ep, 'hostname');
  if (hostname !== undefined) errs.push(...invalidEach(child(p, 'hostname'), hostname, isDNS1123Label(hostname)));
  const zones = new Set<string>();
  for (const [i, zone] of objItems(objAt(ep, 'hints'), 'forZones')) {
    const zp = child(index(child(child(p, 'hints'), 'forZones'), i), 'name');
    const name = strAt(zone, 'name') ?? '';
    if (zones.has(name)) errs.push(fieldErrors.duplicate(zp, name));
    zones.add(name);
    errs.push(...invalidEach(zp, name, isValidLabelValue(name)));
  }
  return errs;
}

export const discoveryKinds: KindDefinition[] = [
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    singular: 'endpointslice',
    namespaced: true,
    schema: SLICE,
  },
];

/** The Service an EndpointSlice belongs to, from its label (controllers and kube-proxy group slices by it). */
export const endpointSliceServiceName = (slice: JsonObject): string | undefined => strMapAt(objAt(slice, 'metadata'), 'labels')?.[SERVICE_NAME_LABEL];
