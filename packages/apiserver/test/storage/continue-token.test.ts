// Continue tokens: Kubernetes' encoding, and every way a client-supplied token can be refused.
import t from 'tap';
import { decodeContinue, encodeContinue } from '../../src/storage/index.js';

const prefix = '/registry/pods/';

t.test('round trip in Kubernetes form', async (t) => {
  const token = encodeContinue('/registry/pods/ns/b\u0000', prefix, 42);
  t.match(token, /^[A-Za-z0-9_-]+$/, 'unpadded base64url');
  t.same(JSON.parse(Buffer.from(token, 'base64url').toString()), { v: 'meta.k8s.io/v1', rv: 42, start: 'ns/b\u0000' });
  t.same(decodeContinue(token, prefix), { startKey: '/registry/pods/ns/b\u0000', revision: 42 });
  t.same(decodeContinue(encodeContinue('/registry/pods/a', prefix, -1), prefix), { startKey: '/registry/pods/a', revision: -1 });
  t.throws(() => encodeContinue('/registry/nodes/a', prefix, 1), /do not match/);
});

t.test('a leading slash in start is accepted, traversal is not', async (t) => {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  t.same(decodeContinue(enc({ v: 'meta.k8s.io/v1', rv: 3, start: '/ns/a' }), prefix).startKey, '/registry/pods/ns/a');
  for (const start of ['../x', 'ns/../../x', 'ns//a', 'ns/./a', 'ns/']) {
    t.throws(() => decodeContinue(enc({ v: 'meta.k8s.io/v1', rv: 3, start }), prefix), { code: 'InvalidContinue' }, start);
  }
  for (const token of ['', 'a', 'ab=c', 'ab+/']) {
    t.throws(() => decodeContinue(token, prefix), { code: 'InvalidContinue' }, JSON.stringify(token));
  }
  t.throws(() => decodeContinue(enc({ v: 'meta.k8s.io/v1', rv: 1.5, start: 'a' }), prefix), /incorrect encoded start resourceVersion/);
});
