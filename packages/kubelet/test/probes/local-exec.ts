// A deps.exec for tests that runs the command as a real local child process (the container id is ignored), with
// the same contract as the kubelet's docker exec: combined output, exit code, and a kill on timeout.
import { spawn } from 'node:child_process';
import type { ExecResult } from '../../src/probes/probe-runner.js';

export function localExec(_containerId: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0] ?? 'false', cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            // The whole process group: `sh -c 'sleep 5'` leaves its sleep holding the pipes otherwise.
            try {
              if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
            } catch {
              child.kill('SIGKILL');
            }
          }, timeoutMs)
        : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: timedOut ? null : code, stdout, stderr, timedOut });
    });
  });
}
