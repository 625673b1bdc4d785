// resource.ParseQuantity of Kubernetes 1.32, rule for rule: the same lenient scanner, the same suffix table, the same
// rounding (up, to 1n) and capping (BinarySI at 2^63-1), and the same decision of when the text as written is kept
// as the serialized form.
import type { QuantityFormat } from './quantity-format.js';

const SPLIT_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

export const QUANTITY_FORMAT_ERROR = `quantities must match the regular expression '${SPLIT_REGEX}'`;
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

export class QuantityParseError extends Error {
  override name = 'QuantityParseError';
}

/** What parseQuantity found: the value unscaled*10^scale, its format, and the input when it is already canonical. */
export interface ParsedQuantity {
  unscaled: bigint;
  scale: number;
  format: QuantityFormat;
  /** Set when Kubernetes would keep the text as written as the quantity's string form. */
  verbatim?: string | undefined;
}

interface ScannedQuantity {
  positive: boolean;
  /** The numeric text as written, sign and leading zeros included (may lack digits: Kubernetes scans leniently). */
  value: string;
  /** Integer digits without leading zeros ("0" if none). */
  num: string;
  /** Fraction digits. */
  denom: string;
  suffix: string;
}

const SUFFIX_CHARS = 'eEinumkKMGTP';

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function scan(str: string): ScannedQuantity {
  const end = str.length;
  let positive = true;
  let pos = 0;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };

  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num, denom: '', suffix: '' };
  pos = i;
  if (num.length === 0) num = '0';

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (pos >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  throw new QuantityParseError(QUANTITY_FORMAT_ERROR);
}

interface SuffixMeaning {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const KNOWN_SUFFIXES = new Map<string, SuffixMeaning>([
  ['', { base: 10, exponent: 0, format: 'DecimalSI' }],
  ['n', { base: 10, exponent: -9, format: 'DecimalSI' }],
  ['u', { base: 10, exponent: -6, format: 'DecimalSI' }],
  ['m', { base: 10, exponent: -3, format: 'DecimalSI' }],
  ['k', { base: 10, exponent: 3, format: 'DecimalSI' }],
  ['M', { base: 10, exponent: 6, format: 'DecimalSI' }],
  ['G', { base: 10, exponent: 9, format: 'DecimalSI' }],
  ['T', { base: 10, exponent: 12, format: 'DecimalSI' }],
  ['P', { base: 10, exponent: 15, format: 'DecimalSI' }],
  ['E', { base: 10, exponent: 18, format: 'DecimalSI' }],
  ['Ki', { base: 2, exponent: 10, format: 'BinarySI' }],
  ['Mi', { base: 2, exponent: 20, format: 'BinarySI' }],
  ['Gi', { base: 2, exponent: 30, format: 'BinarySI' }],
  ['Ti', { base: 2, exponent: 40, format: 'BinarySI' }],
  ['Pi', { base: 2, exponent: 50, format: 'BinarySI' }],
  ['Ei', { base: 2, exponent: 60, format: 'BinarySI' }],
]);

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function interpretSuffix(suffix: string): SuffixMeaning | undefined {
  const known = KNOWN_SUFFIXES.get(suffix);
  if (known) return known;
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    // strconv.ParseInt(…, 10, 64), then truncated to int32 as Kubernetes does.
    const digits = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
    const parsed = BigInt(digits);
    if (parsed > INT64_MAX || parsed < INT64_MIN) return undefined;
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** Number of decimal digits of a non-negative bigint. */
function digitCount(n: bigint): number {
  return n.toString().length;
}

/** Rounds unscaled*10^scale away from zero to at most nine fractional digits (Kubernetes' smallest unit, 1n). */
function roundUpToNano(unscaled: bigint, scale: number): [bigint, number] {
  if (unscaled === 0n || scale >= -9) return [unscaled, scale];
  const negative = unscaled < 0n;
  const magnitude = negative ? -unscaled : unscaled;
  const dropped = -9 - scale;
  let rounded: bigint;
  if (dropped > digitCount(magnitude)) {
    rounded = 1n; // the whole value is below 1n
  } else {
    const divisor = 10n ** BigInt(dropped);
    rounded = magnitude / divisor + (magnitude % divisor === 0n ? 0n : 1n);
  }
  return [negative ? -rounded : rounded, -9];
}

/** The exact fast path of ParseQuantity: small values that fit an int64 at a scale of at least 1n. */
function parseFast(str: string, scanned: ScannedQuantity, meaning: SuffixMeaning): ParsedQuantity | undefined {
  const { num, denom, positive } = scanned;
  let precision: number;
  let scale = 0;
  let multiplier = 1n;
  if (meaning.format === 'BinarySI') {
    if (meaning.exponent < 0 || denom.length > 0) return undefined;
    multiplier = 1n << BigInt(meaning.exponent);
    // Roughly the decimal digits left once the binary multiplier is applied (exponent*0.3 digits).
    precision = 15 - num.length - Math.trunc((meaning.exponent * 3) / 10) - 1;
  } else {
    scale = meaning.exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision < 0) return undefined;
  scale -= denom.length;
  if (scale < -9) return undefined;
  const shifted = num + denom;
  const digits = BigInt(shifted);
  const product = digits * multiplier;
  if (product > INT64_MAX) return undefined;
  const unscaled = positive ? product : -product;
  const canonical =
    meaning.format === 'BinarySI'
      ? (digits & 7n) !== 0n
      : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  return { unscaled, scale, format: meaning.format, verbatim: canonical ? str : undefined };
}

const DECIMAL_TEXT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/;

function parseSlow(scanned: ScannedQuantity, meaning: SuffixMeaning): ParsedQuantity {
  const match = DECIMAL_TEXT.exec(scanned.value);
  const intDigits = match?.[2] ?? '';
  const fracDigits = match?.[3] ?? '';
  if (!match || intDigits.length + fracDigits.length === 0) throw new QuantityParseError(QUANTITY_NUMERIC_ERROR);
  let unscaled = BigInt(intDigits + fracDigits || '0');
  if (match[1] === '-') unscaled = -unscaled;
  let scale = -fracDigits.length;
  if (meaning.base === 10) scale += meaning.exponent;
  else unscaled *= 1n << BigInt(meaning.exponent);

  [unscaled, scale] = roundUpToNano(unscaled, scale);
  let format = meaning.format;
  if (format === 'BinarySI' && unscaled !== 0n) {
    // Binary quantities come without an exponent, so scale <= 0 here: compare magnitude with limit*10^-scale.
    const magnitude = unscaled < 0n ? -unscaled : unscaled;
    const one = 10n ** BigInt(-scale);
    if (magnitude > INT64_MAX * one) {
      unscaled = unscaled < 0n ? -INT64_MAX : INT64_MAX;
      scale = 0;
    } else if (magnitude < one) {
      format = 'DecimalSI'; // a fraction of one byte reads better in decimal
    }
  }
  return { unscaled, scale, format };
}

export function parseQuantityText(str: string): ParsedQuantity {
  if (str.length === 0) throw new QuantityParseError(QUANTITY_FORMAT_ERROR);
  if (str === '0') return { unscaled: 0n, scale: 0, format: 'DecimalSI', verbatim: str };
  const scanned = scan(str);
  const meaning = interpretSuffix(scanned.suffix);
  if (!meaning) throw new QuantityParseError(QUANTITY_SUFFIX_ERROR);
  return parseFast(str, scanned, meaning) ?? parseSlow(scanned, meaning);
}
