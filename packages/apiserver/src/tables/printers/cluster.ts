// Cluster-level and control-plane objects: nodes, namespaces, events, leases, RBAC bindings, quotas,
// priority/runtime classes, CSRs, component statuses, admission configuration, API priority and fairness.
import type { JsonObject, JsonValue } from '@k8ts/api-machinery';
import { get, isSet, list, num, obj, objs, optBool, optNum, optStr, str, strMap } from '../access.js';
import { humanDuration, parseTime, timestampSince } from '../duration.js';
import { compareStrings, labelSelectorString } from '../format.js';
import { quantityString } from '../quantity.js';
import { AGE_COLUMN, NAME_COLUMN, age, col, name, wide, type Printer } from '../types.js';

// ---- Node ----

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** "Ready" / "NotReady" / "Unknown" from the Ready condition, plus ",SchedulingDisabled" when cordoned. */
export function nodeStatus(node: JsonObject): string {
  // Later conditions of the same type override earlier ones, as a map keyed by type would.
  let ready: JsonObject | undefined;
  for (const c of objs(node, 'status', 'conditions')) if (str(c, 'type') === 'Ready') ready = c;
  const parts = [ready === undefined ? 'Unknown' : str(ready, 'status') === 'True' ? 'Ready' : 'NotReady'];
  if (optBool(node, 'spec', 'unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Sorted roles from node-role.kubernetes.io/<role> labels and the legacy kubernetes.io/role label. */
export function nodeRoles(node: JsonObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(strMap(node, 'metadata', 'labels'))) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (k === LEGACY_ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return roles.size ? [...roles].sort(compareStrings).join(',') : '<none>';
}

function nodeAddress(node: JsonObject, type: string): string {
  const a = objs(node, 'status', 'addresses').find((x) => str(x, 'type') === type);
  return a ? str(a, 'address') : '<none>';
}

const orUnknown = (s: string): string => (s === '' ? '<unknown>' : s);

export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'Readiness of the node, and whether scheduling onto it is disabled.'),
    col('Roles', 'string', 'Roles taken from the node-role labels.'),
    AGE_COLUMN,
    col('Version', 'string', 'Kubelet version reported by the node.'),
    wide('Internal-IP', 'string', 'The first internal address of the node.'),
    wide('External-IP', 'string', 'The first external address of the node.'),
    wide('OS-Image', 'string', 'Operating system image reported by the node.'),
    wide('Kernel-Version', 'string', 'Kernel version reported by the node.'),
    wide('Container-Runtime', 'string', 'Container runtime name and version reported by the node.'),
  ],
  cells(node, now) {
    const info = get(node, 'status', 'nodeInfo');
    return [
      name(node),
      nodeStatus(node),
      nodeRoles(node),
      age(node, now),
      str(info, 'kubeletVersion'),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      orUnknown(str(info, 'osImage')),
      orUnknown(str(info, 'kernelVersion')),
      orUnknown(str(info, 'containerRuntimeVersion')),
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, col('Status', 'string', 'Lifecycle phase of the namespace: Active or Terminating.'), AGE_COLUMN],
  cells(o, now) {
    // Namespaces are created Active by the apiserver.
    return [name(o), optStr(o, 'status', 'phase') ?? 'Active', age(o, now)];
  },
};

// ---- Event ----

/** The fields printEvent reads, taken from a core/v1 Event or an events.k8s.io/v1 Event. */
interface EventView {
  firstTimestamp: JsonValue | undefined;
  lastTimestamp: JsonValue | undefined;
  eventTime: JsonValue | undefined;
  series: JsonValue | undefined;
  count: number;
  involved: JsonValue | undefined;
  sourceComponent: string;
  sourceHost: string;
  reportingController: string;
  reportingInstance: string;
  message: string;
}

function eventView(e: JsonObject, newApi: boolean): EventView {
  if (newApi) {
    return {
      firstTimestamp: get(e, 'deprecatedFirstTimestamp'),
      lastTimestamp: get(e, 'deprecatedLastTimestamp'),
      eventTime: get(e, 'eventTime'),
      series: get(e, 'series'),
      count: num(e, 'deprecatedCount'),
      involved: get(e, 'regarding'),
      sourceComponent: str(e, 'deprecatedSource', 'component'),
      sourceHost: str(e, 'deprecatedSource', 'host'),
      reportingController: str(e, 'reportingController'),
      reportingInstance: str(e, 'reportingInstance'),
      message: str(e, 'note'),
    };
  }
  return {
    firstTimestamp: get(e, 'firstTimestamp'),
    lastTimestamp: get(e, 'lastTimestamp'),
    eventTime: get(e, 'eventTime'),
    series: get(e, 'series'),
    count: num(e, 'count'),
    involved: get(e, 'involvedObject'),
    sourceComponent: str(e, 'source', 'component'),
    sourceHost: str(e, 'source', 'host'),
    // core/v1 serialises ReportingController as "reportingComponent".
    reportingController: str(e, 'reportingComponent'),
    reportingInstance: str(e, 'reportingInstance'),
    message: str(e, 'message'),
  };
}

/** "component, host", falling back to the reporting controller/instance of the newer event API. */
function eventSource(v: EventView): string {
  const component = v.sourceComponent || v.reportingController;
  const instance = v.sourceHost || v.reportingInstance;
  return instance === '' ? component : `${component}, ${instance}`;
}

function eventCells(e: JsonObject, now: Date, newApi: boolean): JsonValue[] {
  const v = eventView(e, newApi);
  const firstSeen =
    parseTime(v.firstTimestamp) === undefined ? timestampSince(v.eventTime, now) : timestampSince(v.firstTimestamp, now);
  let lastSeen = parseTime(v.lastTimestamp) === undefined ? firstSeen : timestampSince(v.lastTimestamp, now);
  let count = v.count;
  if (v.series !== undefined && v.series !== null) {
    lastSeen = timestampSince(get(v.series, 'lastObservedTime'), now);
    count = num(v.series, 'count');
  } else if (count === 0) {
    // Singleton events of the newer API carry no count.
    count = 1;
  }
  const kind = str(v.involved, 'kind').toLowerCase();
  const involvedName = str(v.involved, 'name');
  return [
    lastSeen,
    str(e, 'type'),
    str(e, 'reason'),
    involvedName === '' ? kind : `${kind}/${involvedName}`,
    str(v.involved, 'fieldPath'),
    eventSource(v),
    v.message.trim(),
    firstSeen,
    count,
    name(e),
  ];
}

const eventColumns = [
  col('Last Seen', 'string', 'How long ago the event was last observed.'),
  col('Type', 'string', 'Event severity: Normal or Warning.'),
  col('Reason', 'string', 'Short machine-readable cause of the event.'),
  col('Object', 'string', 'The object the event is about, as kind/name.'),
  wide('Subobject', 'string', 'Part of the object the event concerns, such as a container.'),
  wide('Source', 'string', 'The component (and host) that reported the event.'),
  col('Message', 'string', 'Human-readable description of the event.'),
  wide('First Seen', 'string', 'How long ago the event was first observed.'),
  wide('Count', 'string', 'How many times the event has occurred.'),
  col('Name', 'string', 'Name of the Event object.', { format: 'name', priority: 1 }),
];

export const eventPrinter: Printer = { columns: eventColumns, cells: (e, now) => eventCells(e, now, false) };
/** events.k8s.io/v1 Events share the core printer; only the field names differ. */
export const eventsV1Printer: Printer = { columns: eventColumns, cells: (e, now) => eventCells(e, now, true) };

/**
 * The "LAST SEEN" text of `kubectl events` / `kubectl describe`: "5m (x3 over 10m)" for repeated events.
 * Not used in server tables (printEvent never produces it); offered for client-style output.
 */
export function eventInterval(e: JsonObject, now: Date): string {
  const v = eventView(e, get(e, 'regarding') !== undefined || get(e, 'note') !== undefined);
  const first = parseTime(v.eventTime) === undefined ? timestampSince(v.firstTimestamp, now) : timestampSince(v.eventTime, now);
  if (v.series !== undefined && v.series !== null) {
    return `${timestampSince(get(v.series, 'lastObservedTime'), now)} (x${num(v.series, 'count')} over ${first})`;
  }
  if (v.count > 1) return `${timestampSince(v.lastTimestamp, now)} (x${v.count} over ${first})`;
  return first;
}

// ---- Coordination ----

export const leasePrinter: Printer = {
  columns: [NAME_COLUMN, col('Holder', 'string', 'Identity currently holding the lease.'), AGE_COLUMN],
  cells(o, now) {
    return [name(o), str(o, 'spec', 'holderIdentity'), age(o, now)];
  },
};

export const leaseCandidatePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('LeaseName', 'string', 'The lease this candidate competes for.'),
    col('BinaryVersion', 'string', 'Binary version of the candidate.'),
    col('EmulationVersion', 'string', 'Version the candidate emulates.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    return [name(o), str(o, 'spec', 'leaseName'), str(o, 'spec', 'binaryVersion'), str(o, 'spec', 'emulationVersion'), age(o, now)];
  },
};

