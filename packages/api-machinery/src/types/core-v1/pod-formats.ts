// Value checks the pod validators need beyond the shared name rules in validation/names.ts, with apimachinery's
// messages; each returns the error details, empty when the value is valid.
import { isIP } from 'node:net';
import { inclusiveRangeError, isValidIP, regexError } from '../../validation/names.js';

const HTTP_HEADER_NAME_FMT = '[-A-Za-z0-9]+';
const httpHeaderNameRe = new RegExp(`^${HTTP_HEADER_NAME_FMT}$`);

export function httpHeaderNameErrors(v: string): string[] {
  return httpHeaderNameRe.test(v) ? [] : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", HTTP_HEADER_NAME_FMT, 'X-Header-Name')];
}

/** Linux user and group IDs: 0 to 2^31-1. */
export function uidGidErrors(n: number): string[] {
  return n >= 0 && n <= 2147483647 ? [] : [inclusiveRangeError(0, 2147483647)];
}

/** Family of a valid IP (Go's sloppy parsing, so IPv4 octets with leading zeros count), undefined if invalid. */
export function ipFamily(v: string): 4 | 6 | undefined {
  if (isValidIP(v).length > 0) return undefined;
  const f = isIP(v);
  if (f === 6) return 6;
  return v.includes(':') ? 6 : 4;
}
