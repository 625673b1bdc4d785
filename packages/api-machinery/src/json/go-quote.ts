// Go's strconv.Quote (and so fmt's %q): Kubernetes error texts quote keys, values and field paths this way, and a
// few of them (strict decoding, selector parse errors) must match byte for byte.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const SHORT_ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

function hex(codePoint: number, width: number): string {
  return codePoint.toString(16).padStart(width, '0');
}

/** A string in double quotes with Go's escapes: printable runes as they are, others as \a..\v, \xNN, \uNNNN, \UNNNNNNNN. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const codePoint = ch.codePointAt(0) ?? 0;
    if (ch === ' ' || PRINTABLE.test(ch)) out += ch;
    // A lone surrogate becomes U+FFFD once encoded as UTF-8, and Go prints that (printable) rune as is.
    else if (codePoint >= 0xd800 && codePoint <= 0xdfff) out += '\ufffd';
    else if (codePoint < 0x80) out += `\\x${hex(codePoint, 2)}`;
    else if (codePoint < 0x10000) out += `\\u${hex(codePoint, 4)}`;
    else out += `\\U${hex(codePoint, 8)}`;
  }
  return out + '"';
}

/** How Go's %#v prints a []string, e.g. `[]string{"a", "b"}`. */
export function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map(goQuote).join(', ')}}`;
}
