#!/usr/bin/env node
// Starts a local 3-member k8ts-etcd cluster on loopback (clients on 2379, 22379, 32379), data under ./data/etcd.
// Ctrl-C stops every member gracefully.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../packages/etcd/dist/src/cli/main.js', import.meta.url));
const members = [
  { name: 'm1', client: 2379, peer: 2380 },
  { name: 'm2', client: 22379, peer: 22380 },
  { name: 'm3', client: 32379, peer: 32380 },
];
const cluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peer}`).join(',');
const children = members.map((m) => {
  const dataDir = `data/etcd/${m.name}`;
  mkdirSync(dataDir, { recursive: true });
  const args = [
    bin, '--name', m.name, '--data-dir', dataDir,
    '--listen-client-urls', `http://127.0.0.1:${m.client}`, '--advertise-client-urls', `http://127.0.0.1:${m.client}`,
    '--listen-peer-urls', `http://127.0.0.1:${m.peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peer}`,
    '--initial-cluster', cluster, '--initial-cluster-state', 'new', '--initial-cluster-token', 'k8ts-local',
  ];
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  child.on('exit', (code, signal) => console.error(`[local-etcd] ${m.name} exited (${signal ?? code})`));
  return child;
});
console.error(`[local-etcd] endpoints: ${members.map((m) => `http://127.0.0.1:${m.client}`).join(',')}`);
const stop = () => { for (const c of children) c.kill('SIGTERM'); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
