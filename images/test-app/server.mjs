// k8ts test app: one small process that tests and drills can poke from outside to see what a pod sees and to make
// it misbehave on purpose. Plain Node.js, no dependencies.
//
// HTTP on PORT (default 8080), all JSON unless noted:
//   GET  /, /hostname                 the hostname (text)
//   GET  /env                         process.env
//   GET  /info                        {hostname, pid, uptimeSeconds, addresses, startedAt, version, nodeVersion}
//   GET  /healthz, /readyz            200 "ok" or 500 "failing" (text); /healthz/fail|pass, /readyz/fail|pass toggle
//   GET|POST /exit?code=N             answers, then exits with N
//   GET  /sleep?seconds=S | ?ms=M     answers after the delay
//   GET|POST /echo[?msg=..][&headers=1]  the POST body or ?msg= back (text); with headers=1 JSON {body, headers}
//   GET  /dns?name=X[&type=A|AAAA|SRV|CNAME|TXT|PTR]  records from node:dns (lookup when no type) or the error code
//   GET  /connect?host=H&port=P[&timeoutMs=T]          opens a TCP connection: {ok, ms} or {ok: false, error}
//   GET  /http?url=U[&timeoutMs=T]    fetches U: {ok, status, ms, body (first 64 KiB)} or {ok: false, error}
//   GET  /memory?mb=N                 allocates and holds N more MiB (drills OOMKilled); /memory/release frees it
//   GET  /cpu?seconds=S               burns one CPU for S seconds in a worker thread (the server keeps answering)
// Upstream failures (/dns, /connect, /http) still answer 200 with ok: false, so a client sees the reason.
// TCP echo on TCP_PORT (default 9000): every byte received is sent back.
//
// Env: HEALTHY=false / READY=false start failing; READY_AFTER_SECONDS=N turns ready after N s;
// FAIL_HEALTH_AFTER_SECONDS=N turns unhealthy after N s; SHUTDOWN_DELAY_SECONDS=N waits N s after SIGTERM before
// exiting 0; EXIT_AFTER_SECONDS=N with EXIT_CODE=C (or --exit-after-seconds N --exit-code C) exits by itself
// (crash loops; the code defaults to 0).

import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const VERSION = '0.1.0';
const BODY_LIMIT = 64 * 1024;
const startedAt = new Date();

const env = process.env;
const httpPort = Number(env.PORT ?? 8080);
const tcpPort = Number(env.TCP_PORT ?? 9000);
const { values: flags } = parseArgs({
  options: { 'exit-after-seconds': { type: 'string' }, 'exit-code': { type: 'string' } },
  strict: false,
});

const state = {
  healthy: env.HEALTHY !== 'false',
  ready: env.READY !== 'false' && !env.READY_AFTER_SECONDS,
  shuttingDown: false,
  /** @type {Buffer[]} */
  memory: [],
};

const log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

// --- small helpers -------------------------------------------------------------------------------------------------

