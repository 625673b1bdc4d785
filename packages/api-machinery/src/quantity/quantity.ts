// resource.Quantity: an exact fixed-point number (a bigint scaled by a power of ten, never a float) that remembers
// the suffix family it was written in and prints itself the way Kubernetes serializes it.
import type { JsonValue } from '../json.js';
import { abs, canonicalText, pow10 } from './canonical-form.js';
import { parseQuantityText, QuantityParseError, QUANTITY_FORMAT_ERROR } from './parse-quantity.js';
import type { QuantityFormat } from './quantity-format.js';

export type { QuantityFormat } from './quantity-format.js';
export { QuantityParseError, QUANTITY_FORMAT_ERROR, QUANTITY_NUMERIC_ERROR, QUANTITY_SUFFIX_ERROR } from './parse-quantity.js';

export class Quantity {
  private constructor(
    /** The value is unscaled * 10^scale. */
    private readonly unscaled: bigint,
    private readonly scale: number,
    readonly format: QuantityFormat,
    /** The text as parsed, when Kubernetes keeps it as the serialized form (it was already canonical). */
    private readonly verbatim?: string,
  ) {}

  /** value * 10^scale, e.g. fromScaled(100, -3) is 100m. */
  static fromScaled(value: bigint | number, scale = 0, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), scale, format);
  }

  static zero(format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(0n, 0, format);
  }

  /** Parses a quantity string as Kubernetes does; throws QuantityParseError with Kubernetes' message. */
  static parse(text: string): Quantity {
    const parsed = parseQuantityText(text);
    return new Quantity(parsed.unscaled, parsed.scale, parsed.format, parsed.verbatim);
  }

  /** Both values over a common scale (the smaller one), so they can be added or compared as integers. */
  private static align(a: Quantity, b: Quantity): [bigint, bigint, number] {
    const scale = Math.min(a.scale, b.scale);
    return [a.unscaled * pow10(a.scale - scale), b.unscaled * pow10(b.scale - scale), scale];
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.unscaled === 0n ? 0 : this.unscaled < 0n ? -1 : 1;
  }

  /** ceil(q / 10^scale), rounding away from zero (Go's ScaledValue); exact, so it never overflows. */
  scaledValue(scale: number): bigint {
    const shift = this.scale - scale;
    if (shift >= 0) return this.unscaled * pow10(shift);
    const divisor = pow10(-shift);
    const quotient = this.unscaled / divisor; // truncates toward zero
    if (this.unscaled % divisor === 0n) return quotient;
    return this.unscaled < 0n ? quotient - 1n : quotient + 1n;
  }

  /** The value rounded up (away from zero) to a whole number, like Go's Value(). */
  value(): bigint {
    return this.scaledValue(0);
  }

  /** The value in thousandths rounded up (away from zero), like Go's MilliValue(): 100m is 100n, 0.1m is 1n. */
  milliValue(): bigint {
    return this.scaledValue(-3);
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    const a = this.sign();
    const b = other.sign();
    if (a !== b) return a < b ? -1 : 1;
    if (a === 0) return 0;
    // Same sign: compare orders of magnitude first so that 1e1000000 vs 1 needs no huge power of ten.
    const orderA = abs(this.unscaled).toString().length + this.scale;
    const orderB = abs(other.unscaled).toString().length + other.scale;
    if (orderA !== orderB) return (orderA > orderB) === (a > 0) ? 1 : -1;
    const [x, y] = Quantity.align(this, other);
    return x === y ? 0 : x < y ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** The sum; a zero receiver takes the format of `other`, as in Kubernetes. */
  add(other: Quantity): Quantity {
    const [x, y, scale] = Quantity.align(this, other);
    return new Quantity(x + y, scale, this.isZero() ? other.format : this.format);
  }

  sub(other: Quantity): Quantity {
    const [x, y, scale] = Quantity.align(this, other);
    return new Quantity(x - y, scale, this.isZero() ? other.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.unscaled, this.scale, this.format);
  }

  /** The canonical form, without the text-as-written shortcut (see toString). */
  canonical(): string {
    return canonicalText(this.unscaled, this.scale, this.format);
  }

  /**
   * The form Kubernetes serializes: the canonical form ("1000m" → "1", "1024Mi" → "1Gi", "1.5Gi" → "1536Mi",
   * "0.5" → "500m"), except that a freshly parsed text Kubernetes judges canonical is kept exactly as written
   * (so "1e3" stays "1e3", and also "+1" and "01" stay as they are, as they do in Kubernetes).
   */
  toString(): string {
    return this.verbatim ?? this.canonical();
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Parses a quantity string as Kubernetes does; throws QuantityParseError with Kubernetes' message. */
export function parseQuantity(text: string): Quantity {
  return Quantity.parse(text);
}

export function isValidQuantity(text: string): boolean {
  try {
    parseQuantityText(text);
    return true;
  } catch (err) {
    if (err instanceof QuantityParseError) return false;
    throw err;
  }
}

/**
 * A quantity as Quantity.UnmarshalJSON reads it: a string (surrounding whitespace ignored) or a JSON number; null is
 * zero. Anything else fails with the format error, as Kubernetes' parse of the raw JSON text would.
 */
export function parseQuantityJson(value: JsonValue | undefined): Quantity {
  if (value === null || value === undefined) return Quantity.zero();
  if (typeof value === 'string') return parseQuantity(value.trim());
  if (typeof value === 'number') return parseQuantity(String(value));
  throw new QuantityParseError(QUANTITY_FORMAT_ERROR);
}
