import t from 'tap';
import { CidrSet, parseCidr } from '../../src/controllers/nodeipam/cidr-set.js';

t.test('parseCidr', async (t) => {
  t.same(parseCidr('10.244.0.0/16'), { base: (10 * 256 + 244) * 65536, prefix: 16 });
  t.same(parseCidr('10.244.3.7/16'), parseCidr('10.244.0.0/16'), 'host bits cleared');
  t.throws(() => parseCidr('10.244.0.0'), /invalid CIDR|not an IPv4/);
  t.throws(() => parseCidr('10.300.0.0/16'), /invalid CIDR|not an IPv4/);
  t.throws(() => parseCidr('fd00::/64'), /invalid CIDR|not an IPv4/);
});

t.test('allocates /24s in order, never one in use', async (t) => {
  const set = new CidrSet('10.244.0.0/16', 24);
  t.equal(set.size, 256);
  t.ok(set.occupy('10.244.1.0/24'), 'a node that already has one');
  t.notOk(set.occupy('10.245.0.0/24'), 'outside the cluster CIDR');
  t.notOk(set.occupy('10.244.2.0/25'), 'wrong size');
  t.equal(set.allocateNext(), '10.244.0.0/24');
  t.equal(set.allocateNext(), '10.244.2.0/24', 'skips the occupied one');
  set.release('10.244.0.0/24');
  t.equal(set.allocateNext(), '10.244.3.0/24', 'a released subnet is not handed out again at once');
  t.equal(set.inUse(), 3);
});

t.test('exhaustion and wrap-around', async (t) => {
  const set = new CidrSet('10.244.0.0/22', 24);
  t.same([set.allocateNext(), set.allocateNext(), set.allocateNext(), set.allocateNext()], ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24', '10.244.3.0/24']);
  t.equal(set.allocateNext(), undefined, 'exhausted');
  set.release('10.244.1.0/24');
  t.equal(set.allocateNext(), '10.244.1.0/24', 'the freed one after wrapping');
  t.throws(() => new CidrSet('10.244.0.0/16', 8), /does not fit|more than/, 'mask smaller than the cluster prefix');
  t.throws(() => new CidrSet('10.0.0.0/8', 28), /does not fit|more than/, 'too many subnets');
});