// ---- RBAC ----

function subjectLists(o: JsonObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of objs(o, 'subjects')) {
    const kind = str(s, 'kind');
    if (kind === 'ServiceAccount') sas.push(`${str(s, 'namespace')}/${str(s, 'name')}`);
    else if (kind === 'User') users.push(str(s, 'name'));
    else if (kind === 'Group') groups.push(str(s, 'name'));
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

const bindingPrinter = (what: string): Printer => ({
  columns: [
    NAME_COLUMN,
    col('Role', 'string', 'The role granted, as Kind/name.'),
    AGE_COLUMN,
    wide('Users', 'string', `Users bound by the ${what}.`),
    wide('Groups', 'string', `Groups bound by the ${what}.`),
    wide('ServiceAccounts', 'string', `Service accounts (namespace/name) bound by the ${what}.`),
  ],
  cells(o, now) {
    return [name(o), `${str(o, 'roleRef', 'kind')}/${str(o, 'roleRef', 'name')}`, age(o, now), ...subjectLists(o)];
  },
});

export const roleBindingPrinter = bindingPrinter('role binding');
export const clusterRoleBindingPrinter = bindingPrinter('cluster role binding');

// ---- ResourceQuota ----

export const resourceQuotaPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Request', 'string', 'Used and hard amounts of quota-limited resources other than limits.*.'),
    col('Limit', 'string', 'Used and hard amounts of the limits.* resources.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    const hard = obj(o, 'status', 'hard') ?? {};
    const used = obj(o, 'status', 'used') ?? {};
    const request: string[] = [];
    const limit: string[] = [];
    for (const res of Object.keys(hard).sort(compareStrings)) {
      const text = `${res}: ${quantityString(used[res])}/${quantityString(hard[res])}`;
      const pieces = res.split('.');
      (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(text);
    }
    return [name(o), request.join(', '), limit.join(', '), age(o, now)];
  },
};

// ---- Scheduling / node ----

export const priorityClassPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Value', 'integer', 'Scheduling priority of pods using this class.'),
    col('Global-Default', 'boolean', 'Whether pods without a class get this one.'),
    AGE_COLUMN,
    col('PreemptionPolicy', 'string', 'Whether pods of this class may preempt lower-priority pods.'),
  ],
  cells(o, now) {
    return [name(o), num(o, 'value'), optBool(o, 'globalDefault') ?? false, age(o, now), optStr(o, 'preemptionPolicy') ?? 'PreemptLowerPriority'];
  },
};

