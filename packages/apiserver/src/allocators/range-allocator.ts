// A bitmap of allocated offsets stored as one RangeAllocation object in the store and changed only by
// compare-and-swap, so that several apiservers never hand out the same ClusterIP or NodePort.
import { randomInt } from 'node:crypto';
import type { JsonObject } from '@k8ts/api-machinery';
import { StorageError } from '../storage/contract.js';
import type { ObjectStore } from '../storage/index.js';

export class RangeAllocationError extends Error {
  constructor(readonly reason: 'allocated' | 'full' | 'out-of-range', message: string) {
    super(message);
  }
}

export class RangeAllocator {
  private readonly key: string;

  /** Offsets min..max (inclusive) are allocatable. */
  constructor(
    private readonly store: ObjectStore,
    name: string,
    private readonly range: string,
    private readonly min: number,
    private readonly max: number,
  ) {
    this.key = store.key('ranges', undefined, name);
  }

  private async update(change: (bits: Buffer) => boolean): Promise<void> {
    const size = Math.ceil((this.max + 1) / 8);
    const empty = (): JsonObject => ({ kind: 'RangeAllocation', apiVersion: 'v1', metadata: {}, range: this.range, data: Buffer.alloc(size).toString('base64') });
    if (!(await this.store.get(this.key))) {
      try {
        await this.store.create(this.key, empty());
      } catch (e) {
        if (!(e instanceof StorageError && e.code === 'AlreadyExists')) throw e;
      }
    }
    await this.store.guaranteedUpdate(this.key, (current) => {
      const stored = current.object;
      const bits = Buffer.alloc(size);
      if (stored.range === this.range && typeof stored.data === 'string') Buffer.from(stored.data, 'base64').copy(bits);
      if (!change(bits)) return undefined;
      return { kind: 'RangeAllocation', apiVersion: 'v1', metadata: {}, range: this.range, data: bits.toString('base64') };
    });
  }

  /** Claims a specific offset; throws RangeAllocationError('allocated') when it is taken. */
  async allocate(offset: number): Promise<void> {
    if (offset < this.min || offset > this.max) throw new RangeAllocationError('out-of-range', 'provided value is not in the valid range');
    await this.update((bits) => {
      if (isSet(bits, offset)) throw new RangeAllocationError('allocated', 'provided value is already allocated');
      set(bits, offset, true);
      return true;
    });
  }

  /** Claims a free offset, starting the search at a random point as Kubernetes does. */
  async allocateNext(): Promise<number> {
    let chosen = -1;
    await this.update((bits) => {
      const span = this.max - this.min + 1;
      const start = randomInt(span);
      for (let i = 0; i < span; i++) {
        const off = this.min + ((start + i) % span);
        if (!isSet(bits, off)) {
          set(bits, off, true);
          chosen = off;
          return true;
        }
      }
      throw new RangeAllocationError('full', 'range is full');
    });
    return chosen;
  }

  async release(offset: number): Promise<void> {
    if (offset < this.min || offset > this.max) return;
    await this.update((bits) => {
      if (!isSet(bits, offset)) return false;
      set(bits, offset, false);
      return true;
    });
  }

  async isAllocated(offset: number): Promise<boolean> {
    const cur = await this.store.get(this.key);
    if (!cur || typeof cur.object.data !== 'string') return false;
    return isSet(Buffer.from(cur.object.data, 'base64'), offset);
  }
}

function isSet(bits: Buffer, off: number): boolean {
  return ((bits[off >> 3] ?? 0) & (1 << (off & 7))) !== 0;
}

function set(bits: Buffer, off: number, on: boolean): void {
  const i = off >> 3;
  if (i >= bits.length) return;
  bits[i] = on ? bits[i]! | (1 << (off & 7)) : bits[i]! & ~(1 << (off & 7));
}
