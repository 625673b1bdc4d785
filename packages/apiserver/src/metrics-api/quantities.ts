// Usage numbers as metrics-server writes them: cpu in nanocores ("123456n"), memory in the largest binary unit
// that divides it exactly ("65536Ki"), plain bytes below 1 Ki.

export function cpuQuantity(nanoCores: number): string {
  const n = Math.max(0, Math.round(nanoCores));
  return n === 0 ? '0' : `${n}n`;
}

const BINARY_SUFFIXES: Array<[string, number]> = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

export function memoryQuantity(bytes: number): string {
  const n = Math.max(0, Math.round(bytes));
  if (n === 0) return '0';
  for (const [suffix, size] of BINARY_SUFFIXES) if (n >= size && n % size === 0) return `${n / size}${suffix}`;
  // Not a whole number of Ki: metrics-server rounds working sets up to Ki too.
  if (n >= 1024) return `${Math.ceil(n / 1024)}Ki`;
  return String(n);
}
