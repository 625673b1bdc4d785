// Field selectors (fields.ParseSelector of Kubernetes 1.32): comma-separated `field=value`, `field==value` or
// `field!=value` terms; in values, `\,` `\=` and `\\` escape the special characters. A missing field reads as "".
import { SelectorParseError } from './selector-error.js';

export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  /** `==` is stored as `=`, as in Kubernetes. */
  readonly operator: FieldOperator;
  readonly value: string;
}

/** Looks a field up on an object (e.g. `metadata.name`); undefined means absent, which compares as "". */
export type FieldGetter = (field: string) => string | undefined;

/** fields.EscapeValue: backslash first, then ',' and '='. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue, with its two error texts (the unescaped character is printed as its code point). */
export function unescapeFieldValue(text: string): string {
  let out = '';
  let inSlash = false;
  for (const c of text) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorParseError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw new SelectorParseError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new SelectorParseError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** The comma-separated terms; an escaped comma stays inside its term, backslash included. */
function splitTerms(text: string): string[] {
  if (text.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Operators in the order they are tried at each position: "==" before "=" so no '=' is left on the value. */
const TERM_OPERATORS = ['!=', '==', '='] as const;

/** Splits at the first operator (the field part has no escaping): [field, operator, raw value]. */
function splitTerm(term: string): [string, (typeof TERM_OPERATORS)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

export class FieldSelector {
  private constructor(readonly requirements: readonly FieldRequirement[]) {}

  private static readonly EVERYTHING = new FieldSelector([]);

  static everything(): FieldSelector {
    return FieldSelector.EVERYTHING;
  }

  static fromRequirements(requirements: readonly FieldRequirement[]): FieldSelector {
    return new FieldSelector([...requirements]);
  }

  matches(get: FieldGetter): boolean {
    return this.requirements.every((r) => ((get(r.field) ?? '') === r.value) === (r.operator === '='));
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** The field names used, each once, so a server can refuse those it does not support. */
  fields(): string[] {
    return [...new Set(this.requirements.map((r) => r.field))];
  }

  /** The value a field must equal for every match (first `field=value` term), if any: e.g. to narrow a list by name. */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

/**
 * fields.ParseSelector. Terms are sorted (as raw text) before parsing, so errors and requirements come in that order;
 * a term with an empty field and an empty value (`=`) is dropped, as Kubernetes' transform step does.
 */
export function parseFieldSelector(text: string): FieldSelector {
  const terms = splitTerms(text).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw new SelectorParseError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [field, op, rawValue] = split;
    const value = unescapeFieldValue(rawValue);
    if (field === '' && value === '') continue;
    requirements.push({ field, operator: op === '!=' ? '!=' : '=', value });
  }
  return FieldSelector.fromRequirements(requirements);
}
