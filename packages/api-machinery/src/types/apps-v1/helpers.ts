// Small helpers shared by the workload and cluster-group type modules (apps, batch, policy, autoscaling,
// networking, rbac, storage): JSON narrowing, kind/list schema scaffolding, label-selector matching, int-or-percent
// checks and the few apimachinery checks names.ts lacks, each returning Kubernetes' own detail messages.
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../../json.js';
import { s, type Schema } from '../../schema/schema.js';
import { labelSelectorFromObject, LabelSelector, SelectorParseError, validateLabelSelector, type LabelSelectorValidationOptions } from '../../selectors/index.js';
import { fieldErrors, type FieldError } from '../../validation/field-error.js';
import { isDNS1123Subdomain, maxLenError, regexError } from '../../validation/names.js';
import { LIST_META, OBJECT_META } from '../meta-v1/schemas.js';

// ---------------------------------------------------------------------------------------------------------------
// JSON narrowing

export function obj(v: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(v) ? v : undefined;
}
export function arr(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function num(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
/** Go's zero-value view of a string field: absent and null read as "". */
export function strOr(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}
/** Labels-like map[string]string, or undefined when absent. */
export function stringMap(v: JsonValue | undefined): Record<string, string> | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Drops null, "", [] and {} recursively: Go's semantic equality treats them like absent (nil/zero) values. */
function prune(v: JsonValue | undefined): JsonValue | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (Array.isArray(v)) {
    const items = v.map((x) => prune(x) ?? null);
    return items.length ? items : undefined;
  }
  if (typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, val] of Object.entries(v)) {
      const p = prune(val);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}
/** Equality as apimachinery's Semantic.DeepEqual sees decoded Go structs (empty and absent are the same). */
export function semanticEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return jsonEqual(prune(a), prune(b));
}

// ---------------------------------------------------------------------------------------------------------------
// Schema scaffolding

/** The component schema of a top-level kind: apiVersion, kind, metadata, the given fields and its GVK. */
export function kindSchema(group: string, version: string, kind: string, description: string, fields: Record<string, Schema>, required?: string[]): Schema {
  const r = s.object(
    {
      apiVersion: s.string('Versioned schema of this object; the server converts recognized values.'),
      kind: s.string('Kind of this object, in CamelCase.'),
      metadata: s.ref(OBJECT_META, "Standard object metadata."),
      ...fields,
    },
    description,
    required ? { required } : undefined,
  );
  r['x-kubernetes-group-version-kind'] = [{ group, version, kind }];
  return r;
}

/** The `<Kind>List` component that list responses use. */
export function listSchema(group: string, version: string, kind: string, itemComponent: string): Schema {
  const r = s.object(
    {
      apiVersion: s.string('Versioned schema of this list.'),
      kind: s.string('Kind of this list, in CamelCase.'),
      metadata: s.ref(LIST_META, 'Standard list metadata.'),
      items: s.array(s.ref(itemComponent), `The ${kind} objects.`),
    },
    `A list of ${kind} objects.`,
    { required: ['items'] },
  );
  r['x-kubernetes-group-version-kind'] = [{ group, version, kind: `${kind}List` }];
  return r;
}

/**
 * A workload-style condition (type/status/times/reason/message), merged by `type` in patches. Like the status
 * counters, its fields are not `required`: Kubernetes never validates their presence in these statuses.
 */
export function conditionSchema(description: string, extraTimes: Record<string, Schema> = {}): Schema {
  return s.object(
    {
      type: s.string('Type of the condition.'),
      status: s.enumOf(['True', 'False', 'Unknown'], 'Whether the condition holds: True, False or Unknown.'),
      ...extraTimes,
      lastTransitionTime: s.time('When the condition last moved from one status to another.'),
      reason: s.string('Machine-readable reason for the last transition.'),
      message: s.string('Human-readable details about the last transition.'),
    },
    description,
  );
}

