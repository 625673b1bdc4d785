// Go's %q quoting, used in Kubernetes error texts.
import t from 'tap';
import { goQuote, goStringSlice } from '../../src/json/go-quote.js';

t.test('quotes like strconv.Quote', async (t) => {
  t.equal(goQuote('plain'), '"plain"');
  t.equal(goQuote(''), '""');
  t.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  t.equal(goQuote('\u0007\b\f\n\r\t\v'), '"\\a\\b\\f\\n\\r\\t\\v"');
  t.equal(goQuote('\u0000\u001f\u007f'), '"\\x00\\x1f\\x7f"');
  t.equal(goQuote('héllo 世界 😀'), '"héllo 世界 😀"');
  t.equal(goQuote('\u00a0\u200b\u{e0001}'), '"\\u00a0\\u200b\\U000e0001"');
  t.equal(goQuote('\ud800'), '"\ufffd"');
});

t.test('prints []string as %#v does', async (t) => {
  t.equal(goStringSlice([]), '[]string{}');
  t.equal(goStringSlice(['a', 'b"c']), '[]string{"a", "b\\"c"}');
});
