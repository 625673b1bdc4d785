// Errors as the kubelet answers them: a metav1 Status JSON body, so the apiserver can relay it to kubectl unchanged.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { StreamingError } from './streaming-runtime.js';

const REASONS: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 404: 'NotFound', 405: 'MethodNotAllowed', 500: 'InternalError' };

export function statusBody(code: number, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: REASONS[code] ?? 'InternalError', code });
}

/** A thrown runtime error as an HTTP code and message (anything but a StreamingError is a 500). */
export function errorStatus(e: unknown): { code: number; message: string } {
  if (e instanceof StreamingError) return { code: e.status, message: e.message };
  return { code: 500, message: e instanceof Error ? e.message : String(e) };
}

export function sendStatus(res: ServerResponse, code: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = statusBody(code, message);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answers an upgrade request that will not be upgraded with a plain HTTP response, then closes the socket. */
export function rejectUpgrade(socket: Duplex, code: number, message: string): void {
  const body = statusBody(code, message);
  const text = code === 401 ? 'Unauthorized' : code === 404 ? 'Not Found' : code === 400 ? 'Bad Request' : 'Internal Server Error';
  socket.end(
    `HTTP/1.1 ${code} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