export const runtimeClassPrinter: Printer = {
  columns: [NAME_COLUMN, col('Handler', 'string', 'The container runtime handler this class selects.'), AGE_COLUMN],
  cells(o, now) {
    return [name(o), str(o, 'handler'), age(o, now)];
  },
};

// ---- Certificates ----

function csrCondition(o: JsonObject): string {
  const types = new Set(objs(o, 'status', 'conditions').map((c) => str(c, 'type')));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (str(o, 'status', 'certificate') !== '') s += ',Issued';
  return s;
}

export const certificateSigningRequestPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    col('SignerName', 'string', 'The signer asked to sign the certificate.'),
    col('Requestor', 'string', 'User that created the request.'),
    col('RequestedDuration', 'string', 'Validity period asked for.'),
    col('Condition', 'string', 'Approval state and whether a certificate was issued.'),
  ],
  cells(o, now) {
    const seconds = optNum(o, 'spec', 'expirationSeconds');
    return [
      name(o),
      age(o, now),
      str(o, 'spec', 'signerName') || '<none>',
      str(o, 'spec', 'username'),
      seconds === undefined ? '<none>' : humanDuration(seconds * 1000),
      csrCondition(o),
    ];
  },
};

export const clusterTrustBundlePrinter: Printer = {
  columns: [NAME_COLUMN, col('SignerName', 'string', 'The signer whose trust anchors the bundle carries.')],
  cells(o) {
    return [name(o), str(o, 'spec', 'signerName') || '<none>'];
  },
};

