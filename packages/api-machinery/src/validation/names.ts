// Name and identifier rules of Kubernetes 1.32 (k8s.io/apimachinery/pkg/util/validation and friends). Each check
// returns the error details in Kubernetes' exact words; an empty array means valid. Callers wrap every detail in its
// own FieldValueInvalid, as Kubernetes does.

// Lengths are byte counts in Go (len of a UTF-8 string).
function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function regexError(message: string, regex: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${regex}')`;
  const quoted = examples.map((e) => `'${e}', `).join('or ');
  return `${message} (e.g. ${quoted}regex used for validation is '${regex}')`;
}

export function emptyError(): string {
  return 'must be non-empty';
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;
const QUALIFIED_NAME_MAX_LENGTH = 63;

const dns1123LabelRegexp = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const dns1123SubdomainRegexp = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const dns1035LabelRegexp = new RegExp(`^${DNS1035_LABEL_FMT}$`);

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRegexp.test(value)) {
    // A valid subdomain that is not a valid label can only be at fault for its dots (length was checked above).
    if (dns1123SubdomainRegexp.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRegexp.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRegexp.test(value)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameRegexp = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

/** Label keys, annotation keys, finalizers: `[prefix/]name` with a DNS subdomain prefix. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!qualifiedNameRegexp.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueRegexp = new RegExp(`^${LABEL_VALUE_FMT}$`);

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

const RELAXED_ENV_VAR_NAME_MSG = "a valid environment variable name must consist only of printable ASCII characters other than '='";

/**
 * Environment variable names under RelaxedEnvironmentVariableValidation (beta and on by default in 1.32):
 * printable ASCII (space included) except '='.
 */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push(`environment variable name ${emptyError()}`);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3d) {
      errs.push(RELAXED_ENV_VAR_NAME_MSG);
      break;
    }
  }
  return errs;
}

const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const configMapKeyRegexp = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`);

/** Keys of ConfigMap and Secret data: they become file names, so '.', '..' and a leading '..' are refused. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configMapKeyRegexp.test(value)) errs.push(regexError(CONFIG_MAP_KEY_MSG, CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IANA_SVC_NAME (RFC 6335), lowercase only. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

// IP parsing as k8s.io/utils/net ParseIPSloppy does (Go 1.16 rules): IPv4 octets may carry leading zeros, which Go
// 1.17+ refuses but Kubernetes keeps accepting for compatibility with stored data.
const DTOI_BIG = 0xffffff;

/** Leading decimal digits of `s` from `start`: [value, digits consumed], or undefined if none or too large. */
function decimalPrefix(s: string, start: number): [number, number] | undefined {
  let n = 0;
  let i = start;
  for (; i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39; i++) {
    n = n * 10 + (s.charCodeAt(i) - 0x30);
    if (n >= DTOI_BIG) return undefined;
  }
  return i === start ? undefined : [n, i - start];
}

function hexPrefix(s: string, start: number): [number, number] | undefined {
  let n = 0;
  let i = start;
  for (; i < s.length; i++) {
    const digit = parseInt(s[i]!, 16);
    if (Number.isNaN(digit)) break;
    n = n * 16 + digit;
    if (n >= DTOI_BIG) return undefined;
  }
  return i === start ? undefined : [n, i - start];
}

function parseIPv4(s: string): boolean {
  let pos = 0;
  for (let octet = 0; octet < 4; octet++) {
    if (pos >= s.length) return false;
    if (octet > 0) {
      if (s[pos] !== '.') return false;
      pos++;
    }
    const parsed = decimalPrefix(s, pos);
    if (!parsed || parsed[0] > 0xff) return false;
    pos += parsed[1];
  }
  return pos === s.length;
}

function parseIPv6(s: string): boolean {
  let ellipsis = -1;
  let pos = 0;
  if (s.startsWith('::')) {
    ellipsis = 0;
    pos = 2;
    if (pos === s.length) return true;
  }
  let filled = 0;
  while (filled < 16) {
    const parsed = hexPrefix(s, pos);
    if (!parsed || parsed[0] > 0xffff) return false;
    const next = pos + parsed[1];
    if (next < s.length && s[next] === '.') {
      // An embedded IPv4 address ends the address and fills its last four bytes.
      if (ellipsis < 0 && filled !== 12) return false;
      if (filled + 4 > 16) return false;
      if (!parseIPv4(s.slice(pos))) return false;
      pos = s.length;
      filled += 4;
      break;
    }
    filled += 2;
    pos = next;
    if (pos === s.length) break;
    if (s[pos] !== ':' || pos + 1 === s.length) return false;
    pos++;
    if (s[pos] === ':') {
      if (ellipsis >= 0) return false;
      ellipsis = filled;
      pos++;
      if (pos === s.length) break;
    }
  }
  if (pos !== s.length) return false;
  if (filled < 16) return ellipsis >= 0;
  return ellipsis < 0; // "::" must stand for at least one zero group
}

type IPFamily = 4 | 6;

/** The family of a sloppily parsed IP, or undefined: the first '.' or ':' decides which syntax applies. */
function parseIPSloppy(s: string): IPFamily | undefined {
  for (const ch of s) {
    if (ch === '.') return parseIPv4(s) ? 4 : undefined;
    if (ch === ':') return parseIPv6(s) ? 6 : undefined;
  }
  return undefined;
}

export function isValidIP(value: string): string[] {
  return parseIPSloppy(value) === undefined ? ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'] : [];
}

function isCIDR(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const mask = value.slice(slash + 1);
  const bits = parseIPv4(address) ? 32 : parseIPv6(address) ? 128 : 0;
  if (bits === 0) return false;
  const prefix = decimalPrefix(mask, 0);
  return prefix !== undefined && prefix[1] === mask.length && prefix[0] <= bits;
}

export function isValidCIDR(value: string): string[] {
  return isCIDR(value) ? [] : ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
}

const PATH_SEGMENT_MAY_NOT_BE = ['.', '..'];
const PATH_SEGMENT_MAY_NOT_CONTAIN = ['/', '%'];

/** A name that can be used as a prefix of a path segment (generateName): no '/' or '%'. */
export function isPathSegmentPrefix(name: string): string[] {
  return PATH_SEGMENT_MAY_NOT_CONTAIN.filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** A name that can be used as a path segment in the REST API and etcd keys (RBAC objects, for instance). */
export function isPathSegmentName(name: string): string[] {
  for (const illegal of PATH_SEGMENT_MAY_NOT_BE) if (name === illegal) return [`may not be '${illegal}'`];
  return isPathSegmentPrefix(name);
}

/** path.ValidatePathSegmentName: `prefix` is true when validating a generateName. */
export function validatePathSegmentName(name: string, prefix: boolean): string[] {
  return prefix ? isPathSegmentPrefix(name) : isPathSegmentName(name);
}

/** ValidateNameFunc: `prefix` is true for a generateName, which may end in '-' since a suffix will follow. */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[];

// Kubernetes replaces the last TWO characters with "a" (name[:len-2] + "a"); kept as is, since it is what it accepts.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
