// Networking: services, endpoints, endpoint slices, ingresses, ingress classes, network policies,
// service CIDRs and IP addresses.
import type { JsonObject } from '@k8ts/api-machinery';
import { get, num, objs, optNum, optStr, str, strMap, strs } from '../access.js';
import { formatLabelSelector, formatLabels, joinHostPort, listWithMore, loadBalancerAddresses } from '../format.js';
import { AGE_COLUMN, NAME_COLUMN, age, col, name, wide, type Printer } from '../types.js';

/** The defaulted service type: the real apiserver always stores one, ClusterIP unless asked otherwise. */
const serviceType = (svc: JsonObject): string => optStr(svc, 'spec', 'type') ?? 'ClusterIP';

/** EXTERNAL-IP: explicit external IPs, load-balancer ingress points, or a placeholder. */
export function serviceExternalIP(svc: JsonObject): string {
  const externalIPs = strs(svc, 'spec', 'externalIPs');
  switch (serviceType(svc)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      // Server-side tables are generated in wide mode, so the address list is never clipped.
      const lb = loadBalancerAddresses(get(svc, 'status', 'loadBalancer'));
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(svc, 'spec', 'externalName');
    default:
      return '<unknown>';
  }
}

/** PORT(S): "80/TCP" or "80:30080/TCP" per port, comma-separated; "<none>" without ports. */
export function servicePorts(svc: JsonObject): string {
  const parts = objs(svc, 'spec', 'ports').map((p) => {
    const protocol = optStr(p, 'protocol') ?? 'TCP';
    const nodePort = num(p, 'nodePort');
    return nodePort > 0 ? `${num(p, 'port')}:${nodePort}/${protocol}` : `${num(p, 'port')}/${protocol}`;
  });
  return parts.length ? parts.join(',') : '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    col('Cluster-IP', 'string', 'The virtual IP inside the cluster that routes to the service.'),
    col('External-IP', 'string', 'Addresses through which the service is reachable from outside the cluster.'),
    col('Port(s)', 'string', 'Ports the service exposes, with node ports where allocated.'),
    AGE_COLUMN,
    wide('Selector', 'string', 'Labels of the pods that receive traffic for this service.'),
  ],
  cells(svc, now) {
    // Objects written with only the singular clusterIP still have one IP to show.
    const clusterIP = optStr(svc, 'spec', 'clusterIPs', 0) ?? optStr(svc, 'spec', 'clusterIP') ?? '';
    return [
      name(svc),
      serviceType(svc),
      clusterIP === '' ? '<none>' : clusterIP,
      serviceExternalIP(svc),
      servicePorts(svc),
      age(svc, now),
      formatLabels(strMap(svc, 'spec', 'selector')),
    ];
  },
};

/** Up to three "ip:port" endpoints, then "+ N more...". */
export function formatEndpoints(ep: JsonObject): string {
  const subsets = objs(ep, 'subsets');
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = objs(ss, 'addresses').map((a) => str(a, 'ip'));
    const ports = objs(ss, 'ports');
    if (ports.length === 0) {
      // Headless services may have addresses without ports.
      count += addresses.length;
      for (const ip of addresses) if (shown.length < max) shown.push(ip);
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const ip of addresses) if (shown.length < max) shown.push(joinHostPort(ip, num(port, 'port')));
    }
  }
  const text = shown.join(',');
  return count > max ? `${text} + ${count - max} more...` : text;
}

export const endpointsPrinter: Printer = {
  columns: [NAME_COLUMN, col('Endpoints', 'string', 'Addresses and ports backing the service.'), AGE_COLUMN],
  cells(o, now) {
    return [name(o), formatEndpoints(o), age(o, now)];
  },
};

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('AddressType', 'string', 'Kind of addresses in the slice: IPv4, IPv6 or FQDN.'),
    col('Ports', 'string', 'Ports exposed by the endpoints in the slice.'),
    col('Endpoints', 'string', 'Addresses of the endpoints in the slice.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    const ports = objs(o, 'ports').map((p) => {
      const port = optNum(p, 'port');
      if (port !== undefined) return String(port);
      return optStr(p, 'name') ?? '*';
    });
    const addresses = objs(o, 'endpoints').flatMap((e) => strs(e, 'addresses'));
    return [
      name(o),
      str(o, 'addressType'),
      listWithMore(ports, ports.length, 3),
      listWithMore(addresses, addresses.length, 3),
      age(o, now),
    ];
  },
};

/** Up to three rule hosts, "*" when none name a host. */
function ingressHosts(o: JsonObject): string {
  const rules = objs(o, 'spec', 'rules');
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    const host = str(rule, 'host');
    if (!more && host !== '') hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  const text = hosts.join(',');
  return more ? `${text} + ${rules.length - max} more...` : text;
}

export const ingressPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Class', 'string', 'The IngressClass that implements this ingress.'),
    col('Hosts', 'string', 'Host names the ingress rules match.'),
    col('Address', 'string', 'Load-balancer addresses serving the ingress.'),
    col('Ports', 'string', 'Ports the ingress listens on (443 when TLS is configured).'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    return [
      name(o),
      optStr(o, 'spec', 'ingressClassName') ?? '<none>',
      ingressHosts(o),
      loadBalancerAddresses(get(o, 'status', 'loadBalancer')),
      objs(o, 'spec', 'tls').length ? '80, 443' : '80',
      age(o, now),
    ];
  },
};

export const ingressClassPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Controller', 'string', 'The controller implementing ingresses of this class.'),
    col('Parameters', 'string', 'Resource holding extra configuration for the controller.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    let parameters = '<none>';
    const p = get(o, 'spec', 'parameters');
    if (p !== undefined && p !== null) {
      const group = optStr(p, 'apiGroup');
      parameters = `${str(p, 'kind')}${group !== undefined ? `.${group}` : ''}/${str(p, 'name')}`;
    }
    return [name(o), str(o, 'spec', 'controller'), parameters, age(o, now)];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [NAME_COLUMN, col('Pod-Selector', 'string', 'Pods the policy applies to.'), AGE_COLUMN],
  cells(o, now) {
    // podSelector is a struct, never nil: an empty one selects every pod and prints "<none>".
    return [name(o), formatLabelSelector(get(o, 'spec', 'podSelector') ?? {}), age(o, now)];
  },
};

export const serviceCIDRPrinter: Printer = {
  columns: [NAME_COLUMN, col('CIDRs', 'string', 'IP ranges from which service cluster IPs are allocated.'), AGE_COLUMN],
  cells(o, now) {
    return [name(o), strs(o, 'spec', 'cidrs').join(','), age(o, now)];
  },
};

export const ipAddressPrinter: Printer = {
  columns: [NAME_COLUMN, col('ParentRef', 'string', 'The object this IP address is allocated to.')],
  cells(o, now) {
    let parent = '<none>';
    const ref = get(o, 'spec', 'parentRef');
    if (ref !== undefined && ref !== null) {
      const group = str(ref, 'group');
      const resource = str(ref, 'resource');
      parent = (group === '' ? resource : `${resource}.${group}`).toLowerCase();
      if (str(ref, 'namespace') !== '') parent += `/${str(ref, 'namespace')}`;
      parent += `/${str(ref, 'name')}`;
    }
    // printIPAddress emits an age cell without declaring a column for it; mirror the row as served.
    return [name(o), parent, age(o, now)];
  },
};
