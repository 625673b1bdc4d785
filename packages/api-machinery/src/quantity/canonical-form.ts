// The canonical text of a quantity (resource.Quantity.CanonicalizeBytes): no precision lost, no fractional digits,
// the largest exponent or suffix possible, the sign only when negative.
import type { QuantityFormat } from './quantity-format.js';

const DECIMAL_SUFFIXES = new Map<number, string>([
  [-9, 'n'],
  [-6, 'u'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
]);

const BINARY_SUFFIXES = new Map<number, string>([
  [1, 'Ki'],
  [2, 'Mi'],
  [3, 'Gi'],
  [4, 'Ti'],
  [5, 'Pi'],
  [6, 'Ei'],
]);

const TEN = 10n;
const KIBI = 1024n;

export function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

export function pow10(exponent: number): bigint {
  return TEN ** BigInt(exponent);
}

/** The exact integer value of unscaled*10^scale, or undefined if it has a fractional part. */
function exactInteger(unscaled: bigint, scale: number): bigint | undefined {
  if (scale >= 0) return unscaled * pow10(scale);
  const divisor = pow10(-scale);
  return unscaled % divisor === 0n ? unscaled / divisor : undefined;
}

/** Decimal form: trailing zeros moved into the exponent, then the exponent lowered to a multiple of 3. */
function decimalText(magnitude: bigint, scale: number, format: QuantityFormat): string {
  let mantissa = magnitude;
  let exponent = scale;
  while (mantissa >= TEN && mantissa % TEN === 0n) {
    mantissa /= TEN;
    exponent++;
  }
  const excess = ((exponent % 3) + 3) % 3;
  mantissa *= pow10(excess);
  exponent -= excess;
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Kubernetes emits no suffix when none exists for the exponent (beyond E, below n); that quirk is kept.
  return `${mantissa}${DECIMAL_SUFFIXES.get(exponent) ?? ''}`;
}

function binaryText(magnitude: bigint): string {
  let mantissa = magnitude;
  let power = 0;
  while (mantissa >= KIBI && mantissa % KIBI === 0n) {
    mantissa /= KIBI;
    power++;
  }
  return `${mantissa}${BINARY_SUFFIXES.get(power) ?? ''}`;
}

/** The canonical text of unscaled*10^scale in the given format. */
export function canonicalText(unscaled: bigint, scale: number, format: QuantityFormat): string {
  if (unscaled === 0n) return '0';
  const sign = unscaled < 0n ? '-' : '';
  const magnitude = abs(unscaled);
  if (format === 'BinarySI') {
    // Below 1Ki, or with a fractional part, a binary suffix would lose precision or read oddly: use DecimalSI.
    const integer = exactInteger(magnitude, scale);
    if (integer !== undefined && integer >= KIBI) return sign + binaryText(integer);
    return sign + decimalText(magnitude, scale, 'DecimalSI');
  }
  return sign + decimalText(magnitude, scale, format);
}
