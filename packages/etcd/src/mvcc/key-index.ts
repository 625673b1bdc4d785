// An ordered map from binary-string keys to values: a B+tree with chained leaves.
// Seek, insert and delete are O(log n); a range scan is one seek followed by a walk along the leaves, so listing
// 10,000 keys under a prefix costs the keys listed, not the size of the whole key space.
// JS string comparison on binary (latin1) strings is etcd's byte order, so plain `<` orders keys.

/** Max keys per node. 64 keeps nodes within a few cache lines of pointers and splices cheap. */
const MAX_KEYS = 64;
const MIN_KEYS = MAX_KEYS >> 1;

class Leaf<V> {
  readonly isLeaf = true;
  constructor(
    public keys: string[],
    public vals: V[],
    public next: Leaf<V> | null,
  ) {}
}

class Inner<V> {
  readonly isLeaf = false;
  // keys[i] separates children[i] (keys < keys[i]) from children[i + 1] (keys >= keys[i]).
  constructor(
    public keys: string[],
    public children: Node<V>[],
  ) {}
}

type Node<V> = Leaf<V> | Inner<V>;

/** First index whose key is >= k. */
function lowerBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > k: the child of an inner node that may hold k. */
function upperBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class KeyIndex<V> {
  private root: Node<V> = new Leaf<V>([], [], null);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    const leaf = this.findLeaf(key);
    const i = lowerBound(leaf.keys, key);
    return i < leaf.keys.length && leaf.keys[i] === key ? leaf.vals[i] : undefined;
  }

  /** Inserts or replaces. */
  set(key: string, val: V): void {
    const path: Inner<V>[] = [];
    const idx: number[] = [];
    let node = this.root;
    while (!node.isLeaf) {
      const c = upperBound(node.keys, key);
      path.push(node);
      idx.push(c);
      node = node.children[c]!;
    }
    const i = lowerBound(node.keys, key);
    if (i < node.keys.length && node.keys[i] === key) {
      node.vals[i] = val;
      return;
    }
    node.keys.splice(i, 0, key);
    node.vals.splice(i, 0, val);
    this.count++;
    if (node.keys.length <= MAX_KEYS) return;

    // Split upwards while nodes overflow.
    let split = this.splitLeaf(node);
    for (let level = path.length - 1; level >= 0; level--) {
      const parent = path[level]!;
      const c = idx[level]!;
      parent.keys.splice(c, 0, split.sep);
      parent.children.splice(c + 1, 0, split.right);
      if (parent.keys.length <= MAX_KEYS) return;
      split = this.splitInner(parent);
    }
    this.root = new Inner<V>([split.sep], [this.root, split.right]);
  }

  /** Removes key; returns whether it was present. */
  delete(key: string): boolean {
    const path: Inner<V>[] = [];
    const idx: number[] = [];
    let node = this.root;
    while (!node.isLeaf) {
      const c = upperBound(node.keys, key);
      path.push(node);
      idx.push(c);
      node = node.children[c]!;
    }
    const i = lowerBound(node.keys, key);
    if (i >= node.keys.length || node.keys[i] !== key) return false;
    node.keys.splice(i, 1);
    node.vals.splice(i, 1);
    this.count--;

    // Rebalance upwards. Stale separators are harmless: a separator only has to bound its two neighbours.
    let child: Node<V> = node;
    for (let level = path.length - 1; level >= 0; level--) {
      if (child.keys.length >= (child.isLeaf ? MIN_KEYS : MIN_KEYS - 1)) return true;
      this.rebalance(path[level]!, idx[level]!);
      child = path[level]!;
    }
    if (!this.root.isLeaf && this.root.children.length === 1) this.root = this.root.children[0]!;
    return true;
  }

  /**
   * Calls fn for each entry with start <= key < end (end null: no upper bound), in key order, until fn returns false.
   */
  scan(start: string, end: string | null, fn: (key: string, val: V) => boolean | void): void {
    if (end !== null && end <= start) return;
    let leaf: Leaf<V> | null = this.findLeaf(start);
    let i = lowerBound(leaf.keys, start);
    // Locate the end once rather than comparing every key against it: keys under one prefix share long heads,
    // which makes each comparison cost the prefix length.
    let stopLeaf: Leaf<V> | null = null;
    let stopAt = 0;
    if (end !== null) {
      stopLeaf = this.findLeaf(end);
      stopAt = lowerBound(stopLeaf.keys, end);
    }
    while (leaf !== null) {
      const keys = leaf.keys;
      const vals = leaf.vals;
      const n = leaf === stopLeaf ? stopAt : keys.length;
      for (; i < n; i++) if (fn(keys[i]!, vals[i]!) === false) return;
      if (leaf === stopLeaf) return;
      leaf = leaf.next;
      i = 0;
    }
  }

  /** Checks the B+tree invariants; for tests. Throws on violation. */
  checkInvariants(): void {
    let leafDepth = -1;
    const walk = (n: Node<V>, lo: string | null, hi: string | null, depth: number, isRoot: boolean): void => {
      for (let j = 1; j < n.keys.length; j++) if (!(n.keys[j - 1]! < n.keys[j]!)) throw new Error('keys not sorted');
      for (const k of n.keys) {
        if (lo !== null && k < lo) throw new Error('key below lower bound');
        if (hi !== null && k >= hi) throw new Error('key above upper bound');
      }
      if (n.keys.length > MAX_KEYS) throw new Error('node overflow');
      if (n.isLeaf) {
        if (!isRoot && n.keys.length < MIN_KEYS) throw new Error('leaf underflow');
        if (leafDepth === -1) leafDepth = depth;
        else if (leafDepth !== depth) throw new Error('unbalanced');
        return;
      }
      if (n.children.length !== n.keys.length + 1) throw new Error('children/keys mismatch');
      if (!isRoot && n.keys.length < MIN_KEYS - 1) throw new Error('inner underflow');
      if (isRoot && n.children.length < 2) throw new Error('root with one child');
      n.children.forEach((c, j) =>
        walk(c, j === 0 ? lo : n.keys[j - 1]!, j === n.keys.length ? hi : n.keys[j]!, depth + 1, false),
      );
    };
    walk(this.root, null, null, 0, true);
    let seen = 0;
    let prev: string | null = null;
    this.scan('', null, (k) => {
      if (prev !== null && !(prev < k)) throw new Error('leaf chain not ordered');
      prev = k;
      seen++;
    });
    if (seen !== this.count) throw new Error(`leaf chain has ${seen} keys, size is ${this.count}`);
  }

  private findLeaf(key: string): Leaf<V> {
    let node = this.root;
    while (!node.isLeaf) node = node.children[upperBound(node.keys, key)]!;
    return node;
  }

  private splitLeaf(leaf: Leaf<V>): { sep: string; right: Node<V> } {
    const mid = leaf.keys.length >> 1;
    const right = new Leaf<V>(leaf.keys.splice(mid), leaf.vals.splice(mid), leaf.next);
    leaf.next = right;
    return { sep: right.keys[0]!, right };
  }

  private splitInner(node: Inner<V>): { sep: string; right: Node<V> } {
    const mid = node.keys.length >> 1;
    const rightKeys = node.keys.splice(mid);
    const sep = rightKeys.shift()!;
    const right = new Inner<V>(rightKeys, node.children.splice(mid + 1));
    return { sep, right };
  }

  /** Fixes an underflowing parent.children[c] by borrowing from, or merging with, a sibling. */
  private rebalance(parent: Inner<V>, c: number): void {
    const node = parent.children[c]!;
    const left = c > 0 ? parent.children[c - 1]! : null;
    const right = c + 1 < parent.children.length ? parent.children[c + 1]! : null;
    const minKeys = node.isLeaf ? MIN_KEYS : MIN_KEYS - 1;

    if (left !== null && left.keys.length > minKeys) {
      if (node.isLeaf && left.isLeaf) {
        node.keys.unshift(left.keys.pop()!);
        node.vals.unshift(left.vals.pop()!);
        parent.keys[c - 1] = node.keys[0]!;
      } else if (!node.isLeaf && !left.isLeaf) {
        node.keys.unshift(parent.keys[c - 1]!);
        node.children.unshift(left.children.pop()!);
        parent.keys[c - 1] = left.keys.pop()!;
      }
      return;
    }
    if (right !== null && right.keys.length > minKeys) {
      if (node.isLeaf && right.isLeaf) {
        node.keys.push(right.keys.shift()!);
        node.vals.push(right.vals.shift()!);
        parent.keys[c] = right.keys[0]!;
      } else if (!node.isLeaf && !right.isLeaf) {
        node.keys.push(parent.keys[c]!);
        node.children.push(right.children.shift()!);
        parent.keys[c] = right.keys.shift()!;
      }
      return;
    }
    // Merge with a sibling: the pair fits in one node because both are at or below the minimum.
    const at = left !== null ? c - 1 : c;
    const a = parent.children[at]!;
    const b = parent.children[at + 1]!;
    if (a.isLeaf && b.isLeaf) {
      a.keys.push(...b.keys);
      a.vals.push(...b.vals);
      a.next = b.next;
    } else if (!a.isLeaf && !b.isLeaf) {
      a.keys.push(parent.keys[at]!, ...b.keys);
      a.children.push(...b.children);
    }
    parent.keys.splice(at, 1);
    parent.children.splice(at + 1, 1);
  }
}
