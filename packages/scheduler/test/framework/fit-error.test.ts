import t from 'tap';
import { fitErrorMessage } from '../../src/framework/fit-error.js';
import { Status } from '../../src/framework/interface.js';

t.test("the reasons histogram in Kubernetes' words, sorted as strings", async (t) => {
  const nodeToStatus = new Map([
    ['n1', Status.unschedulable('Insufficient cpu')],
    ['n2', Status.unschedulable('Insufficient cpu', 'Insufficient memory')],
    ['n3', Status.unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }')],
  ]);
  t.equal(
    fitErrorMessage(3, { nodeToStatus, unschedulablePlugins: new Set() }),
    '0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.',
  );
  t.equal(
    fitErrorMessage(2, { nodeToStatus: new Map(), unschedulablePlugins: new Set(), preFilterMsg: "node(s) didn't match pod affinity rules" }),
    "0/2 nodes are available: node(s) didn't match pod affinity rules.",
    'a PreFilter rejection is said once',
  );
  t.equal(fitErrorMessage(0, { nodeToStatus: new Map(), unschedulablePlugins: new Set() }), '0/0 nodes are available:');
});
