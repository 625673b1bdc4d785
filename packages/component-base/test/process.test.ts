// The process edge of every component binary, in real child processes: signals, exit codes, flag errors.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const processModule = fileURLToPath(new URL('../src/process.js', import.meta.url));
const flagsModule = fileURLToPath(new URL('../src/flags.js', import.meta.url));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `body` as an ES module with exitOnSignals/flagsOrExit/FlagError and a pino-like logger in scope. */
function run(body: string, signalAfterReady?: NodeJS.Signals): Promise<Outcome> {
  const script = `
    import { exitOnSignals, flagsOrExit } from ${JSON.stringify(processModule)};
    import { FlagError } from ${JSON.stringify(flagsModule)};
    const logger = { info: (o, m) => console.log(m, JSON.stringify(o)), error: (o, m) => console.log(m) };
    ${body}
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (signalAfterReady && stdout.includes('ready')) child.kill(signalAfterReady);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

t.test('SIGTERM and SIGINT stop the component once, then exit 0', async (t) => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const r = await run(
      `let stops = 0;
       exitOnSignals(logger, async () => { stops++; console.log('stopped ' + stops); process.kill(process.pid, 'SIGTERM'); await new Promise((r) => setTimeout(r, 50)); });
       console.log('ready'); setInterval(() => {}, 1000);`,
      signal,
    );
    t.equal(r.code, 0, signal);
    t.match(r.stdout, new RegExp(`shutting down \\{"signal":"${signal}"\\}`));
    t.match(r.stdout, /stopped 1/);
    t.notMatch(r.stdout, /stopped 2/, 'a second signal during the stop does not stop again');
  }
});

t.test('a failed stop exits 1; another reason exits with its code', async (t) => {
  const failed = await run(`exitOnSignals(logger, async () => { throw new Error('boom'); }); console.log('ready'); setInterval(() => {}, 1000);`, 'SIGTERM');
  t.equal(failed.code, 1);
  t.match(failed.stdout, /shutdown failed/);
  const lost = await run(`const shutdown = exitOnSignals(logger, async () => {}); shutdown('leadership lost', 3);`);
  t.equal(lost.code, 3);
  t.match(lost.stdout, /shutting down \{"signal":"leadership lost"\}/);
});

t.test('forceExitMs ends a stop that hangs', async (t) => {
  const started = Date.now();
  const r = await run(`exitOnSignals(logger, () => new Promise(() => {}), { forceExitMs: 200 }); console.log('ready'); setInterval(() => {}, 1000);`, 'SIGTERM');
  t.equal(r.code, 0);
  t.ok(Date.now() - started < 8_000, 'exited on the force timer, not the test timeout');
});

t.test('flag errors: a message on stderr and exit 2; help exits 0', async (t) => {
  const bad = await run(`flagsOrExit(() => { throw new FlagError('unknown flag: --nope'); }); console.log('not reached');`);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /unknown flag: --nope/);
  t.notMatch(bad.stdout, /not reached/);
  const plain = await run(`flagsOrExit(() => { throw new Error('usage: ...'); });`);
  t.equal(plain.code, 2, 'an error that is not a FlagError is a bad invocation too');
  const help = await run(`flagsOrExit(() => { throw new FlagError('usage: k8ts-x [flags]', true); });`);
  t.equal(help.code, 0);
  t.match(help.stderr, /usage: k8ts-x/);
  const ok = await run(`console.log(JSON.stringify(flagsOrExit(() => ({ port: 1 }))));`);
  t.equal(ok.code, 0);
  t.match(ok.stdout, /\{"port":1\}/);
});
