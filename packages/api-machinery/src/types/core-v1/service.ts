// core/v1 Service: a stable virtual address (or DNS name) in front of a set of pods.
import { isJsonObject, type JsonObject, type JsonValue } from '../../json.js';
import type { Defaulter, KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { child, fieldErrors, index, key, type FieldError } from '../../validation/field-error.js';
import {
  invalidEach,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDualStack,
  isIPv6String,
  isQualifiedName,
  isValidPortName,
  validateCIDR,
  validateIP,
  validateLabelsAt,
  validateNonSpecialIP,
} from './checks.js';
import { arrAt, boolAt, numAt, objAt, objItems, strAt, strItems, strMapAt } from './json-access.js';
import { core, kindSchema, VERBS_NO_DELETECOLLECTION } from './kind-schema.js';
import { CONDITION } from '../meta-v1/schemas.js';

const SERVICE = core('Service');
const SPEC = core('ServiceSpec');
const PORT = core('ServicePort');
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export const serviceSchemas: Record<string, Schema> = {
  [SERVICE]: kindSchema({ group: '', version: 'v1', kind: 'Service' }, 'A named network endpoint that load-balances to the pods its selector picks.', {
    // Go always serializes the spec struct and defaults it even when omitted.
    spec: s.ref(SPEC, 'How the service is exposed: ports, selector, type and addressing.', { default: {} }),
    status: s.ref(core('ServiceStatus'), 'Observed state of the service, such as its load balancer.'),
  }),
  [SPEC]: s.object(
    {
      ports: s.array(s.ref(PORT), 'Ports the service exposes.', {
        mergeKey: 'port',
        strategy: 'merge',
        listType: 'map',
        listMapKeys: ['port', 'protocol'],
      }),
      selector: s.map(s.string(), 'Pods with all of these labels receive the traffic; absent means endpoints are managed externally.'),
      clusterIP: s.string('Virtual IP of the service (or None for a headless service); allocated when empty and fixed afterwards.'),
      clusterIPs: s.array(s.string(), 'Virtual IPs of the service, one per IP family; the first equals clusterIP.', { listType: 'atomic' }),
      type: s.enumOf(['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'], 'How the service is exposed.', { default: 'ClusterIP' }),
      externalIPs: s.array(s.string(), 'Extra IPs on which cluster nodes accept traffic for this service.', { listType: 'atomic' }),
      sessionAffinity: s.enumOf(['ClientIP', 'None'], 'Whether connections from one client stick to one endpoint.', { default: 'None' }),
      loadBalancerIP: s.string('Deprecated: requested IP for a LoadBalancer service, if the provider supports it.'),
      loadBalancerSourceRanges: s.array(s.string(), 'Client CIDRs allowed through a LoadBalancer service.', { listType: 'atomic' }),
      externalName: s.string('DNS name an ExternalName service aliases (returned as a CNAME).'),
      externalTrafficPolicy: s.enumOf(['Cluster', 'Local'], 'Whether external traffic may be routed to endpoints on other nodes.'),
      healthCheckNodePort: s.int32('Node port serving health checks for LoadBalancer services with Local external traffic policy.'),
      publishNotReadyAddresses: s.boolean('Publish endpoints for pods that are not ready (useful for peer discovery).'),
      sessionAffinityConfig: s.ref(core('SessionAffinityConfig'), 'Settings of the session affinity.'),
      ipFamilies: s.array(s.enumOf(['IPv4', 'IPv6']), 'IP families of the service, in the order of clusterIPs.', { listType: 'atomic' }),
      ipFamilyPolicy: s.enumOf(['PreferDualStack', 'RequireDualStack', 'SingleStack'], 'Whether the service gets one or two IP families.'),
      allocateLoadBalancerNodePorts: s.boolean('Whether a LoadBalancer service gets node ports allocated.'),
      loadBalancerClass: s.string('Load balancer implementation that should handle this LoadBalancer service; fixed once set.'),
      internalTrafficPolicy: s.enumOf(['Cluster', 'Local'], 'Whether in-cluster traffic may be routed to endpoints on other nodes.'),
      trafficDistribution: s.string('Preference for how traffic is spread over endpoints; PreferClose favors topologically close ones.'),
    },
    'Desired behavior of a service.',
  ),
  [PORT]: s.object(
    {
      name: s.string('Name of the port; required and unique when the service has several ports.'),
      protocol: s.enumOf(PROTOCOLS, 'IP protocol of the port.', { default: 'TCP' }),
      appProtocol: s.string('Application protocol of the port, e.g. http or a prefixed custom name.'),
      port: s.int32('Port the service listens on.', { validate: ['port-number'] }),
      targetPort: s.intOrString('Port number or named container port on the pods; defaults to port.'),
      nodePort: s.int32('Port on every node for NodePort and LoadBalancer services; allocated when unset.'),
    },
    'One port exposed by a service.',
  ),
  [core('SessionAffinityConfig')]: s.object(
    { clientIP: s.ref(core('ClientIPConfig'), 'Settings of ClientIP affinity.') },
    'Settings of a session affinity.',
  ),
  [core('ClientIPConfig')]: s.object(
    { timeoutSeconds: s.int32('How long a client sticks to an endpoint, 1..86400 seconds (default 10800).') },
    'Settings of ClientIP session affinity.',
  ),
  [core('ServiceStatus')]: s.object(
    {
      loadBalancer: s.ref(core('LoadBalancerStatus'), 'State of the load balancer, if any.'),
      conditions: s.array(s.ref(CONDITION), 'Current observations of the service state.', {
        mergeKey: 'type',
        strategy: 'merge',
        listType: 'map',
        listMapKeys: ['type'],
      }),
    },
    'Observed state of a service.',
  ),
  [core('LoadBalancerStatus')]: s.object(
    { ingress: s.array(s.ref(core('LoadBalancerIngress')), 'Ingress points of the load balancer.', { listType: 'atomic' }) },
    'State of a load balancer.',
  ),
  [core('LoadBalancerIngress')]: s.object(
    {
      ip: s.string('IP of the ingress point.'),
      hostname: s.string('DNS name of the ingress point.'),
      ipMode: s.enumOf(['Proxy', 'VIP'], 'How traffic to the ip reaches nodes: VIP (destination kept) or Proxy (rewritten).'),
      ports: s.array(s.ref(core('PortStatus')), 'State of each service port on this ingress point.', { listType: 'atomic' }),
    },
    'An ingress point of a load balancer.',
  ),
  [core('PortStatus')]: s.object(
    {
      port: s.int32('Port number of the service port.'),
      protocol: s.enumOf(PROTOCOLS, 'Protocol of the service port.'),
      error: s.string('Problem with this port, as a CamelCase reason (optionally domain-prefixed, at most 316 characters), if any.'),
    },
    'State of one service port on a load balancer.',
  ),
};

const DEFAULT_CLIENT_IP_TIMEOUT = 10800;
const MAX_CLIENT_IP_TIMEOUT = 86400;

const specType = (spec: JsonObject | undefined): string => strAt(spec, 'type') ?? '';
const externallyAccessible = (spec: JsonObject | undefined): boolean => {
  const t = specType(spec);
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (arrAt(spec, 'externalIPs')?.length ?? 0) > 0);
};
const needsHealthCheck = (spec: JsonObject | undefined): boolean =>
  specType(spec) === 'LoadBalancer' && strAt(spec, 'externalTrafficPolicy') === 'Local';
