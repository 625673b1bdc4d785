// A container's environment as the kubelet computes it (makeEnvironmentVariables): envFrom, env with $(VAR)
// expansion, valueFrom (ConfigMap/Secret keys, downward API fields and resources), and the Docker-link style
// variables of Services. Also the downward API values the downwardAPI volumes reuse, and $(VAR) expansion of
// command/args and subPathExpr.
import { parseQuantity, type Quantity, type corev1 } from '@k8ts/api-machinery';

/** Lookups may answer synchronously (an informer cache) or asynchronously (the API); undefined means not found. */
export type ObjectLookup<T> = (namespace: string, name: string) => T | undefined | Promise<T | undefined>;

export interface EnvInput {
  pod: corev1.Pod;
  container: corev1.Container;
  configMaps: ObjectLookup<corev1.ConfigMap>;
  secrets: ObjectLookup<corev1.Secret>;
  /** All Services the kubelet knows (any namespace); filtered here as the kubelet does. */
  services: corev1.Service[];
  podIP: string;
  /** All pod IPs, podIP first; [podIP] when absent. */
  podIPs?: string[];
  hostIP: string;
  /** All node IPs, hostIP first; [hostIP] when absent. */
  hostIPs?: string[];
  /** The node's allocatable resources (cpu, memory, ephemeral-storage), the limit of a container that sets none. */
  nodeAllocatable: Record<string, string>;
}

export interface EnvPair {
  name: string;
  value: string;
}

/** Something the kubelet reports as a Warning event but that does not stop the container. */
export interface EnvWarning {
  reason: 'InvalidEnvironmentVariableNames';
  message: string;
}

export interface ResolvedEnv {
  /** In definition order (envFrom, then env; a redefinition keeps the first position), then the service variables. */
  env: EnvPair[];
  warnings: EnvWarning[];
}

/** A container whose environment cannot be built; the kubelet reports it as CreateContainerConfigError. */
export class EnvResolutionError extends Error {
  readonly reason = 'CreateContainerConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'EnvResolutionError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// $(VAR) expansion (Kubernetes' third_party/forked/golang/expansion).

/** Expands `$(VAR)` from `lookup`; `$$` is a literal `$`; references that do not resolve, or never close, stay verbatim. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close === -1) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else {
      out += '$' + rest[0];
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

function mappingOf(...maps: Array<Map<string, string>>): (name: string) => string | undefined {
  return (name) => {
    for (const map of maps) {
      const value = map.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

function envMap(env: EnvPair[]): Map<string, string> {
  // Later definitions win, as a Go map built from the list would.
  return new Map(env.map((e) => [e.name, e.value]));
}

/** `$(VAR)` in a container's command or args, from its final environment (ExpandContainerCommandAndArgs). */
export function expandCommand(commandOrArgs: string[] | undefined, env: EnvPair[]): string[] {
  const lookup = mappingOf(envMap(env));
  return (commandOrArgs ?? []).map((arg) => expand(arg, lookup));
}

/** A volumeMount's subPathExpr expanded from the environment; every reference must resolve to a non-empty value. */
export function expandSubPathExpr(subPathExpr: string, env: EnvPair[]): string {
  const map = envMap(env);
  const missing = new Set<string>();
  const expanded = expand(subPathExpr, (name) => {
    const value = map.get(name);
    if (!value) missing.add(name);
    return value ?? '';
  });
  if (missing.size > 0) throw new EnvResolutionError(`missing value for ${[...missing].sort().join(', ')}`);
  return expanded;
}

// ---------------------------------------------------------------------------------------------------------------
// Names.

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Kubernetes' IsEnvVarName: the C-ish charset plus '.', '-', and not '.', '..' or a '..' prefix. */
export function isEnvVarName(name: string): boolean {
  return ENV_VAR_NAME.test(name) && name !== '.' && !name.startsWith('..');
}

// ---------------------------------------------------------------------------------------------------------------
// Service links (pkg/kubelet/envvars).

const MASTER_SERVICES = new Set(['kubernetes']);

function isServiceIPSet(service: corev1.Service): boolean {
  const ip = service.spec?.clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
}

function envVariableName(text: string): string {
  return text.replaceAll('-', '_').toUpperCase();
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The variables of the given Services, in Kubernetes' order (FromServices). */
export function serviceEnvVars(services: corev1.Service[]): EnvPair[] {
  const result: EnvPair[] = [];
  for (const service of services) {
    if (!isServiceIPSet(service)) continue;
    const prefix = envVariableName(service.metadata?.name ?? '');
    const ip = service.spec?.clusterIP ?? '';
    const ports = service.spec?.ports ?? [];
    result.push({ name: `${prefix}_SERVICE_HOST`, value: ip });
    if (ports.length === 0) continue;
    const portName = `${prefix}_SERVICE_PORT`;
    result.push({ name: portName, value: String(ports[0]?.port ?? 0) });
    for (const port of ports) {
      if (port.name) result.push({ name: `${portName}_${envVariableName(port.name)}`, value: String(port.port ?? 0) });
    }
    ports.forEach((port, i) => {
      const protocol = (port.protocol ?? 'TCP').toLowerCase();
      const url = `${protocol}://${joinHostPort(ip, port.port ?? 0)}`;
      if (i === 0) result.push({ name: `${prefix}_PORT`, value: url });
      const portPrefix = `${prefix}_PORT_${port.port ?? 0}_${protocol.toUpperCase()}`;
      result.push(
        { name: portPrefix, value: url },
        { name: `${portPrefix}_PROTO`, value: protocol },
        { name: `${portPrefix}_PORT`, value: String(port.port ?? 0) },
        { name: `${portPrefix}_ADDR`, value: ip },
      );
    });
  }
  return result;
}

/**
 * The service variables a pod in `namespace` gets: default/kubernetes always, the Services of its own namespace
 * only with enableServiceLinks (getServiceEnvVarMap).
 */
export function serviceEnvFor(namespace: string, services: corev1.Service[], enableServiceLinks: boolean): Map<string, string> {
  const byName = new Map<string, corev1.Service>();
  for (const service of services) {
    if (!isServiceIPSet(service)) continue;
    const name = service.metadata?.name ?? '';
    const ns = service.metadata?.namespace ?? 'default';
    if (ns === 'default' && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, service);
    } else if (ns === namespace && enableServiceLinks) {
      byName.set(name, service);
    }
  }
  const sorted = [...byName.values()].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  return envMap(serviceEnvVars(sorted));
}

// ---------------------------------------------------------------------------------------------------------------
// Downward API: pod fields.

/** Go's %q for the strings Kubernetes formats maps with (labels/annotations files). */
function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** `k="v"` lines in key order, as Kubernetes' fieldpath.FormatMap writes labels and annotations. */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${goQuote(map?.[key] ?? '')}`)
    .join('\n');
}

