// `bytes` fields: Go's base64.StdEncoding behaviour. Every offset in OBSERVED was etcd 3.4.23's answer to
// POST /v3/kv/range {"key":"<input>"} (message `illegal base64 data at input byte N`, or success).
import t from 'tap';
import fc from 'fast-check';
import { decodeBase64, decodeBase64Key, isCanonicalBase64, normalizeBase64 } from '../../src/api/base64.js';
import { EtcdError } from '../../src/api/types.js';

/** [input (JSON-unescaped), error offset or the decoded bytes as latin1]. */
const OBSERVED: Array<[string, number | string]> = [
  ['Zm9v!', 4],
  ['Zm9', 0],
  ['Zm9vYg', 4],
  ['Zm9vY', 4],
  ['Zm9vYg=', 7],
  ['Zm9=', 'fo'],
  ['Zm8=x', 4],
  ['Zm8=\n', 'fo'],
  ['Zm\n9v', 'foo'],
  ['Zm9v\r\nYmFy', 'foobar'],
  ['=Zm9', 0],
  ['Z===', 1],
  ['Zm==', 'f'],
  ['Zm=v', 2],
  ['Zm9vYmFyYmF6!', 12],
  ['Zm9vYmFy=', 8],
  ['Zm9vYmFy====', 8],
  ['Zm-_', 2],
  ['Zm9v Zm9v', 4],
  ['Zm9vYmE=\n\n', 'fooba'],
  ['Zm8=\nx', 5],
  ['Zm9\u00e9', 3],
  ['Zm9v\u00e9', 4],
  ['Zm8=\u00e9', 4],
  ['Zg=\n=', 'f'],
  ['Zg\n==', 'f'],
  ['Zg=\n', 4],
  ['YWJjZGVmZ2hp!', 12],
  ['YWJjZGVm!', 8],
];

t.test('Go base64 errors and leniencies, as observed on etcd', async (t) => {
  for (const [input, want] of OBSERVED) {
    if (typeof want === 'number') {
      t.throws(() => decodeBase64(input), { message: `illegal base64 data at input byte ${want}`, code: 3 }, JSON.stringify(input));
      t.throws(() => normalizeBase64(input), EtcdError);
    } else {
      t.equal(decodeBase64Key(input), want, JSON.stringify(input));
      t.equal(normalizeBase64(input), Buffer.from(want, 'latin1').toString('base64'), `${JSON.stringify(input)} normalized`);
    }
  }
});

t.test('canonical spelling', async (t) => {
  t.ok(isCanonicalBase64(''));
  t.ok(isCanonicalBase64('Zm9v'));
  t.ok(isCanonicalBase64('Zm8='));
  t.ok(isCanonicalBase64('Zg=='));
  t.notOk(isCanonicalBase64('Zm9='), 'non-zero trailing bits');
  t.notOk(isCanonicalBase64('Zh=='), 'non-zero trailing bits');
  t.notOk(isCanonicalBase64('Zm9v\n'));
  t.notOk(isCanonicalBase64('===='));
  t.notOk(isCanonicalBase64('Zm9'));
  t.notOk(isCanonicalBase64('Zm-_'));
  t.equal(normalizeBase64('Zm8='), 'Zm8=', 'canonical input is returned as is');
  t.equal(decodeBase64Key(''), '');
  t.equal(decodeBase64Key('AP8='), '\x00\xff', 'keys are binary strings');
});

t.test('property: canonical base64 round-trips; line breaks are ignored', async () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('\n', '\r', '\r\n'))), (bytes, breaks) => {
      const buf = Buffer.from(bytes);
      const b64 = buf.toString('base64');
      if (!isCanonicalBase64(b64)) return false;
      if (!decodeBase64(b64).equals(buf)) return false;
      let broken = b64;
      for (const [pos, nl] of breaks) {
        const i = pos % (broken.length + 1);
        broken = broken.slice(0, i) + nl + broken.slice(i);
      }
      return decodeBase64(broken).equals(buf) && normalizeBase64(broken) === b64;
    }),
    { numRuns: 500 },
  );
});

t.test('property: a foreign character is reported at its own offset (no line breaks before it)', async () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 3, maxLength: 30 }), fc.nat(), fc.constantFrom('!', '-', '_', ' ', '.', 'é', '\t'), (bytes, pos, bad) => {
      const b64 = Buffer.from(bytes).toString('base64').replace(/=+$/, '');
      const i = pos % b64.length;
      try {
        decodeBase64(b64.slice(0, i) + bad + b64.slice(i));
        return false;
      } catch (e) {
        return (e as Error).message === `illegal base64 data at input byte ${i}`;
      }
    }),
    { numRuns: 300 },
  );
});
