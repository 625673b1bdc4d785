// The label selector string grammar (labels.Parse of Kubernetes 1.32): a lexer and a recursive-descent parser that
// accept, reject and word their errors exactly as Kubernetes does, quirks included.
//
//   <selector>    ::= <requirement> | <requirement> "," <selector>
//   <requirement> ::= [!] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
import { labelKeyError, type LabelOperator, type LabelRequirement, newRequirement } from './label-requirement.js';
import { SelectorParseError } from './selector-error.js';

type TokenKind =
  | 'end'
  | 'closedPar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

interface Token {
  kind: TokenKind;
  literal: string;
}

const LITERAL_TOKENS = new Map<string, TokenKind>([
  [')', 'closedPar'],
  [',', 'comma'],
  ['!', 'doesNotExist'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

const SPECIAL_SYMBOLS = '=!(),><';
const WHITESPACE = ' \t\r\n';

/** The binary operators in the order Kubernetes lists them in "expected: ..." messages. */
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && WHITESPACE.includes(text[pos]!)) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', literal: '' });
      return tokens;
    }
    if (SPECIAL_SYMBOLS.includes(text[pos]!)) {
      // The longest run of special symbols that is still a token: "!=" rather than "!" then "=".
      let best: Token | undefined;
      let buffer = '';
      while (pos < text.length && SPECIAL_SYMBOLS.includes(text[pos]!)) {
        buffer += text[pos];
        const kind = LITERAL_TOKENS.get(buffer);
        if (kind) best = { kind, literal: buffer };
        else if (best) break;
        pos++;
      }
      // Every single special symbol is a token, so `best` is always set here.
      tokens.push(best ?? { kind: 'identifier', literal: buffer });
      continue;
    }
    const start = pos;
    while (pos < text.length && !SPECIAL_SYMBOLS.includes(text[pos]!) && !WHITESPACE.includes(text[pos]!)) pos++;
    const word = text.slice(start, pos);
    tokens.push({ kind: LITERAL_TOKENS.get(word) ?? 'identifier', literal: word });
  }
}

type Context = 'keyAndOperator' | 'values';

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  // In a values context the keywords "in" and "notin" are plain identifiers ("x in (in)", "in=notin").
  private kindIn(token: Token, context: Context): TokenKind {
    return context === 'values' && (token.kind === 'in' || token.kind === 'notIn') ? 'identifier' : token.kind;
  }

  private lookahead(context: Context): Token {
    const token = this.tokens[this.position]!;
    return { kind: this.kindIn(token, context), literal: token.literal };
  }

  private consume(context: Context): Token {
    const token = this.lookahead(context);
    this.position++;
    return token;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const next = this.lookahead('values');
      if (next.kind === 'end') return requirements;
      if (next.kind !== 'identifier' && next.kind !== 'doesNotExist') {
        throw new SelectorParseError(`found '${next.literal}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.parseRequirement());
      const after = this.consume('values');
      if (after.kind === 'end') return requirements;
      if (after.kind !== 'comma') throw new SelectorParseError(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.lookahead('values');
      if (following.kind !== 'identifier' && following.kind !== 'doesNotExist') {
        throw new SelectorParseError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    try {
      const [key, inferred] = this.parseKeyAndInferOperator();
      if (inferred) return newRequirement(key, inferred, []);
      const operator = this.parseOperator();
      const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
      // Kubernetes collects values in a string set: sorted, duplicates dropped.
      return newRequirement(key, operator, [...new Set(values)].sort());
    } catch (err) {
      if (err instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${err.message}`);
      throw err;
    }
  }

  /** The key, and the operator when it is implied: "!key" (DoesNotExist) or a bare "key" (Exists). */
  private parseKeyAndInferOperator(): [string, LabelOperator | undefined] {
    let operator: LabelOperator | undefined;
    let token = this.consume('values');
    if (token.kind === 'doesNotExist') {
      operator = '!';
      token = this.consume('values');
    }
    if (token.kind !== 'identifier') throw new SelectorParseError(`found '${token.literal}', expected: identifier`);
    // The string parser has no field path, which Kubernetes prints as "<nil>".
    const keyError = labelKeyError(token.literal, '<nil>');
    if (keyError) throw new SelectorParseError(keyError);
    const next = this.lookahead('values').kind;
    if ((next === 'end' || next === 'comma') && operator !== '!') operator = 'exists';
    return [token.literal, operator];
  }

  private parseOperator(): LabelOperator {
    const token = this.consume('keyAndOperator');
    switch (token.kind) {
      case 'in':
        return 'in';
      case 'equals':
        return '=';
      case 'doubleEquals':
        return '==';
      case 'greaterThan':
        return 'gt';
      case 'lessThan':
        return 'lt';
      case 'notIn':
        return 'notin';
      case 'notEquals':
        return '!=';
      default:
        throw new SelectorParseError(`found '${token.literal}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private parseValues(): string[] {
    const open = this.consume('values');
    if (open.kind !== 'openPar') throw new SelectorParseError(`found '${open.literal}' expected: '('`);
    const first = this.lookahead('values');
    if (first.kind === 'identifier' || first.kind === 'comma') {
      const values = this.parseIdentifiersList();
      // Kubernetes names the token after '(' here, not the one it found.
      if (this.consume('values').kind !== 'closedPar') throw new SelectorParseError(`found '${first.literal}', expected: ')'`);
      return values;
    }
    if (first.kind === 'closedPar') {
      this.consume('values');
      return [''];
    }
    throw new SelectorParseError(`found '${first.literal}', expected: ',', ')' or identifier`);
  }

  /** A comma-separated list of possibly empty values, up to (not including) ')'. */
  private parseIdentifiersList(): string[] {
    const values: string[] = [];
    for (;;) {
      const token = this.consume('values');
      if (token.kind === 'identifier') {
        values.push(token.literal);
        const next = this.lookahead('values');
        if (next.kind === 'comma') continue;
        if (next.kind === 'closedPar') return values;
        throw new SelectorParseError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token.kind !== 'comma') throw new SelectorParseError(`found '${token.literal}', expected: ',', or identifier`);
      if (values.length === 0) values.push(''); // "(,"
      const next = this.lookahead('values').kind;
      if (next === 'closedPar') {
        values.push(''); // ",)"
        return values;
      }
      if (next === 'comma') {
        // Kubernetes 1.32 consumes the second comma of ",," here, so "(a,,)" is refused (fixed in later versions).
        this.consume('values');
        values.push('');
      }
    }
  }

  private parseExactValue(): string[] {
    const next = this.lookahead('values').kind;
    if (next === 'end' || next === 'comma') return [''];
    const token = this.consume('values');
    if (token.kind === 'identifier') return [token.literal];
    throw new SelectorParseError(`found '${token.literal}', expected: identifier`);
  }
}

/** The requirements of a selector string, in the order written (Kubernetes sorts them by key afterwards). */
export function parseLabelRequirements(text: string): LabelRequirement[] {
  return new Parser(tokenize(text)).parse();
}