function splitSubscript(fieldPath: string): { path: string; subscript: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const open = fieldPath.indexOf("['");
  if (open === -1) return undefined;
  return { path: fieldPath.slice(0, open), subscript: fieldPath.slice(open + 2, -2) };
}

/** A metadata field of the pod (fieldpath.ExtractFieldPathAsString): what downwardAPI volumes may read. */
export function podMetadataField(pod: corev1.Pod, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const sub = splitSubscript(fieldPath);
  if (sub) {
    if (sub.path === 'metadata.annotations') return meta.annotations?.[sub.subscript] ?? '';
    if (sub.path === 'metadata.labels') return meta.labels?.[sub.subscript] ?? '';
    throw new EnvResolutionError(`fieldPath "${fieldPath}" does not support subscript`);
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
  }
  throw new EnvResolutionError(`unsupported fieldPath: ${fieldPath}`);
}

export interface PodRuntimeFacts {
  podIP: string;
  podIPs?: string[];
  hostIP: string;
  hostIPs?: string[];
}

/** A pod field for an env var (podFieldSelectorRuntimeValue): metadata plus spec and status fields. */
export function podFieldValue(pod: corev1.Pod, fieldPath: string, facts: PodRuntimeFacts): string {
  switch (fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return facts.hostIP;
    case 'status.hostIPs':
      return (facts.hostIPs ?? [facts.hostIP]).join(',');
    case 'status.podIP':
      return facts.podIP;
    case 'status.podIPs':
      return (facts.podIPs ?? [facts.podIP]).join(',');
  }
  return podMetadataField(pod, fieldPath);
}

// ---------------------------------------------------------------------------------------------------------------
// Downward API: container resources.

const DEFAULTED_LIMITS = ['cpu', 'memory', 'ephemeral-storage'];

function quantityOf(text: string | undefined): Quantity {
  return parseQuantity(text ?? '0');
}

function ceilDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new EnvResolutionError('divisor must not be zero');
  const q = a / b;
  return a % b !== 0n && a > 0n === b > 0n ? q + 1n : q;
}

/**
 * A resource of a container (ExtractContainerResourceValue after MergeContainerResourceLimits): a limit the
 * container does not set is the node's allocatable; cpu is in cores rounded up (so 250m is 1, or 250 with divisor
 * 1m), memory and storage in bytes rounded up, each divided by the divisor (1 when unset).
 */
export function containerResourceValue(container: corev1.Container, resource: string, divisorText: string | undefined, nodeAllocatable: Record<string, string>): string {
  const limits: Record<string, string> = { ...(container.resources?.limits ?? {}) };
  // The API defaults requests to limits; do it here too for pods that skipped defaulting.
  const requests: Record<string, string> = { ...limits, ...(container.resources?.requests ?? {}) };
  for (const name of DEFAULTED_LIMITS) {
    if ((limits[name] === undefined || quantityOf(limits[name]).isZero()) && nodeAllocatable[name] !== undefined) limits[name] = nodeAllocatable[name] as string;
  }
  const divisor = divisorText && !quantityOf(divisorText).isZero() ? quantityOf(divisorText) : parseQuantity('1');
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  const source = kind === 'limits' ? limits : kind === 'requests' ? requests : undefined;
  const supported = name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || (kind === 'requests' && name.startsWith('hugepages-'));
  if (!source || !supported) throw new EnvResolutionError(`unsupported container resource : ${resource}`);
  const value = quantityOf(source[name]);
  if (name === 'cpu') return ceilDiv(value.milliValue(), divisor.milliValue()).toString();
  return ceilDiv(value.value(), divisor.value()).toString();
}