export function conditionsArray(component: string, description: string, listType: 'map' | 'atomic' = 'map'): Schema {
  return s.array(s.ref(component), description, {
    mergeKey: 'type',
    strategy: 'merge',
    listType,
    ...(listType === 'map' ? { listMapKeys: ['type'] } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// apimachinery checks that src/validation/names.ts does not carry

const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD_FMT = `\\*\\.${DNS1123_SUBDOMAIN_FMT}`;
const WILDCARD_RE = new RegExp(`^${WILDCARD_FMT}$`);

/** validation.IsWildcardDNS1123Subdomain: "*.example.com" hosts of Ingress rules and TLS entries. */
export function isWildcardDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(v) > 253) errs.push(maxLenError(253));
  if (!WILDCARD_RE.test(v)) {
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_FMT,
        '*.example.com',
      ),
    );
  }
  return errs;
}

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);

/** validation.IsDomainPrefixedPath: "acme.io/foo" style controller names. */
export function isDomainPrefixedPath(path: string, value: string): FieldError[] {
  if (value.length === 0) return [fieldErrors.required(path)];
  const i = value.indexOf('/');
  if (i <= 0 || i === value.length - 1) return [fieldErrors.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, i);
  const rest = value.slice(i + 1);
  const errs = isDNS1123Subdomain(host).map((m) => fieldErrors.invalid(path, host, m));
  if (!HTTP_PATH_RE.test(rest)) errs.push(fieldErrors.invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errs;
}

// ---------------------------------------------------------------------------------------------------------------
// Label selectors

export type SelectorView =
  | { kind: 'nothing' } // nil selector: matches no object
  | { kind: 'everything' } // empty selector: matches every object
  | { kind: 'invalid' } // does not convert (bad operator, key or values)
  | { kind: 'requirements'; selector: LabelSelector };

/** metav1.LabelSelectorAsSelector, telling apart the cases workload validation treats differently. */
export function selectorView(sel: JsonValue | undefined): SelectorView {
  const o = obj(sel);
  if (!o) return { kind: 'nothing' };
  try {
    const selector = labelSelectorFromObject(o);
    return selector.isEmpty() ? { kind: 'everything' } : { kind: 'requirements', selector };
  } catch (e) {
    if (e instanceof SelectorParseError) return { kind: 'invalid' };
    throw e;
  }
}

/** Selects (true) or not (false); an invalid selector selects nothing. */
export function selectorMatches(view: SelectorView, labels: Record<string, string>): boolean {
  if (view.kind === 'everything') return true;
  if (view.kind === 'requirements') return view.selector.matches(labels);
  return false;
}

/**
 * ValidateLabelSelector at `path`, minus the requirement key and operator checks: the LabelSelectorRequirement
 * schema already validates those (qualified-name format, operator enum), and they must not be reported twice.
 */
export function labelSelectorErrors(sel: JsonValue | undefined, path: string, options?: LabelSelectorValidationOptions): FieldError[] {
  return validateLabelSelector(sel, path, options).filter((e) => !/\.matchExpressions\[\d+\]\.(key|operator)$/.test(e.field));
}

// ---------------------------------------------------------------------------------------------------------------
// intstr.IntOrString as the apps validation reads it

const PERCENT_RE = /^[0-9]+%$/;

function percentValue(v: JsonValue | undefined): number | undefined {
  if (typeof v !== 'string' || !PERCENT_RE.test(v)) return undefined;
  return Number.parseInt(v.slice(0, -1), 10);
}

/** getIntOrPercentValue: percent strings give their number, other strings what strconv.Atoi makes of them (or 0). */
export function intOrPercentValue(v: JsonValue | undefined): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[+-]?[0-9]+$/.test(v)) return Number.parseInt(v, 10);
  return 0;
}

/** ValidatePositiveIntOrPercent: a non-negative integer or a "<digits>%" string. */
export function validatePositiveIntOrPercent(v: JsonValue | undefined, path: string): FieldError[] {
  if (typeof v === 'string') {
    return PERCENT_RE.test(v)
      ? []
      : [fieldErrors.invalid(path, v, regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%'))];
  }
  if (typeof v === 'number') return v < 0 ? [fieldErrors.invalid(path, v, 'must be greater than or equal to 0')] : [];
  return [];
}

export function isNotMoreThan100Percent(v: JsonValue | undefined, path: string): FieldError[] {
  const p = percentValue(v);
  return p !== undefined && p > 100 ? [fieldErrors.invalid(path, v, 'must not be greater than 100%')] : [];
}
