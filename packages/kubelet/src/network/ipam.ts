// Pod IPs from the node's podCIDR (host-local IPAM, as a CNI plugin would do it): the network and broadcast addresses,
// the first host (the gateway on a bridge) and reserved addresses (the node's own) are never handed out. State is
// rebuilt from the running sandboxes after a kubelet restart, so adoption keeps every pod's address.

export function parseIPv4(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${ip}"`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new Error(`invalid IPv4 address "${ip}"`);
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function parseCIDR(cidr: string): { base: number; prefix: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!ip || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid IPv4 CIDR "${cidr}" (prefix /8 to /30)`);
  const size = 2 ** (32 - prefix);
  const base = parseIPv4(ip) - (parseIPv4(ip) % size);
  return { base, prefix, size };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const { base, size } = parseCIDR(cidr);
  const n = parseIPv4(ip);
  return n >= base && n < base + size;
}

export class PodIPAllocator {
  private readonly byOwner = new Map<string, string>();
  private readonly owners = new Map<string, string>();
  private readonly base: number;
  private readonly size: number;
  private readonly reserved: Set<string>;
  private cursor = 0;

  constructor(
    readonly cidr: string,
    reserved: string[] = [],
  ) {
    ({ base: this.base, size: this.size } = parseCIDR(cidr));
    // The network address, the gateway (first host) and the broadcast address are never pod IPs.
    this.reserved = new Set([formatIPv4(this.base), formatIPv4(this.base + 1), formatIPv4(this.base + this.size - 1), ...reserved]);
  }

  /** The owner's address (the same one on every call until released). */
  allocate(owner: string): string {
    const have = this.byOwner.get(owner);
    if (have) return have;
    for (let i = 0; i < this.size; i++) {
      // Round-robin from the last allocation, so a just-released address is not reused at once.
      this.cursor = (this.cursor + 1) % this.size;
      const ip = formatIPv4(this.base + this.cursor);
      if (this.reserved.has(ip) || this.owners.has(ip)) continue;
      this.byOwner.set(owner, ip);
      this.owners.set(ip, owner);
      return ip;
    }
    throw new Error(`no free pod IP left in ${this.cidr} (${this.owners.size} in use)`);
  }

  /** Records an address found on a running sandbox (kubelet restart). */
  restore(owner: string, ip: string): void {
    if (!cidrContains(this.cidr, ip)) return;
    const holder = this.owners.get(ip);
    if (holder && holder !== owner) return;
    this.byOwner.set(owner, ip);
    this.owners.set(ip, owner);
  }

  release(owner: string): void {
    const ip = this.byOwner.get(owner);
    if (!ip) return;
    this.byOwner.delete(owner);
    this.owners.delete(ip);
  }

  get inUse(): number {
    return this.owners.size;
  }
}
