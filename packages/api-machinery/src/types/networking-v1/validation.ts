// networking.k8s.io/v1 semantic validation (pkg/apis/networking/validation): Ingress hosts, paths and backends,
// IngressClass controller and parameters, NetworkPolicy ports, peers and IP blocks.
import { isIP } from 'node:net';
import type { JsonObject } from '../../json.js';
import type { ValidationContext, Validator } from '../../schema/module.js';
import { child, fieldErrors, index, type FieldError } from '../../validation/field-error.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isPathSegmentName, isValidPortName, isValidPortNum } from '../../validation/names.js';
import { arr, isDomainPrefixedPath, isWildcardDNS1123Subdomain, labelSelectorErrors, num, obj, str } from '../apps-v1/helpers.js';
import { cidrContains, parseCidr } from './cidr.js';
import {
  HTTP_INGRESS_PATH,
  INGRESS,
  INGRESS_BACKEND,
  INGRESS_CLASS_PARAMS,
  INGRESS_CLASS_SPEC,
  INGRESS_LB_INGRESS,
  INGRESS_RULE,
  INGRESS_SPEC,
  INGRESS_TLS,
  IP_BLOCK,
  NETWORK_POLICY_PEER,
  NETWORK_POLICY_PORT,
  NETWORK_POLICY_SPEC,
} from './schemas.js';

const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** Go's ParseIPSloppy also takes IPv4 octets with leading zeros. */
function looksLikeIP(s: string): boolean {
  return isIP(s) !== 0 || /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(s);
}

/** A host name: wildcard names by their own rule, others as DNS subdomains. */
function hostErrors(host: string, path: string): FieldError[] {
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return msgs.map((m) => fieldErrors.invalid(path, host, m));
}

