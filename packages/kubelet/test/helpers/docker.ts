// Shared by every test that needs the real Docker engine: find it (fail under CI, skip locally when absent), label
// what the test creates, and remove it all afterwards.

import type { Test } from 'tap';
import { Client } from 'undici';
import { DockerClient, DockerError, type LabelFilter } from '../../src/docker/index.js';

export const DOCKER_SOCKET = process.env.DOCKER_SOCKET_PATH ?? '/var/run/docker.sock';
export const TEST_IMAGE = 'busybox:1.36';

/** True when `GET /_ping` on the socket answers OK within `timeoutMs`. */
export async function dockerAnswers(socketPath = DOCKER_SOCKET, timeoutMs = 3000): Promise<boolean> {
  const client = new Client('http://docker', { socketPath, connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  try {
    const response = await client.request({ method: 'GET', path: '/_ping', signal: AbortSignal.timeout(timeoutMs) });
    await response.body.text();
    return response.statusCode === 200;
  } catch {
    return false;
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

/**
 * Whether the test can use Docker. Without an engine: under CI the test FAILS (a missing engine must not look like a
 * pass); locally it is skipped with a note. Use as `if (!(await requireDocker(t))) return;`.
 */
export async function requireDocker(t: Test, socketPath = DOCKER_SOCKET): Promise<boolean> {
  if (await dockerAnswers(socketPath)) return true;
  const why = `no Docker engine answers GET /_ping on ${socketPath}`;
  if (process.env.CI) t.fail(`${why}; tests that need Docker must not be skipped under CI`);
  else t.plan(0, `${why}; skipped locally (would fail under CI)`);
  return false;
}

/** Labels for one test file's objects: the shared `k8ts.test=<suite>` plus one unique to this run, for cleanup. */
export function testLabels(suite: string, file: string): Record<string, string> {
  return { 'k8ts.test': suite, 'k8ts.test.run': `${file}-${process.pid}` };
}

function toFilter(label: string | LabelFilter): LabelFilter {
  if (typeof label !== 'string') return label;
  const eq = label.indexOf('=');
  return eq < 0 ? { [label]: true } : { [label.slice(0, eq)]: label.slice(eq + 1) };
}

/**
 * Force-removes every container, then every volume and network, carrying `label` (`k=v`, `k`, or a LabelFilter).
 * Uses `docker` when given, else a connection of its own. Errors on single objects are collected and thrown at the end.
 */
export async function cleanupLabelled(label: string | LabelFilter, docker?: DockerClient): Promise<void> {
  const client = docker ?? (await DockerClient.connect(`unix://${DOCKER_SOCKET}`));
  const labels = toFilter(label);
  const failures: string[] = [];
  const attempt = async (what: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  try {
    const containers = await client.containerList({ all: true, labels });
    await Promise.all(containers.map((c) => attempt(`container ${c.Id}`, () => client.containerRemove(c.Id, { force: true, volumes: true }))));
    const volumes = await client.volumeList({ labels });
    await Promise.all(volumes.map((v) => attempt(`volume ${v.Name}`, () => client.volumeRemove(v.Name, { force: true }))));
    const networks = await client.networkList({ labels });
    for (const n of networks) await attempt(`network ${n.Name}`, () => client.networkRemove(n.Id));
  } finally {
    if (!docker) await client.close();
  }
  if (failures.length) throw new Error(`cleanupLabelled(${JSON.stringify(labels)}) left: ${failures.join('; ')}`);
}

/** Resolves with `promise`'s value, or with `fallback` after `ms` (the timer is cleared, so it never holds the process). */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The DockerError `promise` rejects with; throws if it resolves or rejects with anything else. */
export async function dockerErrorOf(promise: Promise<unknown>): Promise<DockerError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    if (error instanceof DockerError) return error;
    throw new Error(`expected a DockerError, got: ${String(error)}`);
  }
  throw new Error(`expected a DockerError, but it resolved with ${JSON.stringify(outcome)}`);
}
