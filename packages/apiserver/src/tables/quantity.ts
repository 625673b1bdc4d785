// Canonical printing of resource.Quantity strings ("1.5Gi" -> "1536Mi", "2000" -> "2k", "0.5" -> "500m").
// A real apiserver re-serialises quantities canonically on write, so printed cells are canonical; k8ts
// may store them as sent, so the printers canonicalise at display time. Exact arithmetic via BigInt.

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL).map(([s, e]) => [e, s]));

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE]?)$/;

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** The canonical form of a quantity string; unparsable input is returned unchanged. */
export function canonicalQuantity(input: string): string {
  const m = QUANTITY_RE.exec(input);
  if (!m) return input;
  const [, sign = '', number = '', suffix = ''] = m;
  const [whole = '', frac = ''] = number.split('.');
  let mantissa = BigInt((whole + frac) || '0');
  let scale = -frac.length; // value = mantissa * 10^scale
  let format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent';
  if (suffix in BINARY) {
    mantissa *= 2n ** BigInt(BINARY[suffix] ?? 0);
    format = 'BinarySI';
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    scale += Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    scale += DECIMAL[suffix] ?? 0;
    format = 'DecimalSI';
  }
  // Anything finer than nano rounds away from zero: asking for a tiny amount still gets some.
  if (scale < -9) {
    const div = pow10(-9 - scale);
    mantissa = (mantissa + div - 1n) / div;
    scale = -9;
  }
  if (mantissa === 0n) return '0';
  const neg = sign === '-';

  if (format === 'BinarySI') {
    const isInteger = scale >= 0 || mantissa % pow10(-scale) === 0n;
    const intValue = scale >= 0 ? mantissa * pow10(scale) : mantissa / pow10(-scale);
    // Small or fractional binary values print in decimal so nothing is rounded.
    if (isInteger && intValue >= 1024n) {
      let v = intValue;
      let power = 0;
      while (power < BINARY_BY_POWER.length - 1 && v % 1024n === 0n) {
        v /= 1024n;
        power++;
      }
      return `${neg ? '-' : ''}${v}${BINARY_BY_POWER[power]}`;
    }
    format = 'DecimalSI';
  }

  // Strip trailing zeros, then move the exponent down to a multiple of three.
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    scale++;
  }
  const r = ((scale % 3) + 3) % 3;
  mantissa *= pow10(r);
  scale -= r;
  const digits = `${neg ? '-' : ''}${mantissa}`;
  if (format === 'DecimalExponent') return scale === 0 ? digits : `${digits}e${scale}`;
  const si = DECIMAL_BY_EXP.get(scale);
  return si !== undefined ? digits + si : `${digits}e${scale}`;
}

/** Canonical form of a JSON quantity value (strings or bare numbers); "0" for an unset quantity. */
export function quantityString(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return canonicalQuantity(String(v));
  if (typeof v === 'string' && v !== '') return canonicalQuantity(v);
  return '0';
}
