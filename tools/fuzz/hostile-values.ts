/**
 * The dictionaries of hostile input: what a careless client, a scanner or an attacker sends.
 * Values are grouped by what they attack; the mutation planner picks from them with the run's
 * seeded random source.
 */

export const SQL_FRAGMENTS = [
  "' OR 1=1--",
  "' OR '1'='1",
  '" OR ""="',
  "1) OR (1=1",
  "admin'--",
  "'; DROP TABLE intake.ticket;--",
  "' UNION SELECT password_hash FROM gateway.user_account--",
  "1; SELECT pg_sleep(10)--",
  "%' OR '%'='",
  '$1',
  "\\'",
  "'||(SELECT version())||'",
];

export const SCRIPT_FRAGMENTS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '{{7*7}}',
  '${7*7}',
  '<!--#exec cmd="ls"-->',
  ']]><x/>',
  '<svg/onload=alert(1)>',
];

export const TRAVERSAL_FRAGMENTS = ['../../../../etc/passwd', '..\\..\\..\\windows\\win.ini', '/dev/zero', 'file:///etc/hosts'];

/** Strings that are hard on encoders, databases and renderers. */
export const UNICODE_EDGES = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil\u202C',
  '\u200B\u200C\u200D\u2060',
  '\uFEFF',
  '😀'.repeat(64),
  `e${'\u0301'.repeat(400)}`,
  'ＦＵＬＬ　ＷＩＤＴＨ',
  '١٢٣٤٥',
  '\u2028\u2029',
  '\r\n\t\u000b\u000c',
  '𠀀𪚥𰻞',
  '\u00A0\u3000',
  '\uFFFF\uFFFE',
];

export const SPECIAL_WORDS = ['null', 'undefined', 'NaN', 'true', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '%s%s%s%n', '{0}'];

/** Numbers as a query string carries them: every one of them text. */
export const NUMBER_TEXTS = ['NaN', 'Infinity', '-Infinity', '1e400', '-1', '0', '-0', '1.5', '0x10', '１２', ' 1', '1 ', '+1', '1e20', '9007199254740993', '-9007199254740993', '2147483648', ''];

/** Dates a date field must refuse: impossible days, wrong shapes, out of every range. */
export const BAD_DATES = [
  '2025-02-30',
  '2023-02-29',
  '2025-04-31',
  '2025-13-01',
  '2025-00-10',
  '0000-00-00',
  '9999-99-99',
  '2025-6-1',
  '20250601',
  '2025-06-01T00:00:00Z',
  '-0001-01-01',
  '+002025-06-01',
  '275760-09-14',
];

/** The subset of BAD_DATES that a shape check (a regular expression) may let through. */
export const IMPOSSIBLE_DATES = ['2025-02-30', '2023-02-29', '2025-04-31', '2025-06-31', '2025-02-31'];

export const BAD_MONTHS = ['2025-13', '2025-00', '2025-1', '202506', '0000-00', '9999-99', '2025-06-01', '-2025-06'];

/** Instants a timestamp field must refuse. */
export const BAD_INSTANTS = [
  '2025-02-30T00:00:00Z',
  '2025-06-01T25:00:00Z',
  '2025-06-01T23:60:00Z',
  '2025-06-01T00:00:00+25:00',
  '2025-06-01T00:00:00+99:99',
  '2025-06-01 00:00:00',
  '1718000000',
  '275760-09-14T00:00:00Z',
  '+275760-09-14T00:00:00.000Z',
  '-271822-01-01T00:00:00Z',
  '2025-06-01T00:00:00.1234567890123Z',
  'Tue, 03 Jun 2025 09:30:00 GMT',
  'yesterday',
];

/** Values of an ISO-8601 shape that name no instant: offsets past ±14:59 by the shape, days no calendar has, year zero. */
export const IMPOSSIBLE_INSTANTS = ['2025-06-01T00:00:00+24:00', '2025-06-01T00:00:00+14:60', '0000-01-01T00:00:00Z', '2025-02-29T00:00:00Z', '2025-06-31T12:00:00+08:00'];

/**
 * ISO-8601 forms a service may take or refuse, but must not fail on: an offset no time zone has
 * (JavaScript computes the instant, PostgreSQL refuses it), a week date (a day, not an instant).
 */
export const ODD_INSTANTS = ['2025-06-01T00:00:00-23:59', '2025-06-01T12:00:00+15:30', '2025-W23-1', '2025-W23', '2025-152'];

/** Path segments that must never name a resource. */
export const PATH_SEGMENTS = [
  'not-a-uuid',
  '..',
  '%2e%2e',
  '..%2F..%2Fadmin%2Fusers',
  '%2F',
  "'%20OR%201=1--",
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%00',
  '%FF%FE',
  '%C0%AF',
  '%E4%B8',
  'null',
  'undefined',
  '-1',
  '0',
  '1e308',
  'NaN',
  '00000000-0000-0000-0000-00000000000g',
  '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6',
  '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b0',
  '0192f0c46c1e7a108f001c2d3e4f5a6b',
  '%7B0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b%7D',
  '0192f0c4-6c1e-7a10-8f00-1c2d3e4f5a6b%0A',
  '%20',
  '%E5%B7%A5%E5%8D%95',
  '%E2%80%AE',
  'export',
  'x'.repeat(2000),
];

/** Well-formed UUIDs that name nothing (the services issue version-7 ids). */
export const UNKNOWN_UUIDS = ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];

/** Bodies no JSON parser may accept. */
export const MALFORMED_JSON = [
  '{',
  '}',
  '{"a":1,}',
  "{'a':1}",
  '{a:1}',
  '{"a":1}}',
  '{"a":1} trailing',
  '{"a":NaN}',
  '{"a":undefined}',
  '{"a":1 /* comment */}',
  '{"a":"unterminated}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '[1,2',
  '\u0000',
  '{"a":01}',
  '{"a":.5}',
  '{"a":+1}',
  '{"a":0x10}',
  '{"a":"tab\there"}',
];

/** Byte sequences that are not UTF-8 (overlong forms, lone continuation bytes, truncated sequences, surrogates). */
export const INVALID_UTF8: number[][] = [
  [0xff, 0xfe],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0x80],
  [0xe4, 0xb8],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
];

/** Content types that are not JSON, with a body written in them. */
export const WRONG_CONTENT_TYPES: { type: string | null; body: (json: string) => string }[] = [
  { type: 'text/plain', body: (json) => json },
  { type: 'text/html', body: () => '<html><body>x</body></html>' },
  { type: 'application/x-www-form-urlencoded', body: () => 'a=1&b=%27%20OR%201%3D1--' },
  { type: 'multipart/form-data; boundary=fuzzboundary', body: () => '--fuzzboundary\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--fuzzboundary--\r\n' },
  { type: 'application/xml', body: () => '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>' },
  { type: 'application/octet-stream', body: (json) => json },
  { type: 'application/json; charset=iso-8859-1', body: (json) => json },
  { type: 'application/json; charset=utf-99', body: (json) => json },
  { type: 'application/jsonx', body: (json) => json },
  { type: null, body: (json) => json },
];

/** Objects that try to reach a prototype through a parser or a merge. */
export const PROTO_POLLUTION_JSON = [
  '{"__proto__":{"polluted":"yes","role":"admin"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '{"__proto__":null}',
  '{"constructor":null}',
];

/** JSON text of a value nested `depth` levels deep: `{"a":{"a":…}}` or `[[[…]]]`. */
export function deeplyNested(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object' ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** JSON text of an array of `count` small elements. */
export function hugeArray(count: number, element = '0'): string {
  return `[${new Array(count).fill(element).join(',')}]`;
}