/** The container a downward API resourceFieldRef names, among the pod's app and init containers. */
export function findContainer(pod: corev1.Pod, name: string): corev1.Container | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
}

// ---------------------------------------------------------------------------------------------------------------
// The environment itself.

function decodeSecretValue(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

function configMapNotFound(name: string): EnvResolutionError {
  return new EnvResolutionError(`configmap "${name}" not found`);
}

function secretNotFound(name: string): EnvResolutionError {
  return new EnvResolutionError(`secret "${name}" not found`);
}

/** Resolves a container's environment; throws EnvResolutionError with Kubernetes' message when it cannot. */
export async function resolveEnv(input: EnvInput): Promise<ResolvedEnv> {
  const { pod, container } = input;
  const namespace = pod.metadata?.namespace ?? 'default';
  const facts: PodRuntimeFacts = { podIP: input.podIP, hostIP: input.hostIP };
  if (input.podIPs) facts.podIPs = input.podIPs;
  if (input.hostIPs) facts.hostIPs = input.hostIPs;
  const serviceEnv = serviceEnvFor(namespace, input.services, pod.spec?.enableServiceLinks ?? true);
  const env = new Map<string, string>();
  const warnings: EnvWarning[] = [];
  const configMaps = new Map<string, corev1.ConfigMap | undefined>();
  const secrets = new Map<string, corev1.Secret | undefined>();
  const getConfigMap = async (name: string): Promise<corev1.ConfigMap | undefined> => {
    if (!configMaps.has(name)) configMaps.set(name, await input.configMaps(namespace, name));
    return configMaps.get(name);
  };
  const getSecret = async (name: string): Promise<corev1.Secret | undefined> => {
    if (!secrets.has(name)) secrets.set(name, await input.secrets(namespace, name));
    return secrets.get(name);
  };

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let entries: Array<[string, string]>;
    let what: string;
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      const configMap = await getConfigMap(name);
      if (!configMap) {
        if (from.configMapRef.optional) continue;
        throw configMapNotFound(name);
      }
      entries = Object.entries(configMap.data ?? {});
      what = `configMap ${namespace}/${name}`;
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      const secret = await getSecret(name);
      if (!secret) {
        if (from.secretRef.optional) continue;
        throw secretNotFound(name);
      }
      entries = Object.entries(secret.data ?? {}).map(([k, v]) => [k, decodeSecretValue(v)]);
      what = `secret ${namespace}/${name}`;
    } else {
      continue;
    }
    const invalid: string[] = [];
    for (const [key, value] of entries) {
      const name = prefix + key;
      if (!isEnvVarName(name)) invalid.push(name);
      else env.set(name, value);
    }
    if (invalid.length > 0) {
      warnings.push({
        reason: 'InvalidEnvironmentVariableNames',
        message: `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${what} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }

  const lookup = mappingOf(env, serviceEnv);
  for (const variable of container.env ?? []) {
    let value = variable.value ?? '';
    if (value !== '') {
      value = expand(value, lookup);
    } else if (variable.valueFrom) {
      const from = variable.valueFrom;
      if (from.fieldRef) {
        value = podFieldValue(pod, from.fieldRef.fieldPath ?? '', facts);
      } else if (from.resourceFieldRef) {
        const ref = from.resourceFieldRef;
        const target = ref.containerName ? findContainer(pod, ref.containerName) : container;
        if (!target) throw new EnvResolutionError(`container ${ref.containerName ?? ''} not found`);
        value = containerResourceValue(target, ref.resource ?? '', ref.divisor, input.nodeAllocatable);
      } else if (from.configMapKeyRef) {
        const { name = '', key = '', optional = false } = from.configMapKeyRef;
        const configMap = await getConfigMap(name);
        if (!configMap) {
          if (optional) continue;
          throw configMapNotFound(name);
        }
        const found = configMap.data?.[key];
        if (found === undefined) {
          if (optional) continue;
          throw new EnvResolutionError(`couldn't find key ${key} in ConfigMap ${namespace}/${name}`);
        }
        value = found;
      } else if (from.secretKeyRef) {
        const { name = '', key = '', optional = false } = from.secretKeyRef;
        const secret = await getSecret(name);
        if (!secret) {
          if (optional) continue;
          throw secretNotFound(name);
        }
        const found = secret.data?.[key];
        if (found === undefined) {
          if (optional) continue;
          throw new EnvResolutionError(`couldn't find key ${key} in Secret ${namespace}/${name}`);
        }
        value = decodeSecretValue(found);
      }
    }
    env.set(variable.name, value);
  }

  const result: EnvPair[] = [...env].map(([name, value]) => ({ name, value }));
  for (const [name, value] of serviceEnv) if (!env.has(name)) result.push({ name, value });
  return { env: result, warnings };
}

/** `NAME=value` strings for Docker's Env. */
export function toDockerEnv(env: EnvPair[]): string[] {
  return env.map((e) => `${e.name}=${e.value}`);
}
