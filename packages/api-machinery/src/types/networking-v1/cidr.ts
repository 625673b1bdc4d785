// CIDR arithmetic for NetworkPolicy ipBlocks: parse "a.b.c.d/n" or "x:y::z/n" (as netutils.ParseCIDRSloppy does,
// IPv4 octets may carry leading zeros) into a masked network, so `except` blocks can be checked against `cidr`.

export interface Cidr {
  family: 4 | 6;
  /** The network address (host bits cleared). */
  network: bigint;
  prefix: number;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseIPv6(s: string): bigint | undefined {
  let head = s;
  let tail4: bigint | undefined;
  // An embedded IPv4 address takes the last two groups.
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail4 = parseIPv4(s.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (x: string): string[] | undefined => (x === '' ? [] : x.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  }
  if (tail4 !== undefined) v = (v & ~0xffffffffn) | tail4;
  return v;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash);
  const mask = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(mask)) return undefined;
  const prefix = Number(mask);
  const v4 = addr.includes(':') ? undefined : parseIPv4(addr);
  const family: 4 | 6 = v4 !== undefined ? 4 : 6;
  const ip = v4 ?? (addr.includes(':') ? parseIPv6(addr) : undefined);
  const bits = family === 4 ? 32 : 128;
  if (ip === undefined || prefix > bits) return undefined;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  return { family, network: ip & ~hostMask, prefix };
}

/** Whether `inner`'s network address lies in `outer` (net.IPNet.Contains). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family) return false;
  const bits = outer.family === 4 ? 32 : 128;
  const hostMask = (1n << BigInt(bits - outer.prefix)) - 1n;
  return (inner.network & ~hostMask) === outer.network;
}
