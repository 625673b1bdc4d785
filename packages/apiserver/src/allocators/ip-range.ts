// IPv4 CIDR arithmetic for the Service ClusterIP range.

export interface Ipv4Range {
  cidr: string;
  base: number; // network address as an unsigned 32-bit integer
  size: number; // number of addresses
}

export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): Ipv4Range {
  const [ip, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const addr = ip === undefined ? undefined : ipToInt(ip);
  if (addr === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`invalid IPv4 CIDR ${cidr} (expected a prefix between /8 and /30)`);
  const size = 2 ** (32 - bits);
  const base = addr - (addr % size);
  return { cidr: `${intToIp(base)}/${bits}`, base, size };
}

/** Offset of `ip` in the range, excluding the network and broadcast addresses (as Kubernetes does); undefined if outside. */
export function offsetOf(range: Ipv4Range, ip: string): number | undefined {
  const n = ipToInt(ip);
  if (n === undefined) return undefined;
  const off = n - range.base;
  return off >= 1 && off < range.size - 1 ? off : undefined;
}
