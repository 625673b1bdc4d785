// Go's fmt renderings of decoded JSON values. apimachinery's patch errors embed values with %v and type names with
// reflect.TypeOf, so our messages print them the same way (`map[name:a value:1]`, `[]interface {}`).
import { isJsonObject, type JsonValue } from '../json.js';

function goNumber(n: number): string {
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  // Go's shortest %v for a float64 switches to an exponent like 1e-07 / 1e+21, with at least two exponent digits.
  const text = String(n);
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** `fmt.Sprintf("%v", v)` for a value decoded from JSON into interface{} (maps print with sorted keys). */
export function goValue(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  const keys = Object.keys(v).sort();
  return `map[${keys.map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
}

/** `reflect.TypeOf(v)` printed with %s, for JSON decoded by the apiserver (integers stay int64). */
export function goTypeName(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** `fmt.Sprintf("%s", v)`: strings as they are, anything else in Go's %!s(type=value) form. */
export function goString(v: JsonValue | undefined): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (isJsonObject(v) || Array.isArray(v)) return goValue(v);
  return `%!s(${goTypeName(v)}=${goValue(v)})`;
}