const validateIngress: Validator = (ing, _path, ctx: ValidationContext) => {
  if (ctx.operation !== 'create') return [];
  // The legacy class annotation may stay only if it names the same class as the field.
  const annotation = str(obj(obj(ing.metadata)?.annotations)?.[INGRESS_CLASS_ANNOTATION]);
  const className = str(obj(ing.spec)?.ingressClassName);
  if (annotation !== undefined && className !== undefined && annotation !== className) {
    return [fieldErrors.invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified')];
  }
  return [];
};

const validateIngressSpec: Validator = (spec, path) => {
  if (arr(spec.rules).length === 0 && spec.defaultBackend === undefined) {
    return [fieldErrors.invalid(path, spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified')];
  }
  return [];
};

const validateIngressTLS: Validator = (tls, path) => {
  const errs: FieldError[] = [];
  arr(tls.hosts).forEach((h, i) => {
    if (typeof h === 'string') errs.push(...hostErrors(h, index(child(path, 'hosts'), i)));
  });
  const secret = str(tls.secretName) ?? '';
  if (secret !== '') errs.push(...isDNS1123Subdomain(secret).map((m) => fieldErrors.invalid(child(path, 'secretName'), secret, m)));
  return errs;
};

const validateIngressRule: Validator = (rule, path) => {
  const host = str(rule.host) ?? '';
  if (host === '') return [];
  const hostPath = child(path, 'host');
  const errs: FieldError[] = [];
  if (looksLikeIP(host)) errs.push(fieldErrors.invalid(hostPath, host, 'must be a DNS name, not an IP address'));
  errs.push(...hostErrors(host, hostPath));
  return errs;
};

const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

const validateHttpIngressPath: Validator = (p, path) => {
  if (p.pathType === undefined) return [fieldErrors.required(child(path, 'pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = str(p.path) ?? '';
  const pathPath = child(path, 'path');
  if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(fieldErrors.invalid(pathPath, value, 'must be an absolute path'));
    for (const seq of INVALID_SEQUENCES) if (value.includes(seq)) errs.push(fieldErrors.invalid(pathPath, value, `must not contain '${seq}'`));
    for (const suf of INVALID_SUFFIXES) if (value.endsWith(suf)) errs.push(fieldErrors.invalid(pathPath, value, `cannot end with '${suf}'`));
  } else if (p.pathType === 'ImplementationSpecific' && value !== '' && !value.startsWith('/')) {
    errs.push(fieldErrors.invalid(pathPath, value, 'must be an absolute path'));
  }
  // An absent backend is empty, which the backend rules reject; the IngressBackend hook only sees present ones.
  if (p.backend === undefined) errs.push(...ingressBackendErrors({}, child(path, 'backend')));
  return errs;
};

/** validateIngressTypedLocalObjectReference: apiGroup, kind and name of a resource backend or class parameters. */
function typedRefErrors(ref: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiGroup = str(ref.apiGroup);
  if (apiGroup !== undefined) errs.push(...isDNS1123Subdomain(apiGroup).map((m) => fieldErrors.invalid(child(path, 'apiGroup'), apiGroup, m)));
  for (const f of ['kind', 'name']) {
    const v = str(ref[f]) ?? '';
    if (v === '') errs.push(fieldErrors.required(child(path, f), `${f} is required`));
    else errs.push(...isPathSegmentName(v).map((m) => fieldErrors.invalid(child(path, f), v, m)));
  }
  return errs;
}

function ingressBackendErrors(backend: JsonObject, path: string): FieldError[] {
  const resource = obj(backend.resource);
  const service = obj(backend.service);
  if (resource && service) return [fieldErrors.invalid(path, '', 'cannot set both resource and service backends')];
  if (resource) return typedRefErrors(resource, child(path, 'resource'));
  if (!service) return [fieldErrors.invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = str(service.name) ?? '';
  const namePath = child(path, 'service.name');
  if (name === '') errs.push(fieldErrors.required(namePath));
  else errs.push(...isDNS1035Label(name).map((m) => fieldErrors.invalid(namePath, name, m)));
  const port = obj(service.port) ?? {};
  const portName = str(port.name) ?? '';
  const portNumber = num(port.number) ?? 0;
  if (portName !== '' && portNumber !== 0) errs.push(fieldErrors.invalid(path, '', 'cannot set both port name & port number'));
  else if (portName !== '') errs.push(...isValidPortName(portName).map((m) => fieldErrors.invalid(child(path, 'service.port.name'), portName, m)));
  else if (portNumber !== 0) errs.push(...isValidPortNum(portNumber).map((m) => fieldErrors.invalid(child(path, 'service.port.number'), portNumber, m)));
  else errs.push(fieldErrors.required(path, 'port name or number is required'));
  return errs;
}

const validateIngressLbIngress: Validator = (lb, path) => {
  const errs: FieldError[] = [];
  const ip = str(lb.ip) ?? '';
  if (ip !== '' && !looksLikeIP(ip)) errs.push(fieldErrors.invalid(child(path, 'ip'), ip, 'must be a valid IP address'));
  const hostname = str(lb.hostname) ?? '';
  if (hostname !== '') {
    const hp = child(path, 'hostname');
    errs.push(...isDNS1123Subdomain(hostname).map((m) => fieldErrors.invalid(hp, hostname, m)));
    if (looksLikeIP(hostname)) errs.push(fieldErrors.invalid(hp, hostname, 'must be a DNS name, not an IP address'));
  }
  return errs;
};

const validateIngressClassSpec: Validator = (spec, path) => isDomainPrefixedPath(child(path, 'controller'), str(spec.controller) ?? '');

const validateIngressClassParams: Validator = (params, path) => {
  const errs = typedRefErrors(params, path);
  const scope = str(params.scope);
  const nsPath = child(path, 'namespace');
  const namespace = str(params.namespace);
  if (scope === 'Namespace') {
    if (namespace === undefined) errs.push(fieldErrors.required(nsPath, "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...isDNS1123Label(namespace).map((m) => fieldErrors.invalid(nsPath, namespace, m)));
  } else if (scope === 'Cluster' && namespace !== undefined) {
    errs.push(fieldErrors.forbidden(nsPath, "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
};

const validateNetworkPolicySpec: Validator = (spec, path) => {
  const errs = labelSelectorErrors(spec.podSelector, child(path, 'podSelector'));
  const types = arr(spec.policyTypes);
  if (types.length > 2) errs.push(fieldErrors.invalid(child(path, 'policyTypes'), types, 'may not specify more than two policyTypes'));
  return errs;
};

const validateNetworkPolicyPort: Validator = (port, path) => {
  const errs: FieldError[] = [];
  const endPort = num(port.endPort);
  const endPath = child(path, 'endPort');
  const p = port.port;
  if (typeof p === 'number') {
    errs.push(...isValidPortNum(p).map((m) => fieldErrors.invalid(child(path, 'port'), p, m)));
    if (endPort !== undefined) {
      // Kubernetes reports the start port as the bad value here.
      if (endPort < p) errs.push(fieldErrors.invalid(endPath, p, 'must be greater than or equal to `port`'));
      errs.push(...isValidPortNum(endPort).map((m) => fieldErrors.invalid(endPath, endPort, m)));
    }
  } else if (typeof p === 'string') {
    if (endPort !== undefined) errs.push(fieldErrors.invalid(endPath, endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...isValidPortName(p).map((m) => fieldErrors.invalid(child(path, 'port'), p, m)));
  } else if (endPort !== undefined) {
    errs.push(fieldErrors.invalid(endPath, endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
};

const validateNetworkPolicyPeer: Validator = (peer, path) => {
  const errs: FieldError[] = [];
  let peers = 0;
  for (const f of ['podSelector', 'namespaceSelector']) {
    if (peer[f] === undefined) continue;
    peers++;
    errs.push(...labelSelectorErrors(peer[f], child(path, f)));
  }
  if (peer.ipBlock !== undefined) peers++;
  if (peers === 0) errs.push(fieldErrors.required(path, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock !== undefined) errs.push(fieldErrors.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
};

const validateIpBlock: Validator = (block, path) => {
  const cidrText = str(block.cidr) ?? '';
  // An empty cidr is the schema's Required error.
  if (cidrText === '') return [];
  const cidr = parseCidr(cidrText);
  if (!cidr) return [fieldErrors.invalid(child(path, 'cidr'), cidrText, 'not a valid CIDR')];
  const errs: FieldError[] = [];
  const excepts = arr(block.except);
  for (let i = 0; i < excepts.length; i++) {
    const text = str(excepts[i]) ?? '';
    const ex = parseCidr(text);
    const exPath = index(child(path, 'except'), i);
    if (!ex) return [...errs, fieldErrors.invalid(exPath, text, 'not a valid CIDR')];
    if (!cidrContains(cidr, ex) || cidr.prefix >= ex.prefix) errs.push(fieldErrors.invalid(exPath, text, 'must be a strict subset of `cidr`'));
  }
  return errs;
};

export const networkingValidators: Record<string, Validator> = {
  [INGRESS]: validateIngress,
  [INGRESS_SPEC]: validateIngressSpec,
  [INGRESS_TLS]: validateIngressTLS,
  [INGRESS_RULE]: validateIngressRule,
  [HTTP_INGRESS_PATH]: validateHttpIngressPath,
  [INGRESS_BACKEND]: (b, path) => ingressBackendErrors(b, path),
  [INGRESS_LB_INGRESS]: validateIngressLbIngress,
  [INGRESS_CLASS_SPEC]: validateIngressClassSpec,
  [INGRESS_CLASS_PARAMS]: validateIngressClassParams,
  [NETWORK_POLICY_SPEC]: validateNetworkPolicySpec,
  [NETWORK_POLICY_PORT]: validateNetworkPolicyPort,
  [NETWORK_POLICY_PEER]: validateNetworkPolicyPeer,
  [IP_BLOCK]: validateIpBlock,
};
