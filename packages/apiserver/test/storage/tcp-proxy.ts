// A loopback TCP proxy in front of one etcd member, so tests can break connections or hold back watch streams
// (the only way to make a real etcd watch lag or miss a compaction on demand).
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

interface ProxiedConnection {
  client: Socket;
  upstream: Socket;
  /** Decided by the first request bytes: a streaming POST /v3/watch. */
  isWatch: boolean | undefined;
  held: Buffer[];
}

export class TcpProxy {
  private readonly conns = new Set<ProxiedConnection>();
  private refusing = false;
  private holdingWatches = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly targetPort: number,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(targetUrl: string): Promise<TcpProxy> {
    const targetPort = Number(new URL(targetUrl).port);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new TcpProxy(server, `http://127.0.0.1:${port}`, targetPort);
  }

  /** Drops every connection and refuses new ones until restore(). */
  cut(): void {
    this.refusing = true;
    for (const c of [...this.conns]) this.drop(c);
  }

  restore(): void {
    this.refusing = false;
  }

  /** Watch streams stop delivering (their bytes are kept); other requests flow normally. */
  holdWatchStreams(): void {
    this.holdingWatches = true;
  }

  releaseWatchStreams(): void {
    this.holdingWatches = false;
    for (const c of this.conns) {
      for (const chunk of c.held.splice(0)) c.client.write(chunk);
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    const conn: ProxiedConnection = { client, upstream, isWatch: undefined, held: [] };
    this.conns.add(conn);
    client.on('data', (chunk: Buffer) => {
      conn.isWatch ??= chunk.toString('latin1').startsWith('POST /v3/watch');
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (conn.isWatch && this.holdingWatches) conn.held.push(chunk);
      else client.write(chunk);
    });
    const end = (): void => this.drop(conn);
    client.on('error', end);
    client.on('close', end);
    upstream.on('error', end);
    upstream.on('close', end);
  }

  private drop(conn: ProxiedConnection): void {
    if (!this.conns.delete(conn)) return;
    conn.client.destroy();
    conn.upstream.destroy();
  }
}