function send(res, status, body, type = 'application/json') {
  const text = type === 'application/json' ? `${JSON.stringify(body)}\n` : String(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
const sendJson = (res, body, status = 200) => send(res, status, body);
const sendText = (res, text, status = 200) => send(res, status, text, 'text/plain; charset=utf-8');

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A finite number from the query, or the fallback. */
function num(query, name, fallback) {
  const raw = query.get(name);
  const n = raw === null || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) ? n : fallback;
}

function ipv4Addresses() {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

const errorCode = (err) => (err && (err.code || err.cause?.code || err.name)) || String(err);

// --- endpoints -----------------------------------------------------------------------------------------------------

function toggle(res, key, value) {
  state[key] = value;
  sendJson(res, { [key]: value });
}

function probe(res, ok) {
  sendText(res, ok ? 'ok\n' : 'failing\n', ok ? 200 : 500);
}

function exitWith(res, query) {
  const code = Math.trunc(num(query, 'code', 0));
  log(`exiting with code ${code} (requested)`);
  // Exit only once the answer is on the wire, so the caller sees it.
  res.on('finish', () => setImmediate(() => process.exit(code)));
  sendJson(res, { exiting: true, code });
}

async function sleepFor(res, query) {
  const ms = query.has('ms') ? num(query, 'ms', 0) : num(query, 'seconds', 1) * 1000;
  await sleep(Math.max(0, ms));
  sendJson(res, { sleptMs: ms });
}

async function echo(req, res, query) {
  const body = req.method === 'POST' ? (await readBody(req)).toString('utf8') : (query.get('msg') ?? '');
  if (query.get('headers') === '1') sendJson(res, { body, headers: req.headers });
  else sendText(res, body);
}

async function resolveDns(res, query) {
  const name = query.get('name');
  const type = (query.get('type') ?? '').toUpperCase();
  if (!name) return sendJson(res, { ok: false, error: 'missing ?name=' }, 400);
  try {
    // No type: what getaddrinfo (and so most programs) sees, /etc/hosts included. A type: a real DNS query.
    const records = type
      ? await dns.promises.resolve(name, type)
      : await dns.promises.lookup(name, { all: true });
    sendJson(res, { ok: true, name, type: type || 'lookup', records });
  } catch (err) {
    sendJson(res, { ok: false, name, type: type || 'lookup', error: errorCode(err) });
  }
}

function connectTcp(res, query) {
  const host = query.get('host');
  const port = num(query, 'port', NaN);
  const timeoutMs = num(query, 'timeoutMs', 3000);
  if (!host || !Number.isInteger(port)) return sendJson(res, { ok: false, error: 'need ?host=&port=' }, 400);
  const start = performance.now();
  const socket = net.connect({ host, port });
  let done = false;
  const finish = (body) => {
    if (done) return;
    done = true;
    socket.destroy();
    sendJson(res, { host, port, ms: Math.round(performance.now() - start), ...body });
  };
  socket.setTimeout(timeoutMs, () => finish({ ok: false, error: 'ETIMEDOUT' }));
  socket.once('connect', () => finish({ ok: true }));
  socket.once('error', (err) => finish({ ok: false, error: errorCode(err) }));
}

async function fetchUrl(res, query) {
  const url = query.get('url');
  if (!url) return sendJson(res, { ok: false, error: 'missing ?url=' }, 400);
  const start = performance.now();
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(num(query, 'timeoutMs', 5000)) });
    // Read only the first 64 KiB: enough to see who answered, bounded even for endless streams.
    const chunks = [];
    let size = 0;
    const reader = answer.body?.getReader();
    while (reader && size < BODY_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      size += value.byteLength;
    }
    await reader?.cancel().catch(() => {});
    const body = Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8');
    sendJson(res, { ok: true, status: answer.status, ms: Math.round(performance.now() - start), body });
  } catch (err) {
    sendJson(res, { ok: false, error: errorCode(err), ms: Math.round(performance.now() - start) });
  }
}

function holdMemory(res, query) {
  const mb = Math.max(0, Math.trunc(num(query, 'mb', 0)));
  // fill() touches every page, so the memory is really resident (and counted by the cgroup).
  for (let i = 0; i < mb; i++) state.memory.push(Buffer.allocUnsafe(1024 * 1024).fill(i & 0xff));
  sendJson(res, { allocatedMb: mb, heldMb: state.memory.length });
}

function burnCpu(res, query) {
  const seconds = Math.max(0, num(query, 'seconds', 1));
  const code = `const end = Date.now() + ${seconds * 1000}; let x = 0; while (Date.now() < end) x = (x + Math.sqrt(x + 1)) % 1e9;`;
  const start = performance.now();
  const worker = new Worker(code, { eval: true });
  worker.once('exit', () => sendJson(res, { burnedMs: Math.round(performance.now() - start) }));
}

