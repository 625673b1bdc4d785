import t from 'tap';
import type { JsonObject } from '@k8ts/api-machinery';
import { cellsByName, columnNames, meta } from './helpers/fixtures.js';

const svc = (spec: JsonObject, status: JsonObject = {}): JsonObject => ({ metadata: meta('web'), spec, status });

t.test('service columns and cells', async (t) => {
  t.same(columnNames('', 'services'), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
  const c = cellsByName(
    '',
    'services',
    svc({
      type: 'NodePort',
      clusterIP: '10.96.12.34',
      clusterIPs: ['10.96.12.34'],
      selector: { app: 'web', tier: 'frontend' },
      ports: [
        { name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    }),
  );
  t.same(c, {
    Name: 'web',
    Type: 'NodePort',
    'Cluster-IP': '10.96.12.34',
    'External-IP': '<none>',
    'Port(s)': '80:30080/TCP,53/UDP',
    Age: '5m',
    Selector: 'app=web,tier=frontend',
  });
});

t.test('service ports', async (t) => {
  const ports = (p: JsonObject[]) => cellsByName('', 'services', svc({ type: 'ClusterIP', clusterIPs: ['10.0.0.1'], ports: p }))['Port(s)'];
  t.equal(ports([{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }]), '80/TCP,443/TCP');
  t.equal(ports([{ port: 80 }]), '80/TCP', 'protocol defaults to TCP');
  t.equal(ports([{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }]), '80:30080/TCP,443/TCP');
  t.equal(ports([{ port: 9000, protocol: 'SCTP' }]), '9000/SCTP');
  t.equal(ports([]), '<none>');
});

t.test('service external IPs per type', async (t) => {
  const ext = (spec: JsonObject, status: JsonObject = {}) => cellsByName('', 'services', svc(spec, status))['External-IP'];
  t.equal(ext({ type: 'ClusterIP' }), '<none>');
  t.equal(ext({ type: 'ClusterIP', externalIPs: ['203.0.113.5', '203.0.113.6'] }), '203.0.113.5,203.0.113.6');
  t.equal(ext({ type: 'NodePort' }), '<none>');
  t.equal(ext({ type: 'LoadBalancer' }), '<pending>');
  t.equal(ext({ type: 'LoadBalancer' }, { loadBalancer: {} }), '<pending>');
  t.equal(
    ext({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '198.51.100.9' }, { hostname: 'lb.example.com' }, { ip: '198.51.100.2' }, { ip: '198.51.100.9' }] } }),
    '198.51.100.2,198.51.100.9,lb.example.com',
    'sorted and de-duplicated, never clipped',
  );
  t.equal(ext({ type: 'LoadBalancer', externalIPs: ['203.0.113.5'] }, { loadBalancer: { ingress: [{ ip: '198.51.100.9' }] } }), '198.51.100.9,203.0.113.5');
  t.equal(ext({ type: 'LoadBalancer', externalIPs: ['203.0.113.5'] }), '203.0.113.5');
  t.equal(ext({ type: 'ExternalName', externalName: 'db.example.com' }), 'db.example.com');
  t.equal(ext({}), '<none>', 'type defaults to ClusterIP');
  t.equal(ext({ type: 'Weird' }), '<unknown>');
});

t.test('service cluster IP and selector placeholders', async (t) => {
  const headless = cellsByName('', 'services', svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432 }] }));
  t.equal(headless['Cluster-IP'], 'None');
  const ext = cellsByName('', 'services', svc({ type: 'ExternalName', externalName: 'x.example.com' }));
  t.same([ext['Type'], ext['Cluster-IP'], ext['Port(s)'], ext['Selector']], ['ExternalName', '<none>', '<none>', '<none>']);
  t.equal(cellsByName('', 'services', svc({ clusterIP: '10.0.0.7' }))['Cluster-IP'], '10.0.0.7', 'singular clusterIP');
});

