import net from 'node:net';
import { dialErrorMessage } from './go-errors.js';

/** Opens a TCP connection within `timeoutMs` and closes it again (pkg/probe/tcp): the connect is the whole check. */
export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<{ ok: true } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (r: { ok: true } | { ok: false; message: string }): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, message: dialErrorMessage({ code: 'ETIMEDOUT' }, host, port) }), timeoutMs);
    socket.once('connect', () => finish({ ok: true }));
    socket.once('error', (err) => finish({ ok: false, message: dialErrorMessage(err, host, port) }));
  });
}