function info(res) {
  sendJson(res, {
    hostname: os.hostname(),
    pid: process.pid,
    uptimeSeconds: Math.round(process.uptime() * 10) / 10,
    addresses: ipv4Addresses(),
    startedAt: startedAt.toISOString(),
    version: VERSION,
    nodeVersion: process.version,
  });
}

async function route(req, res) {
  const url = new URL(req.url ?? '/', 'http://test-app');
  const q = url.searchParams;
  switch (url.pathname) {
    case '/':
    case '/hostname': return sendText(res, `${os.hostname()}\n`);
    case '/env': return sendJson(res, process.env);
    case '/info': return info(res);
    case '/healthz': return probe(res, state.healthy);
    case '/healthz/fail': return toggle(res, 'healthy', false);
    case '/healthz/pass': return toggle(res, 'healthy', true);
    case '/readyz': return probe(res, state.ready && !state.shuttingDown);
    case '/readyz/fail': return toggle(res, 'ready', false);
    case '/readyz/pass': return toggle(res, 'ready', true);
    case '/exit': return exitWith(res, q);
    case '/sleep': return sleepFor(res, q);
    case '/echo': return echo(req, res, q);
    case '/dns': return resolveDns(res, q);
    case '/connect': return connectTcp(res, q);
    case '/http': return fetchUrl(res, q);
    case '/memory': return holdMemory(res, q);
    case '/memory/release': state.memory = []; return sendJson(res, { heldMb: 0 });
    case '/cpu': return burnCpu(res, q);
    default: return sendJson(res, { error: 'not found', path: url.pathname }, 404);
  }
}

// --- servers -------------------------------------------------------------------------------------------------------

const httpServer = http.createServer((req, res) => {
  const start = performance.now();
  res.on('finish', () => {
    const ms = (performance.now() - start).toFixed(1);
    log(`${req.method} ${req.url} ${res.statusCode} ${ms}ms from ${req.socket.remoteAddress}`);
  });
  route(req, res).catch((err) => {
    if (!res.headersSent) sendJson(res, { error: String(err) }, 500);
    else res.destroy();
  });
});

const tcpServer = net.createServer((socket) => {
  socket.on('error', () => {}); // a peer reset is the peer's business
  socket.pipe(socket);
});

httpServer.listen(httpPort, () => {
  tcpServer.listen(tcpPort, () => {
    log(`test-app ${VERSION} listening http=:${httpPort} tcp=:${tcpPort} hostname=${os.hostname()} pid=${process.pid}`);
    process.stderr.write(`test-app started (stderr) pid=${process.pid}\n`);
  });
});

// --- timed behaviour for drills ------------------------------------------------------------------------------------

const afterSeconds = (value, fn) => {
  const n = Number(value);
  if (value !== undefined && value !== '' && Number.isFinite(n)) setTimeout(fn, n * 1000).unref();
};
afterSeconds(env.READY_AFTER_SECONDS, () => { state.ready = true; log('ready now'); });
afterSeconds(env.FAIL_HEALTH_AFTER_SECONDS, () => { state.healthy = false; log('health failing now'); });

const exitAfter = flags['exit-after-seconds'] ?? env.EXIT_AFTER_SECONDS;
const exitCode = Math.trunc(Number(flags['exit-code'] ?? env.EXIT_CODE ?? 0)) || 0;
afterSeconds(typeof exitAfter === 'string' ? exitAfter : undefined, () => {
  log(`exiting with code ${exitCode} after ${exitAfter} s`);
  process.exit(exitCode);
});

// Graceful stop: say so, stop being ready, keep serving for the delay (like a draining app), then exit 0.
function onSignal(signal) {
  if (state.shuttingDown) return;
  state.shuttingDown = true;
  const delay = Math.max(0, Number(env.SHUTDOWN_DELAY_SECONDS ?? 0) || 0);
  log(`${signal} received; exiting in ${delay} s`);
  setTimeout(() => {
    log('bye');
    process.exit(0);
  }, delay * 1000);
}
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGINT', () => onSignal('SIGINT'));
