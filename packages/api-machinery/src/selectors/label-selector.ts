// Label selectors (labels.Selector): parsed from the `labelSelector` query string or converted from a
// metav1.LabelSelector object ({matchLabels, matchExpressions}), then matched against an object's labels.
import { isJsonObject, type JsonObject } from '../json.js';
import { goQuote } from '../json/go-quote.js';
import { type LabelOperator, type LabelRequirement, type Labels, newRequirement, requirementMatches, requirementString } from './label-requirement.js';
import { parseLabelRequirements } from './label-selector-parser.js';
import { SelectorParseError } from './selector-error.js';

export type { LabelOperator, LabelRequirement, Labels } from './label-requirement.js';

export class LabelSelector {
  private constructor(
    /** Sorted by key, as Kubernetes keeps them (stable for equal keys). */
    readonly requirements: readonly LabelRequirement[],
    private readonly selectsNothing = false,
  ) {}

  private static readonly EVERYTHING = new LabelSelector([]);
  private static readonly NOTHING = new LabelSelector([], true);

  /** Matches every object (the empty selector). */
  static everything(): LabelSelector {
    return LabelSelector.EVERYTHING;
  }

  /** Matches no object: what a missing (null) LabelSelector object means. */
  static nothing(): LabelSelector {
    return LabelSelector.NOTHING;
  }

  static fromRequirements(requirements: readonly LabelRequirement[]): LabelSelector {
    return new LabelSelector([...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
  }

  matches(labels: Labels | undefined): boolean {
    if (this.selectsNothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  /** True when the selector does not restrict anything (the nothing-selector is not empty). */
  isEmpty(): boolean {
    return !this.selectsNothing && this.requirements.length === 0;
  }

  matchesNothing(): boolean {
    return this.selectsNothing;
  }

  /** The value a label must have for every match (`key=v`, `key==v`, `key in (v)`), if any. */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((req) => req.key === key);
    if (!r || r.values.length !== 1) return undefined;
    return r.operator === '=' || r.operator === '==' || r.operator === 'in' ? r.values[0] : undefined;
  }

  /** The canonical text Kubernetes prints: requirements by key, values sorted, no spaces but around in/notin. */
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** labels.Parse: the full selector grammar; "" selects everything. Throws SelectorParseError in Kubernetes' words. */
export function parseLabelSelector(text: string): LabelSelector {
  return LabelSelector.fromRequirements(parseLabelRequirements(text));
}

/** metav1.LabelSelectorRequirement operators. */
export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** The metav1.LabelSelector API object. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | undefined;
  matchExpressions?: { key: string; operator: string; values?: string[] | undefined }[] | undefined;
}

const EXPRESSION_OPERATORS: Record<LabelSelectorOperator, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function stringsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.map(stringOf) : [];
}

/**
 * metav1.LabelSelectorAsSelector: null/undefined selects nothing, an empty object everything. Invalid keys, values
 * or operators throw SelectorParseError with Kubernetes' message. Fields of the wrong JSON type read as empty.
 */
export function labelSelectorFromObject(obj: LabelSelectorObject | JsonObject | null | undefined): LabelSelector {
  if (obj === null || obj === undefined) return LabelSelector.nothing();
  const matchLabels: unknown = obj.matchLabels;
  const matchExpressions: unknown = obj.matchExpressions;
  const labelEntries = isJsonObject(matchLabels) ? Object.entries(matchLabels) : [];
  const expressions = Array.isArray(matchExpressions) ? matchExpressions.filter(isJsonObject) : [];
  if (labelEntries.length + expressions.length === 0) return LabelSelector.everything();

  const requirements: LabelRequirement[] = [];
  for (const [key, value] of labelEntries) requirements.push(newRequirement(key, '=', [stringOf(value)]));
  for (const expr of expressions) {
    const operatorName = stringOf(expr['operator']);
    const operator = Object.hasOwn(EXPRESSION_OPERATORS, operatorName) ? EXPRESSION_OPERATORS[operatorName as LabelSelectorOperator] : undefined;
    if (!operator) throw new SelectorParseError(`${goQuote(operatorName)} is not a valid label selector operator`);
    requirements.push(newRequirement(stringOf(expr['key']), operator, stringsOf(expr['values'])));
  }
  return LabelSelector.fromRequirements(requirements);
}
