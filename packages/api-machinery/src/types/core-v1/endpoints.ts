// core/v1 Endpoints: the addresses and ports backing a service (legacy form of EndpointSlices).
import type { JsonObject } from '../../json.js';
import type { KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { child, fieldErrors, index, type FieldError } from '../../validation/field-error.js';
import { invalidEach, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, validateIP, validateNonSpecialIP } from './checks.js';
import { arrAt, objItems, strAt } from './json-access.js';
import { core, kindSchema } from './kind-schema.js';

const ENDPOINTS = core('Endpoints');
const SUBSET = core('EndpointSubset');
const ADDRESS = core('EndpointAddress');
const PORT = core('EndpointPort');

export const endpointsSchemas: Record<string, Schema> = {
  [ENDPOINTS]: kindSchema({ group: '', version: 'v1', kind: 'Endpoints' }, 'The network endpoints implementing a service, grouped by the ports they serve.', {
    subsets: s.array(s.ref(SUBSET), 'Groups of addresses that all serve the same ports.', { listType: 'atomic' }),
  }),
  [SUBSET]: s.object(
    {
      addresses: s.array(s.ref(ADDRESS), 'Ready addresses serving the ports.', { listType: 'atomic' }),
      notReadyAddresses: s.array(s.ref(ADDRESS), 'Addresses not (yet) ready to serve the ports.', { listType: 'atomic' }),
      ports: s.array(s.ref(PORT), 'Ports served by every address of the subset.', { listType: 'atomic' }),
    },
    'A set of addresses sharing a set of ports.',
  ),
  [ADDRESS]: s.object(
    {
      ip: s.string('IP address of the endpoint.'),
      hostname: s.string('Hostname of the endpoint (a DNS label).'),
      nodeName: s.string('Node hosting the endpoint.'),
      targetRef: s.ref(core('ObjectReference'), 'Object providing the endpoint, usually a pod.'),
    },
    'One endpoint address.',
    { mapType: 'atomic' },
  ),
  [PORT]: s.object(
    {
      name: s.string('Name of the port, matching the service port name; required when a subset has several ports.'),
      port: s.int32('Port number.', { validate: ['port-number'] }),
      protocol: s.enumOf(['SCTP', 'TCP', 'UDP'], 'IP protocol of the port.', { default: 'TCP' }),
      appProtocol: s.string('Application protocol of the port.'),
    },
    'One port of an endpoint subset.',
    { mapType: 'atomic' },
  ),
};

function validateAddress(addr: JsonObject, p: string): FieldError[] {
  const ip = strAt(addr, 'ip') ?? '';
  const errs = validateIP(child(p, 'ip'), ip);
  const hostname = strAt(addr, 'hostname');
  if (hostname) errs.push(...invalidEach(child(p, 'hostname'), hostname, isDNS1123Label(hostname)));
  const nodeName = strAt(addr, 'nodeName');
  if (nodeName !== undefined) errs.push(...invalidEach(child(p, 'nodeName'), nodeName, isDNS1123Subdomain(nodeName)));
  return [...errs, ...validateNonSpecialIP(child(p, 'ip'), ip)];
}

export const endpointsValidators: Record<string, Validator> = {
  [SUBSET]: (subset, p) => {
    const errs: FieldError[] = [];
    if (!arrAt(subset, 'addresses')?.length && !arrAt(subset, 'notReadyAddresses')?.length)
      errs.push(fieldErrors.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    for (const which of ['addresses', 'notReadyAddresses'])
      for (const [i, addr] of objItems(subset, which)) errs.push(...validateAddress(addr, index(child(p, which), i)));
    const ports = objItems(subset, 'ports');
    for (const [i, port] of ports) {
      const pp = index(child(p, 'ports'), i);
      const name = strAt(port, 'name') ?? '';
      if (ports.length > 1 && !name) errs.push(fieldErrors.required(child(pp, 'name')));
      else if (name) errs.push(...invalidEach(child(pp, 'name'), name, isDNS1123Label(name)));
      // A missing port reads as 0 in Go; present values are range-checked by the schema.
      if (port.port === undefined) errs.push(fieldErrors.invalid(child(pp, 'port'), 0, 'must be between 1 and 65535, inclusive'));
      const app = strAt(port, 'appProtocol');
      if (app !== undefined) errs.push(...invalidEach(child(pp, 'appProtocol'), app, isQualifiedName(app)));
    }
    return errs;
  },
};

export const endpointsKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  schema: ENDPOINTS,
};