t.test('endpoints', async (t) => {
  t.same(columnNames('', 'endpoints'), ['Name', 'Endpoints', 'Age']);
  const ep = (subsets: JsonObject[]) => cellsByName('', 'endpoints', { metadata: meta('web'), subsets })['Endpoints'];
  t.equal(ep([]), '<none>');
  t.equal(ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80, protocol: 'TCP' }] }]), '10.0.0.1:80,10.0.0.2:80');
  t.equal(
    ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }]),
    '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...',
  );
  t.equal(
    ep([
      { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }] },
      { addresses: [{ ip: '10.0.0.3' }, { ip: '10.0.0.4' }], ports: [{ port: 80 }] },
    ]),
    '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...',
  );
  t.equal(ep([{ addresses: [{ ip: '10.0.0.5' }] }]), '10.0.0.5', 'headless without ports');
  t.equal(ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 8080 }] }]), '[fd00::1]:8080');
  t.equal(ep([{ notReadyAddresses: [{ ip: '10.0.0.9' }], ports: [{ port: 80 }] }]), '', 'only not-ready addresses');
});

t.test('endpointslices', async (t) => {
  t.same(columnNames('discovery.k8s.io', 'endpointslices'), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  const slice: JsonObject = {
    metadata: meta('web-abc12'),
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics' }, {}, { port: 9090 }],
    endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3'] }, { addresses: ['10.0.0.4'] }],
  };
  t.same(Object.values(cellsByName('discovery.k8s.io', 'endpointslices', slice)), [
    'web-abc12', 'IPv4', '80,metrics,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '5m',
  ]);
  const empty = cellsByName('discovery.k8s.io', 'endpointslices', { metadata: meta('e'), addressType: 'IPv6' });
  t.same([empty['Ports'], empty['Endpoints']], ['<unset>', '<unset>']);
});

t.test('ingresses and ingressclasses', async (t) => {
  t.same(columnNames('networking.k8s.io', 'ingresses'), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
  const ing: JsonObject = {
    metadata: meta('web'),
    spec: {
      ingressClassName: 'nginx',
      rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }],
      tls: [{ hosts: ['a.example.com'], secretName: 'tls' }],
    },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
  };
  t.same(Object.values(cellsByName('networking.k8s.io', 'ingresses', ing)), ['web', 'nginx', 'a.example.com,b.example.com', '192.0.2.10', '80, 443', '5m']);
  const bare = cellsByName('networking.k8s.io', 'ingresses', { metadata: meta('b'), spec: { rules: [{ http: {} }] } });
  t.same([bare['Class'], bare['Hosts'], bare['Address'], bare['Ports']], ['<none>', '*', '', '80']);
  const many = cellsByName('networking.k8s.io', 'ingresses', {
    metadata: meta('m'),
    spec: { rules: ['a', 'b', 'c', 'd', 'e'].map((x) => ({ host: `${x}.example.com` })) },
  });
  t.equal(many['Hosts'], 'a.example.com,b.example.com,c.example.com + 2 more...');

  t.same(columnNames('networking.k8s.io', 'ingressclasses'), ['Name', 'Controller', 'Parameters', 'Age']);
  const ic: JsonObject = {
    metadata: meta('nginx'),
    spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } },
  };
  t.same(Object.values(cellsByName('networking.k8s.io', 'ingressclasses', ic)), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', '5m']);
  t.equal(cellsByName('networking.k8s.io', 'ingressclasses', { metadata: meta('x'), spec: { controller: 'c' } })['Parameters'], '<none>');
});

t.test('networkpolicies', async (t) => {
  t.same(columnNames('networking.k8s.io', 'networkpolicies'), ['Name', 'Pod-Selector', 'Age']);
  t.equal(cellsByName('networking.k8s.io', 'networkpolicies', { metadata: meta('deny'), spec: { podSelector: {} } })['Pod-Selector'], '<none>');
  t.equal(
    cellsByName('networking.k8s.io', 'networkpolicies', {
      metadata: meta('db'),
      spec: { podSelector: { matchLabels: { role: 'db' }, matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] } },
    })['Pod-Selector'],
    '!legacy,role=db',
  );
});
