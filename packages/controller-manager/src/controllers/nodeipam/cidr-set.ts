// The range allocator's bookkeeping (pkg/controller/nodeipam/ipam/cidrset), pure: the cluster CIDR cut into
// node-sized subnets, a bitmap of the ones in use, and a rotating cursor so that a freed subnet is handed out again
// only after every other free one (a node deleted and a new one added at once never share routes by accident).
// IPv4 only, as is k8ts' pod network.

export class CidrSetError extends Error {}

function parseIPv4(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new CidrSetError(`not an IPv4 address: ${ip}`);
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new CidrSetError(`not an IPv4 address: ${ip}`);
    value = value * 256 + Number(p);
  }
  return value;
}

function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseCidr(cidr: string): { base: number; prefix: number } {
  const [ip, bits, extra] = cidr.trim().split('/');
  const prefix = Number(bits);
  if (extra !== undefined || ip === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new CidrSetError(`invalid CIDR: ${cidr}`);
  const size = 2 ** (32 - prefix);
  // The network address: host bits cleared.
  return { base: Math.floor(parseIPv4(ip) / size) * size, prefix };
}

export class CidrSet {
  private readonly base: number;
  private readonly clusterPrefix: number;
  private readonly subnetSize: number;
  private readonly used: boolean[];
  private nextCandidate = 0;

  constructor(
    clusterCidr: string,
    private readonly maskSize: number,
  ) {
    const { base, prefix } = parseCidr(clusterCidr);
    if (maskSize < prefix || maskSize > 32) throw new CidrSetError(`node CIDR mask size ${maskSize} does not fit in ${clusterCidr}`);
    // Kubernetes refuses more than 2^16 subnets per cluster CIDR (a bitmap that big is a misconfiguration).
    if (maskSize - prefix > 16) throw new CidrSetError(`--node-cidr-mask-size ${maskSize} cuts ${clusterCidr} into more than 65536 subnets`);
    this.base = base;
    this.clusterPrefix = prefix;
    this.subnetSize = 2 ** (32 - maskSize);
    this.used = new Array<boolean>(2 ** (maskSize - prefix)).fill(false);
  }

  get size(): number {
    return this.used.length;
  }

  inUse(): number {
    return this.used.filter(Boolean).length;
  }

  private cidrAt(index: number): string {
    return `${formatIPv4(this.base + index * this.subnetSize)}/${this.maskSize}`;
  }

  /** The subnet index of `cidr`, if it is one of this set's subnets. */
  private indexOf(cidr: string): number | undefined {
    let parsed;
    try {
      parsed = parseCidr(cidr);
    } catch {
      return undefined;
    }
    if (parsed.prefix !== this.maskSize || parsed.prefix < this.clusterPrefix) return undefined;
    const offset = parsed.base - this.base;
    if (offset < 0 || offset % this.subnetSize !== 0) return undefined;
    const index = offset / this.subnetSize;
    return index < this.used.length ? index : undefined;
  }

  /** Takes the next free subnet, or undefined when all are in use. */
  allocateNext(): string | undefined {
    for (let i = 0; i < this.used.length; i++) {
      const index = (this.nextCandidate + i) % this.used.length;
      if (!this.used[index]) {
        this.used[index] = true;
        this.nextCandidate = (index + 1) % this.used.length;
        return this.cidrAt(index);
      }
    }
    return undefined;
  }

  /** Marks `cidr` in use (a node that already has it); false if it is not one of this set's subnets. */
  occupy(cidr: string): boolean {
    const index = this.indexOf(cidr);
    if (index === undefined) return false;
    this.used[index] = true;
    return true;
  }

  release(cidr: string): void {
    const index = this.indexOf(cidr);
    if (index !== undefined) this.used[index] = false;
  }
}