export const componentStatusPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'Healthy or Unhealthy, from the component probe.'),
    col('Message', 'string', 'Message from the probe.'),
    col('Error', 'string', 'Error from the probe.'),
  ],
  cells(o) {
    const c = objs(o, 'conditions').find((x) => str(x, 'type') === 'Healthy');
    const status = c === undefined ? 'Unknown' : str(c, 'status') === 'True' ? 'Healthy' : 'Unhealthy';
    return [name(o), status, str(c, 'message'), str(c, 'error')];
  },
};

// ---- Admission ----

const webhookPrinter: Printer = {
  columns: [NAME_COLUMN, col('Webhooks', 'integer', 'Number of webhooks in the configuration.'), AGE_COLUMN],
  cells(o, now) {
    return [name(o), list(o, 'webhooks').length, age(o, now)];
  },
};
export const mutatingWebhookPrinter = webhookPrinter;
export const validatingWebhookPrinter = webhookPrinter;

export const validatingAdmissionPolicyPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Validations', 'integer', 'Number of validation expressions in the policy.'),
    col('ParamKind', 'string', 'Kind of the resource that parameterises the policy.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    const pk = get(o, 'spec', 'paramKind');
    const paramKind = pk === undefined || pk === null ? '<unset>' : `${str(pk, 'apiVersion')}/${str(pk, 'kind')}`;
    return [name(o), list(o, 'spec', 'validations').length, paramKind, age(o, now)];
  },
};

export const validatingAdmissionPolicyBindingPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('PolicyName', 'string', 'The policy this binding applies.'),
    col('ParamRef', 'string', 'The parameter resource used with the policy.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    let param = '<unset>';
    const pr = obj(o, 'spec', 'paramRef');
    if (pr) {
      const prName = str(pr, 'name');
      if (prName !== '') param = `${str(pr, 'namespace') || '*'}/${prName}`;
      else if (isSet(pr, 'selector')) param = labelSelectorString(get(pr, 'selector')) ?? '<error>';
    }
    return [name(o), str(o, 'spec', 'policyName'), param, age(o, now)];
  },
};

// ---- API priority and fairness ----

export const flowSchemaPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('PriorityLevel', 'string', 'Priority level that matching requests are assigned to.'),
    col('MatchingPrecedence', 'string', 'Lower values are matched first.'),
    col('DistinguisherMethod', 'string', 'How requests are split into flows.'),
    AGE_COLUMN,
    col('MissingPL', 'string', 'Whether the referenced priority level does not exist.'),
  ],
  cells(o, now) {
    const dangling = objs(o, 'status', 'conditions').find((c) => str(c, 'type') === 'Dangling');
    return [
      name(o),
      str(o, 'spec', 'priorityLevelConfiguration', 'name'),
      num(o, 'spec', 'matchingPrecedence'),
      optStr(o, 'spec', 'distinguisherMethod', 'type') ?? '<none>',
      age(o, now),
      dangling ? str(dangling, 'status') : '?',
    ];
  },
  order(objects) {
    // Listed in evaluation order: precedence, then name.
    return [...objects].sort(
      (a, b) => num(a, 'spec', 'matchingPrecedence') - num(b, 'spec', 'matchingPrecedence') || compareStrings(name(a), name(b)),
    );
  },
};

export const priorityLevelPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Type', 'string', 'Exempt or Limited.'),
    col('NominalConcurrencyShares', 'string', 'Share of the server concurrency limit.'),
    col('Queues', 'string', 'Number of queues.'),
    col('HandSize', 'string', 'Queues each flow is shuffle-sharded over.'),
    col('QueueLengthLimit', 'string', 'Maximum requests waiting in one queue.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    const limited = obj(o, 'spec', 'limited');
    const queuing = obj(limited, 'limitResponse', 'queuing');
    const n = (v: number | undefined): JsonValue => (v === undefined ? 0 : v);
    return [
      name(o),
      str(o, 'spec', 'type'),
      limited ? n(optNum(limited, 'nominalConcurrencyShares')) : '<none>',
      queuing ? n(optNum(queuing, 'queues')) : '<none>',
      queuing ? n(optNum(queuing, 'handSize')) : '<none>',
      queuing ? n(optNum(queuing, 'queueLengthLimit')) : '<none>',
      age(o, now),
    ];
  },
};
