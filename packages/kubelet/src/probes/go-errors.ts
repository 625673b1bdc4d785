// Network errors worded as Go's net and net/http packages word them, because the kubelet copies those strings into
// Unhealthy events and users (and scripts) recognise them: "dial tcp 10.244.1.5:8080: connect: connection refused".

/** host:port the way Go's net.JoinHostPort writes it (IPv6 literals in brackets). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's %q for a plain string, close enough for messages (Go escapes like JSON for printable ASCII). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

interface ErrnoLike {
  code?: string;
  message?: string;
}

/** A failed connect as Go's net.Dialer reports it. */
export function dialErrorMessage(err: unknown, host: string, port: number): string {
  const addr = joinHostPort(host, port);
  const e = (err ?? {}) as ErrnoLike;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${addr}: connect: network is unreachable`;
    case 'ETIMEDOUT':
      return `dial tcp ${addr}: i/o timeout`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${host}: no such host`;
    default:
      return `dial tcp ${addr}: ${e.message ?? String(err)}`;
  }
}

/** An error after the connection was up (request written, response awaited or being read). */
export function transportErrorMessage(err: unknown, remote: string, local: string | undefined): string {
  const e = (err ?? {}) as ErrnoLike;
  // Node says "socket hang up" when the peer closed before any response: Go reads that as EOF.
  if (e.message === 'socket hang up') return 'EOF';
  if (e.code === 'ECONNRESET') return `read tcp ${local ? `${local}->` : ''}${remote}: read: connection reset by peer`;
  if (e.code === 'EPIPE') return `write tcp ${local ? `${local}->` : ''}${remote}: write: broken pipe`;
  return e.message ?? String(err);
}

export function isDialError(err: unknown): boolean {
  const code = (err as ErrnoLike | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