const clusterIPsOf = (spec: JsonObject | undefined): string[] => strItems(spec, 'clusterIPs').map(([, v]) => v);
const isHeadless = (spec: JsonObject | undefined): boolean => {
  const ips = clusterIPsOf(spec);
  return ips.length === 1 && ips[0] === 'None';
};

export const serviceDefaulters: Record<string, Defaulter> = {
  [SPEC]: (spec) => {
    const affinity = strAt(spec, 'sessionAffinity');
    if (affinity === 'None') delete spec.sessionAffinityConfig;
    if (affinity === 'ClientIP') {
      const timeout = numAt(objAt(objAt(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds');
      if (timeout === undefined) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_TIMEOUT } };
    }
    const type = specType(spec);
    if (externallyAccessible(spec) && !strAt(spec, 'externalTrafficPolicy')) spec.externalTrafficPolicy = 'Cluster';
    if (spec.internalTrafficPolicy === undefined && (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP'))
      spec.internalTrafficPolicy = 'Cluster';
    if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
    // Clients that only set the singular field get the plural one filled (the registry's NormalizeClusterIPs, create half).
    const clusterIP = strAt(spec, 'clusterIP');
    if (clusterIP && clusterIPsOf(spec).length === 0) spec.clusterIPs = [clusterIP];
  },
  [PORT]: (port) => {
    const target = port.targetPort;
    if ((target === undefined || target === 0 || target === '') && typeof port.port === 'number') port.targetPort = port.port;
  },
};

/**
 * The update half of the registry's clusterIP normalization (needs the stored object, so the Service strategy calls
 * it before validation): keep clusterIPs when an old client dropped them, and follow a changed or cleared clusterIP.
 */
export function normalizeServiceClusterIPsOnUpdate(spec: JsonObject, oldSpec: JsonObject | undefined): void {
  const oldIPs = clusterIPsOf(oldSpec);
  const oldIP = strAt(oldSpec, 'clusterIP') ?? '';
  const newIP = strAt(spec, 'clusterIP') ?? '';
  if (oldIPs.length > 0 && clusterIPsOf(spec).length === 0 && oldIP === newIP) spec.clusterIPs = [...oldIPs];
  if (oldIP !== newIP) {
    const same = JSON.stringify(clusterIPsOf(spec)) === JSON.stringify(oldIPs);
    if (oldIP && !newIP && same) delete spec.clusterIPs;
    else if (same) spec.clusterIPs = [newIP];
  }
}

/** A port number (1..65535) or an IANA port name (ValidatePortNumOrName). */
export function validatePortNumOrName(v: JsonValue | undefined, field: string): FieldError[] {
  if (typeof v === 'number') return v >= 1 && v <= 65535 ? [] : [fieldErrors.invalid(field, v, 'must be between 1 and 65535, inclusive')];
  if (typeof v === 'string') return invalidEach(field, v, isValidPortName(v));
  return [];
}

function validatePorts(spec: JsonObject | undefined, specPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const portsPath = child(specPath, 'ports');
  const ports = objItems(spec, 'ports');
  const names = new Set<string>();
  const seenPorts = new Set<string>();
  const seenNodePorts = new Set<string>();
  for (const [i, port] of ports) {
    const p = index(portsPath, i);
    const name = strAt(port, 'name') ?? '';
    if (ports.length > 1 && !name) errs.push(fieldErrors.required(child(p, 'name')));
    else if (name) {
      errs.push(...invalidEach(child(p, 'name'), name, isDNS1123Label(name)));
      if (names.has(name)) errs.push(fieldErrors.duplicate(child(p, 'name'), name));
      names.add(name);
    }
    // A missing port reads as 0 in Go; present values are range-checked by the schema.
    if (port.port === undefined) errs.push(fieldErrors.invalid(child(p, 'port'), 0, 'must be between 1 and 65535, inclusive'));
    errs.push(...validatePortNumOrName(port.targetPort, child(p, 'targetPort')));
    const app = strAt(port, 'appProtocol');
    if (app !== undefined) errs.push(...invalidEach(child(p, 'appProtocol'), app, isQualifiedName(app)));
    const nodePort = numAt(port, 'nodePort') ?? 0;
    const protocol = strAt(port, 'protocol') ?? '';
    if (specType(spec) === 'ClusterIP' && nodePort !== 0) errs.push(fieldErrors.forbidden(child(p, 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
    if (nodePort !== 0) {
      const k = `${protocol}/${nodePort}`;
      if (seenNodePorts.has(k)) errs.push(fieldErrors.duplicate(child(p, 'nodePort'), nodePort));
      seenNodePorts.add(k);
    }
    const k = `${protocol}/${numAt(port, 'port') ?? 0}`;
    if (seenPorts.has(k)) errs.push(fieldErrors.duplicate(p, { port: numAt(port, 'port') ?? 0, protocol }));
    seenPorts.add(k);
  }
  return errs;
}

/** clusterIP/clusterIPs/ipFamilies/ipFamilyPolicy consistency (ValidateServiceClusterIPsRelatedFields). */
function validateClusterIPs(spec: JsonObject | undefined, specPath: string): FieldError[] {
  if (specType(spec) === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const field = child(specPath, 'clusterIPs');
  const ips = clusterIPsOf(spec);
  const clusterIP = strAt(spec, 'clusterIP') ?? '';
  if (clusterIP) {
    if (ips.length === 0) errs.push(fieldErrors.required(field));
    else if (ips[0] !== clusterIP) errs.push(fieldErrors.invalid(field, ips, 'first value must match `clusterIP`'));
  } else if (ips.length) errs.push(fieldErrors.invalid(field, ips, 'must be empty when `clusterIP` is not specified'));
  const families = strItems(spec, 'ipFamilies');
  const seen = new Set<string>();
  for (const [i, f] of families) {
    if (seen.has(f)) errs.push(fieldErrors.duplicate(index(child(specPath, 'ipFamilies'), i), f));
    seen.add(f);
  }
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalidIPs = true;
        errs.push(fieldErrors.invalid(field, ips, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(index(field, i), ip);
    if (e.length) invalidIPs = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(fieldErrors.invalid(field, ips, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (ips.length > 1 && !isDualStack(ips)) errs.push(fieldErrors.invalid(field, ips, 'may specify no more than one IP for each IP family'));
  if (!isHeadless(spec)) {
    ips.forEach((ip, i) => {
      const family = families[i]?.[1];
      if (family === 'IPv4' && isIPv6String(ip)) errs.push(fieldErrors.invalid(index(field, i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (family === 'IPv6' && !isIPv6String(ip)) errs.push(fieldErrors.invalid(index(field, i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const LB_SOURCE_RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges';

function validateServiceSpec(svc: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const spec = objAt(svc, 'spec');
  const specPath = child(path, 'spec');
  const annotations = strMapAt(objAt(svc, 'metadata'), 'annotations') ?? {};
  const type = specType(spec);
  const headless = isHeadless(spec);
  const ips = clusterIPsOf(spec);

  const mode = annotations[TOPOLOGY_MODE];
  const hints = annotations[TOPOLOGY_HINTS];
  if (mode !== undefined && hints !== undefined && mode !== hints)
    errs.push(fieldErrors.invalid(key('metadata.annotations', TOPOLOGY_MODE), mode, `must match annotations[${TOPOLOGY_HINTS}] when both are specified`));

  if (!(arrAt(spec, 'ports')?.length) && !headless && type !== 'ExternalName') errs.push(fieldErrors.required(child(specPath, 'ports')));
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless)
    errs.push(fieldErrors.invalid(index(child(specPath, 'clusterIPs'), 0), ips[0], `may not be set to 'None' for ${type} services`));
  if (type === 'ExternalName') {
    if (ips.length) errs.push(fieldErrors.forbidden(child(specPath, 'clusterIPs'), 'may not be set for ExternalName services'));
    if (arrAt(spec, 'ipFamilies')?.length) errs.push(fieldErrors.forbidden(child(specPath, 'ipFamilies'), 'may not be set for ExternalName services'));
    if (spec?.ipFamilyPolicy !== undefined) errs.push(fieldErrors.forbidden(child(specPath, 'ipFamilyPolicy'), 'may not be set for ExternalName services'));
    // A trailing dot marks the CNAME as fully qualified.
    const cname = (strAt(spec, 'externalName') ?? '').replace(/\.$/, '');
    if (cname) errs.push(...invalidEach(child(specPath, 'externalName'), cname, isDNS1123Subdomain(cname)));
    else errs.push(fieldErrors.required(child(specPath, 'externalName')));
  }

  errs.push(...validatePorts(spec, specPath));
  const selector = strMapAt(spec, 'selector');
  if (selector) errs.push(...validateLabelsAt(selector, child(specPath, 'selector')));

  const affinity = strAt(spec, 'sessionAffinity') ?? '';
  const affinityPath = child(specPath, 'sessionAffinityConfig');
  if (!affinity) errs.push(fieldErrors.required(child(specPath, 'sessionAffinity')));
  else if (affinity === 'ClientIP') {
    const when = 'when session affinity type is ClientIP';
    const config = objAt(spec, 'sessionAffinityConfig');
    const clientIP = objAt(config, 'clientIP');
    const timeout = numAt(clientIP, 'timeoutSeconds');
    if (!config) errs.push(fieldErrors.required(affinityPath, when));
    else if (!clientIP) errs.push(fieldErrors.required(child(affinityPath, 'clientIP'), when));
    else if (timeout === undefined) errs.push(fieldErrors.required(child(affinityPath, 'clientIP.timeoutSeconds'), when));
    else if (timeout <= 0 || timeout > MAX_CLIENT_IP_TIMEOUT)
      errs.push(fieldErrors.invalid(child(affinityPath, 'clientIP.timeoutSeconds'), timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT}`));
  } else if (affinity === 'None' && spec?.sessionAffinityConfig !== undefined) {
    errs.push(fieldErrors.forbidden(affinityPath, 'must not be set when session affinity is None'));
  }

  errs.push(...validateClusterIPs(spec, specPath));
  for (const [i, ip] of strItems(spec, 'externalIPs')) {
    const p = index(child(specPath, 'externalIPs'), i);
    const e = validateIP(p, ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(p, ip)));
  }
  if (!type) errs.push(fieldErrors.required(child(specPath, 'type')));

  const ranges = strItems(spec, 'loadBalancerSourceRanges');
  if (ranges.length) {
    // Kubernetes spells this path with a capital L.
    const p = child(specPath, 'LoadBalancerSourceRanges');
    if (type !== 'LoadBalancer') errs.push(fieldErrors.forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    for (const [i, r] of ranges) errs.push(...validateCIDR(index(p, i), r.trim()));
  } else if (annotations[LB_SOURCE_RANGES] !== undefined) {
    const p = key('metadata.annotations', LB_SOURCE_RANGES);
    if (type !== 'LoadBalancer') errs.push(fieldErrors.forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    const val = annotations[LB_SOURCE_RANGES]!.trim();
    if (val) for (const r of val.split(',')) errs.push(...validateCIDR(p, r.trim()));
  }

  if (spec?.allocateLoadBalancerNodePorts !== undefined && type !== 'LoadBalancer')
    errs.push(fieldErrors.forbidden(child(specPath, 'allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  // Kubernetes reports this one without the spec prefix.
  if (type === 'LoadBalancer' && boolAt(spec, 'allocateLoadBalancerNodePorts') === undefined) errs.push(fieldErrors.required('allocateLoadBalancerNodePorts'));

  const lbClass = strAt(spec, 'loadBalancerClass');
  if (lbClass !== undefined) {
    if (type === 'LoadBalancer') errs.push(...invalidEach(child(specPath, 'loadBalancerClass'), lbClass, isQualifiedName(lbClass)));
    else errs.push(fieldErrors.forbidden(child(specPath, 'loadBalancerClass'), "may only be used when `type` is 'LoadBalancer'"));
  }

  const etp = strAt(spec, 'externalTrafficPolicy') ?? '';
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(fieldErrors.invalid(child(specPath, 'externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(fieldErrors.required(child(specPath, 'externalTrafficPolicy')));
  const hcnp = numAt(spec, 'healthCheckNodePort') ?? 0;
  if (!needsHealthCheck(spec)) {
    if (hcnp !== 0)
      errs.push(
        fieldErrors.invalid(child(specPath, 'healthCheckNodePort'), hcnp, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"),
      );
  } else if (hcnp === 0) errs.push(fieldErrors.required(child(specPath, 'healthCheckNodePort')));
  else if (hcnp < 1 || hcnp > 65535) errs.push(fieldErrors.invalid(child(specPath, 'healthCheckNodePort'), hcnp, 'must be between 1 and 65535, inclusive'));

  if (spec?.internalTrafficPolicy === undefined && (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP'))
    errs.push(fieldErrors.required(child(specPath, 'internalTrafficPolicy')));
  const td = strAt(spec, 'trafficDistribution');
  if (td !== undefined && td !== 'PreferClose') errs.push(fieldErrors.notSupported(child(specPath, 'trafficDistribution'), td, ['PreferClose']));
  return errs;
}

/** Update rules: cluster IPs and IP families are fixed except through ExternalName, as are the LB class and health check port. */
function validateServiceUpdate(spec: JsonObject | undefined, oldSpec: JsonObject | undefined, specPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = specType(spec);
  const oldType = specType(oldSpec);
  const ipsPath = child(specPath, 'clusterIPs');
  const familiesPath = child(specPath, 'ipFamilies');
  const policyPath = child(specPath, 'ipFamilyPolicy');
  const policy = strAt(spec, 'ipFamilyPolicy');
  const ips = clusterIPsOf(spec);
  const oldIPs = clusterIPsOf(oldSpec);
  const headless = isHeadless(spec);
  const oldHeadless = isHeadless(oldSpec);
  const fixed = 'may not change once set';

  if (type !== 'ExternalName' && oldType !== 'ExternalName') {
    if (!(headless && oldHeadless)) {
      if (oldIPs.length === ips.length) {
        oldIPs.forEach((ip, i) => ip !== ips[i] && errs.push(fieldErrors.invalid(index(ipsPath, i), ips, fixed)));
      } else if (oldIPs.length > ips.length) {
        if (ips.length === 0) errs.push(fieldErrors.invalid(index(ipsPath, 0), ips, 'primary clusterIP can not be unset'));
        if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) errs.push(fieldErrors.invalid(index(ipsPath, 0), ips, fixed));
        if (ips.length === 1 && policy !== 'SingleStack')
          errs.push(fieldErrors.invalid(policyPath, policy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
      } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
        errs.push(fieldErrors.invalid(index(ipsPath, 0), ips, fixed));
      }
    }
    // IP families may only change together with a switch to or from headless, or when headless.
    const families = strItems(spec, 'ipFamilies').map(([, f]) => f);
    const oldFamilies = strItems(oldSpec, 'ipFamilies').map(([, f]) => f);
    if (headless === oldHeadless && !headless) {
      if (oldFamilies.length === families.length) {
        oldFamilies.forEach((f, i) => f !== families[i] && errs.push(fieldErrors.invalid(index(familiesPath, 0), families, fixed)));
      } else if (oldFamilies.length > families.length) {
        if (ips.length === 0) errs.push(fieldErrors.invalid(index(familiesPath, 0), families, 'primary ipFamily can not be unset'));
        if (families.length > 0 && families[0] !== oldFamilies[0]) errs.push(fieldErrors.invalid(index(familiesPath, 0), ips, fixed));
        if (families.length === 1 && policy !== 'SingleStack')
          errs.push(fieldErrors.invalid(policyPath, policy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
      } else if (oldFamilies.length > 0 && families.length > 0 && families[0] !== oldFamilies[0]) {
        errs.push(fieldErrors.invalid(index(familiesPath, 0), ips, fixed));
      }
    }
  }
  if (type === 'LoadBalancer' && oldType === 'LoadBalancer' && strAt(spec, 'loadBalancerClass') !== strAt(oldSpec, 'loadBalancerClass'))
    errs.push(fieldErrors.invalid(child(specPath, 'loadBalancerClass'), strAt(spec, 'loadBalancerClass') ?? null, fixed));
  if (needsHealthCheck(spec) && needsHealthCheck(oldSpec) && numAt(spec, 'healthCheckNodePort') !== numAt(oldSpec, 'healthCheckNodePort'))
    errs.push(fieldErrors.forbidden(child(specPath, 'healthCheckNodePort'), 'field is immutable'));
  return errs;
}

export const serviceValidators: Record<string, Validator> = {
  [SERVICE]: (svc, path, ctx) => {
    const errs: FieldError[] = [];
    if (ctx.operation === 'update' && isJsonObject(ctx.old))
      errs.push(...validateServiceUpdate(objAt(svc, 'spec'), objAt(ctx.old, 'spec'), child(path, 'spec')));
    return [...errs, ...validateServiceSpec(svc, path)];
  },
};

export const serviceKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  schema: SERVICE,
  verbs: VERBS_NO_DELETECOLLECTION,
  nameRule: 'dns1035-label',
  statusSubresource: true,
  fieldSelectors: {
    'spec.clusterIP': (o) => strAt(objAt(o, 'spec'), 'clusterIP') ?? '',
    'spec.type': (o) => strAt(objAt(o, 'spec'), 'type') ?? '',
  },
};
