// A lean HTTP/1.1 load client on node:http keep-alive pools (undici is not a dependency of this package). Bodies come
// back as strings so each workload decides what to parse; watch streams hand over raw chunks with their arrival time.
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';

export interface HttpResponse {
  status: number;
  body: string;
  /** performance.now() when the last byte arrived (before any parsing). */
  doneAt: number;
}

export const now = (): number => performance.now();

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}

export interface RequestOptions {
  body?: string | undefined;
  contentType?: string | undefined;
  timeoutMs?: number | undefined;
}

/** One keep-alive pool of `connections` sockets to one base URL (http: or https:, self-signed certificates accepted). */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly secure: boolean;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, connections: number) {
    const u = new URL(baseUrl);
    this.secure = u.protocol === 'https:';
    this.host = u.hostname;
    this.port = Number(u.port || (this.secure ? 443 : 80));
    const opts = { keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'fifo' as const };
    // The bench measures the apiserver, not certificate handling: the loopback listener's cert is self-signed.
    this.agent = this.secure ? new https.Agent({ ...opts, rejectUnauthorized: false }) : new http.Agent(opts);
  }

  request(method: string, path: string, o: RequestOptions = {}): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
      if (o.body !== undefined) {
        headers['content-type'] = o.contentType ?? 'application/json';
        headers['content-length'] = Buffer.byteLength(o.body);
      }
      const mod = this.secure ? https : http;
      const req = mod.request({ method, host: this.host, port: this.port, path, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const doneAt = now();
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), doneAt });
        });
        res.on('error', reject);
      });
      req.setTimeout(o.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path}: no answer within ${o.timeoutMs ?? 30_000} ms`)));
      req.on('error', reject);
      req.end(o.body);
    });
  }

  /** `request`, throwing HttpError unless the status is one of `ok`. */
  async expect(method: string, path: string, ok: number[], o: RequestOptions = {}): Promise<HttpResponse> {
    const r = await this.request(method, path, o);
    if (!ok.includes(r.status)) throw new HttpError(r.status, r.body, `${method} ${path}`);
    return r;
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface WatchStream {
  /** Resolves with the time the 200 headers arrived; rejects on another status or a connection error. */
  opened: Promise<number>;
  close(): void;
}

/**
 * A watch request (`path` carries ?watch=1...) on a socket of `agent`. `onChunk` gets each piece of the chunked body
 * with the time it arrived; lines may be split across chunks.
 */
export function openWatch(
  agent: http.Agent,
  baseUrl: string,
  path: string,
  onChunk: (chunk: string, at: number) => void,
  onEnd?: () => void,
): WatchStream {
  const u = new URL(baseUrl);
  let req: http.ClientRequest | undefined;
  let closing = false;
  const opened = new Promise<number>((resolve, reject) => {
    req = http.request({ method: 'GET', host: u.hostname, port: Number(u.port), path, agent, headers: { accept: 'application/json' } }, (res) => {
      const at = now();
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (c: string) => (body += c));
        res.on('end', () => reject(new HttpError(res.statusCode ?? 0, body, `watch ${path}`)));
        return;
      }
      res.on('data', (c: string) => onChunk(c, now()));
      res.on('end', () => {
        if (!closing) onEnd?.();
      });
      res.on('error', () => undefined); // a watch we close ends with an aborted response
      resolve(at);
    });
    req.on('error', reject);
    req.end();
  });
  opened.catch(() => undefined);
  return {
    opened,
    close: () => {
      closing = true;
      req?.destroy();
    },
  };
}
