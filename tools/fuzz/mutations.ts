import { createHash } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { signAccessToken } from '@hotline/auth';
import type { Role } from '@hotline/contracts';
import { FieldSpec, fieldsOf, parseBodyLikeService, parseQuery, validateLikeService, Verdict } from './dto-shape';
import { Caller, Endpoint, ENDPOINTS, matchesTemplate, pathParams } from './endpoints';
import {
  BAD_DATES,
  BAD_INSTANTS,
  BAD_MONTHS,
  deeplyNested,
  hugeArray,
  IMPOSSIBLE_DATES,
  IMPOSSIBLE_INSTANTS,
  INVALID_UTF8,
  MALFORMED_JSON,
  NUMBER_TEXTS,
  ODD_INSTANTS,
  PATH_SEGMENTS,
  PROTO_POLLUTION_JSON,
  SCRIPT_FRAGMENTS,
  SPECIAL_WORDS,
  SQL_FRAGMENTS,
  TRAVERSAL_FRAGMENTS,
  UNICODE_EDGES,
  UNKNOWN_UUIDS,
  WRONG_CONTENT_TYPES,
} from './hostile-values';
import type { DiscoveredRoute } from './nest-routes';
import { Random } from './random';

/** The mutation classes; each planned request belongs to one. */
export const MUTATION_KINDS = [
  'auth',
  'method',
  'path-param',
  'unknown-id',
  'query-field',
  'query-missing',
  'query-shape',
  'body-field',
  'body-missing',
  'body-shape',
  'body-malformed',
  'body-content-type',
  'body-oversize',
  'body-deep',
  'body-huge-array',
  'body-proto',
  'body-invalid-utf8',
  'parser',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** Limits of the JSON body parsers (apps/gateway/src/main.ts, libs/platform run-service.ts). */
export const GATEWAY_OWN_BODY_LIMIT = 64 * 1024;
export const FORWARDED_BODY_LIMIT = 256 * 1024;

/** The field added to an otherwise valid mutation: every DTO refuses unknown fields (forbidNonWhitelisted). */
export const POISON_FIELD = 'zz_fuzz_unexpected';

/** Credentials of the run: tokens of the demo users, the channel's key, the signing secret when known. */
export interface Credentials {
  tokens: Partial<Record<Exclude<Caller, 'public' | 'channel'>, string>>;
  channelKey?: string;
  /** Lets the planner forge an expired token and a token of the `channel` role; optional. */
  jwtSecret?: string;
}

/** Why the planned request cannot be a valid one: the reason the fuzz expects a refusal. */
export type RefusedBy =
  | 'guard'
  | 'routing'
  | 'param-pipe'
  | 'not-found'
  | 'body-parser'
  | 'validation'
  | 'validation (poisoned)'
  | 'handler (semantic)'
  | 'handler, or an empty answer (boundary)'
  | 'pipe crash (sent to see)';

export interface PlannedRequest {
  endpoint: Endpoint;
  kind: MutationKind;
  /** What exactly was changed, in words. */
  detail: string;
  refusedBy: RefusedBy;
  method: string;
  /** Encoded path and query. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  chunked?: boolean;
  /** A boundary value on a read-only endpoint: an answer (2xx) is as right as a refusal; a 5xx is not. */
  mayAnswer?: boolean;
}

interface Draft {
  kind: MutationKind;
  detail: string;
  method?: string;
  params?: Record<string, string>;
  /** Query pairs; `raw` values are sent without encoding. */
  query?: QueryPair[];
  headers?: Record<string, string | null>;
  body?: Buffer | null;
  contentType?: string | null;
  chunked?: boolean;
  /** Refused before validation, whatever the body and query say. */
  refusedBy?: RefusedBy;
  /** A value the validators may let through but the contract forbids: sent as is (GET only). */
  semantic?: boolean | 'boundary';
}

interface QueryPair {
  key: string;
  value: string;
  raw?: boolean;
}

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const STAFF_ROLES: Exclude<Caller, 'public' | 'channel'>[] = ['admin', 'operator', 'dispatcher', 'supervisor', 'leader', 'handler'];

/** A value placed into a body: a JSON value, raw JSON text, or bytes inside a string. */
type Replacement = { value: unknown } | { raw: string } | { bytes: number[] } | { missing: true };

/**
 * Plans the hostile requests of one endpoint. Every planned request is, by construction, one the
 * services must refuse: see `RefusedBy`. Mutations that would turn out valid are made invalid by
 * an unknown field or query parameter ("poisoned") or dropped.
 */
export class EndpointPlanner {
  private readonly params: string[];
  private readonly bodyFields: { path: (string | number)[]; spec: FieldSpec }[];
  private readonly queryFields: FieldSpec[];
  private readonly limit: number;

  constructor(
    readonly endpoint: Endpoint,
    readonly route: DiscoveredRoute,
    private readonly credentials: Credentials,
    private readonly random: Random,
  ) {
    this.params = pathParams(endpoint.path);
    this.bodyFields = route.body ? flattenFields(route.body, endpoint.body, []) : [];
    this.queryFields = route.query ? fieldsOf(route.query) : [];
    this.limit = endpoint.service === 'gateway' ? GATEWAY_OWN_BODY_LIMIT : FORWARDED_BODY_LIMIT;
  }

  /** The mutation classes that apply to this endpoint. */
  kinds(): MutationKind[] {
    const e = this.endpoint;
    const kinds: MutationKind[] = [];
    if (e.as !== 'public') kinds.push('auth');
    kinds.push('method');
    if (this.params.length) kinds.push('path-param');
    if (this.params.length && e.unknownId !== 'answered') kinds.push('unknown-id');
    if (this.route.query) kinds.push('query-field', 'query-field', 'query-shape');
    if (this.queryFields.some((f) => !f.optional)) kinds.push('query-missing');
    if (this.route.body) {
      kinds.push('body-field', 'body-field', 'body-field', 'body-shape', 'body-malformed', 'body-content-type', 'body-oversize');
      kinds.push('body-deep', 'body-huge-array', 'body-proto', 'body-invalid-utf8');
      if (this.bodyFields.some((f) => !f.spec.optional)) kinds.push('body-missing');
    } else {
      kinds.push('parser');
    }
    return kinds;
  }

  /** `count` planned requests, cycling through the kinds in a seeded order. */
  async plan(count: number): Promise<PlannedRequest[]> {
    const kinds = shuffle(this.kinds(), this.random);
    const planned: PlannedRequest[] = [];
    let attempts = 0;
    for (let i = 0; planned.length < count && attempts < count * 20; i++, attempts++) {
      const kind = kinds[i % kinds.length];
      const draft = this.draft(kind);
      if (!draft) continue;
      const request = await this.finalize(draft);
      if (request) planned.push(request);
    }
    return planned;
  }

  // ── drafts: one random variant of a kind ──────────────────────────────────────────────

  private draft(kind: MutationKind): Draft | null {
    switch (kind) {
      case 'auth':
        return this.authDraft();
      case 'method':
        return this.methodDraft();
      case 'path-param': {
        const name = this.random.pick(this.params);
        let segment = this.random.chance(0.8) ? this.random.pick([...PATH_SEGMENTS, '']) : this.random.string(1 + this.random.int(40));
        // An empty last segment would name the collection instead (`/api/tickets/` is the list).
        if (segment === '' && this.endpoint.path.endsWith(`:${name}`)) segment = 'x';
        return { kind, detail: `:${name} = ${short(segment) || '(empty)'}`, params: { [name]: segment }, refusedBy: 'param-pipe' };
      }
      case 'unknown-id': {
        const params = Object.fromEntries(this.params.map((p) => [p, this.random.chance(0.7) ? this.random.uuid() : this.random.pick(UNKNOWN_UUIDS)]));
        return { kind, detail: `well-formed ids naming nothing: ${Object.values(params).join(', ')}`, params, refusedBy: 'not-found' };
      }
      case 'query-field':
        return this.queryFieldDraft();
      case 'query-missing': {
        const required = this.queryFields.filter((f) => !f.optional);
        if (!required.length) return null;
        const field = this.random.pick(required);
        return { kind, detail: `required ${field.name} left out`, query: this.exampleQuery().filter((p) => p.key !== field.name) };
      }
      case 'query-shape':
        return this.queryShapeDraft();
      case 'body-field':
        return this.bodyFieldDraft();
      case 'body-missing': {
        const required = this.bodyFields.filter((f) => !f.spec.optional);
        if (!required.length) return null;
        const field = this.random.pick(required);
        const nullInstead = this.random.chance(0.4);
        return this.bodyWith(kind, `${field.path.join('.')} ${nullInstead ? 'null' : 'left out'}`, field.path, nullInstead ? { value: null } : { missing: true });
      }
      case 'body-shape':
        return this.bodyShapeDraft();
      case 'body-malformed': {
        const text = this.random.chance(0.3) ? truncate(this.exampleJson(), this.random) : this.random.pick(MALFORMED_JSON);
        return { kind, detail: `malformed JSON ${short(text)}`, body: Buffer.from(text) };
      }
      case 'body-content-type': {
        const wrong = this.random.pick(WRONG_CONTENT_TYPES);
        return {
          kind,
          detail: `content-type ${wrong.type ?? '(none)'}`,
          body: Buffer.from(wrong.body(this.exampleJson())),
          contentType: wrong.type,
        };
      }
      case 'body-oversize':
        return this.oversizeDraft(kind);
      case 'body-deep': {
        const depth = 10_000;
        const shape = this.random.pick(['object', 'array'] as const);
        if (this.random.chance(0.5) || !this.bodyFields.length) {
          return { kind, detail: `body nested ${depth} levels (${shape})`, body: Buffer.from(deeplyNested(depth, shape)) };
        }
        const field = this.random.pick(this.bodyFields);
        return this.bodyWith(kind, `${field.path.join('.')} nested ${depth} levels (${shape})`, field.path, { raw: deeplyNested(depth, shape) });
      }
      case 'body-huge-array': {
        const count = this.random.chance(0.5) ? 100_000 : Math.floor((this.limit - 2_000) / 2);
        if (this.random.chance(0.4) || !this.bodyFields.length) {
          return { kind, detail: `body is an array of ${count} elements`, body: Buffer.from(hugeArray(count)) };
        }
        const field = this.random.pick(this.bodyFields);
        return this.bodyWith(kind, `${field.path.join('.')} an array of ${count} elements`, field.path, { raw: hugeArray(count) });
      }
      case 'body-proto': {
        const pollution = this.random.pick(PROTO_POLLUTION_JSON);
        const objects = this.bodyFields.filter((f) => f.spec.kind === 'object');
        if (objects.length && this.random.chance(0.4)) {
          const field = this.random.pick(objects);
          const inner = JSON.stringify(getAt(this.endpoint.body, field.path) ?? {});
          return this.bodyWith(kind, `${field.path.join('.')} carries ${pollution}`, field.path, { raw: mergeJson(pollution, inner) });
        }
        return { kind, detail: `body carries ${pollution}`, body: Buffer.from(mergeJson(pollution, this.exampleJson())) };
      }
      case 'body-invalid-utf8': {
        const bytes = this.random.pick(INVALID_UTF8);
        const strings = this.bodyFields.filter((f) => typeof getAt(this.endpoint.body, f.path) === 'string');
        const hex = bytes.map((b) => b.toString(16)).join(' ');
        if (!strings.length || this.random.chance(0.2)) {
          // Invalid bytes in a key.
          const json = this.exampleJson();
          const buffer = Buffer.concat([Buffer.from('{"'), Buffer.from(bytes), Buffer.from(`":1,${json.slice(1)}`)]);
          return { kind, detail: `a key of bytes ${hex}`, body: buffer };
        }
        const field = this.random.pick(strings);
        return this.bodyWith(kind, `${field.path.join('.')} holds bytes ${hex}`, field.path, { bytes });
      }
      case 'parser':
        return this.parserDraft();
    }
  }

  private authDraft(): Draft | null {
    const kind = 'auth';
    if (this.endpoint.as === 'channel') {
      const choice = this.random.int(4);
      if (choice === 0) return { kind, detail: 'no x-api-key', headers: { 'x-api-key': null }, refusedBy: 'guard' };
      if (choice === 1) return { kind, detail: 'an unknown x-api-key', headers: { 'x-api-key': `hk_${this.random.string(32)}` }, refusedBy: 'guard' };
      if (choice === 2) {
        const token = this.credentials.tokens.operator;
        if (!token) return null;
        return { kind, detail: "a staff user's bearer token instead of a key", headers: { 'x-api-key': null, authorization: `Bearer ${token}` }, refusedBy: 'guard' };
      }
      return { kind, detail: 'x-api-key with SQL', headers: { 'x-api-key': this.random.pick(SQL_FRAGMENTS) }, refusedBy: 'guard' };
    }
    const own = this.tokenFor(this.endpoint.as);
    const variants: (() => Draft | null)[] = [
      () => ({ kind, detail: 'no authorization', headers: { authorization: null }, refusedBy: 'guard' }),
      () => ({ kind, detail: 'authorization is not "Bearer <token>"', headers: { authorization: this.random.pick(['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer ', 'bearer  a b c', `Token ${own ?? 'x'}`]) }, refusedBy: 'guard' }),
      () => ({ kind, detail: 'a malformed token', headers: { authorization: `Bearer ${this.random.pick(['x', 'a.b.c', 'e30.e30.', this.random.string(300), "'OR'1'='1", '..', 'eyJhbGciOiJIUzI1NiJ9'])}` }, refusedBy: 'guard' }),
      () => ({ kind, detail: 'a token signed with another secret', headers: { authorization: `Bearer ${this.forge(this.staffRole(), `not-our-secret-${this.random.string(32)}`)}` }, refusedBy: 'guard' }),
      () => ({ kind, detail: 'an unsigned token (alg none) claiming admin', headers: { authorization: `Bearer ${unsignedToken('admin')}` }, refusedBy: 'guard' }),
      () => (own ? { kind, detail: "a valid token's payload given another role (signature kept)", headers: { authorization: `Bearer ${tamper(own)}` }, refusedBy: 'guard' } : null),
      () => {
        if (!this.credentials.jwtSecret) return null;
        const expired = signAccessToken({ sub: 'fuzz', username: 'fuzz', role: this.staffRole() }, this.credentials.jwtSecret, 60, Date.now() - 3_600_000);
        return { kind, detail: 'an expired token', headers: { authorization: `Bearer ${expired}` }, refusedBy: 'guard' };
      },
      () => this.wrongRoleDraft(),
      () => this.wrongRoleDraft(),
    ];
    return this.random.pick(variants)();
  }

  /** A valid token of a role the route does not admit. */
  private wrongRoleDraft(): Draft | null {
    const allowed = this.route.access === 'public' ? [] : this.route.access;
    const outsiders = STAFF_ROLES.filter((c) => !allowed.includes(c as Role) && this.credentials.tokens[c]);
    if (outsiders.length) {
      const caller = this.random.pick(outsiders);
      return { kind: 'auth', detail: `called as ${caller}, a role the route refuses`, headers: { authorization: `Bearer ${this.credentials.tokens[caller]}` }, refusedBy: 'guard' };
    }
    if (!this.credentials.jwtSecret || allowed.includes('channel')) return null;
    const channel = signAccessToken({ sub: 'channel-key:fuzz', username: 'fuzz', role: 'channel', channel: 'web' }, this.credentials.jwtSecret, 300);
    return { kind: 'auth', detail: 'called with a channel token, a role the route refuses', headers: { authorization: `Bearer ${channel}` }, refusedBy: 'guard' };
  }

  private methodDraft(): Draft | null {
    const concrete = this.concretePath({});
    const served = ENDPOINTS.filter((e) => !!e.direct === !!this.endpoint.direct && (!e.direct || e.service === this.endpoint.service));
    const methods = ALL_METHODS.filter((m) => !served.some((e) => e.method === m && matchesTemplate(e.path, concrete)));
    if (!methods.length) return null;
    const method = this.random.pick(methods);
    return { kind: 'method', detail: `${method} instead of ${this.endpoint.method}`, method, body: Buffer.from(this.exampleJson()), refusedBy: 'routing' };
  }

  private queryFieldDraft(): Draft | null {
    if (!this.queryFields.length) return null;
    const field = this.random.pick(this.queryFields);
    const { value, raw, semantic, label } = this.hostileQueryValue(field);
    const query = this.exampleQuery().filter((p) => p.key !== field.name);
    query.push({ key: field.name, value, raw });
    return { kind: 'query-field', detail: `${field.name}=${label ?? short(value)}`, query, semantic };
  }

  /**
   * A hostile value for a query field. Values of the field's own kind that its contract forbids
   * (a day that does not exist, a number out of range, a non-UUID id, an unknown enum member) are
   * marked `semantic`: on read-only endpoints they are sent as they are even when the validators
   * let them through, to see the handler refuse them. The others (SQL, script, odd text) are made
   * invalid by an unknown parameter when the validators would accept them.
   */
  private hostileQueryValue(field: FieldSpec): { value: string; raw?: boolean; semantic?: boolean | 'boundary'; label?: string } {
    const r = this.random;
    type Candidate = { value: string; raw?: boolean; semantic?: boolean | 'boundary'; label?: string };
    const generic: (() => Candidate)[] = [
      () => ({ value: r.pick(SQL_FRAGMENTS) }),
      () => ({ value: r.pick(SCRIPT_FRAGMENTS) }),
      () => ({ value: r.pick(UNICODE_EDGES) }),
      () => ({ value: r.pick([...SPECIAL_WORDS, ...TRAVERSAL_FRAGMENTS]) }),
      () => ({ value: r.pick(NUMBER_TEXTS) }),
      () => ({ value: r.pick(['%FF%FE', '%00', '%E4%B8', '%', '%zz', '%u0041', '%C0%AF', '%ED%A0%80']), raw: true }),
      () => ({ value: 'x'.repeat(4_000), label: "'x' × 4000" }),
    ];
    const typed: (() => Candidate)[] = [];
    switch (field.kind) {
      case 'date':
        typed.push(() => ({ value: r.pick(BAD_DATES), semantic: true }), () => ({ value: r.pick(IMPOSSIBLE_DATES), semantic: true }));
        break;
      case 'month':
        typed.push(() => ({ value: r.pick(BAD_MONTHS), semantic: true }));
        break;
      case 'instant':
        typed.push(
          () => ({ value: r.pick(BAD_INSTANTS) }),
          () => ({ value: r.pick(IMPOSSIBLE_INSTANTS), semantic: true }),
          () => ({ value: r.pick(IMPOSSIBLE_DATES), semantic: true }),
          () => ({ value: r.pick(ODD_INSTANTS), semantic: 'boundary' }),
        );
        break;
      case 'int':
      case 'number': {
        const { min, max } = field;
        if (min !== undefined) typed.push(() => ({ value: String(min - 1), semantic: true }));
        if (max !== undefined) typed.push(() => ({ value: String(max + 1), semantic: true }));
        // Beyond 2^53 a number has no exact value: refused, or served as an empty page — never a 5xx.
        typed.push(() => ({ value: r.pick(['1e20', '9007199254740993', '1e308', '-9007199254740993']), semantic: 'boundary' }), () => ({ value: r.pick(['1.5', 'NaN', 'Infinity', '-Infinity', '１']), semantic: true }));
        break;
      }
      case 'enum':
        typed.push(() => ({ value: enumVariant(field, r), semantic: true }));
        break;
      case 'boolean':
        // A lenient parse of "TRUE" or "1" is a choice, not a fault: these are poisoned when accepted.
        typed.push(() => ({ value: enumVariant(field, r) }));
        break;
      case 'uuid':
        typed.push(() => ({ value: decodeSafe(r.pick(PATH_SEGMENTS)), semantic: true }), () => ({ value: r.uuid().replace(/-/g, ''), semantic: true }));
        break;
      default: {
        const max = field.maxLength;
        if (max !== undefined) typed.push(() => ({ value: 'y'.repeat(max + 1), label: `'y' × ${max + 1}`, semantic: true }));
      }
    }
    return (typed.length && r.chance(0.5) ? r.pick(typed) : r.pick(generic))();
  }

  private queryShapeDraft(): Draft | null {
    const r = this.random;
    const example = this.exampleQuery();
    const field = this.queryFields.length ? r.pick(this.queryFields) : undefined;
    const choice = r.int(6);
    if (choice === 0 || !field) {
      return { kind: 'query-shape', detail: 'an unknown query parameter', query: [...example, { key: r.pick(['role', 'admin', '__proto__', 'constructor', 'where', r.string(8)]), value: r.pick(['1', 'true', "' OR 1=1--"]) }] };
    }
    const current = example.find((p) => p.key === field.name)?.value ?? 'x';
    const rest = example.filter((p) => p.key !== field.name);
    if (choice === 1) return { kind: 'query-shape', detail: `${field.name} given twice (an array)`, query: [...rest, { key: field.name, value: current }, { key: field.name, value: r.pick([current, 'x', '']) }] };
    if (choice === 2) return { kind: 'query-shape', detail: `${field.name}[]= (bracket syntax)`, query: [...rest, { key: `${field.name}[]`, value: current }] };
    if (choice === 3) return { kind: 'query-shape', detail: `${field.name}[$ne]= (operator injection)`, query: [...rest, { key: `${field.name}[$ne]`, value: '' }] };
    if (choice === 4) return { kind: 'query-shape', detail: `${field.name} with no value`, query: [...rest, { key: field.name, value: '' }] };
    return { kind: 'query-shape', detail: `${field.name} given 200 times`, query: [...rest, ...Array.from({ length: 200 }, () => ({ key: field.name, value: current }))] };
  }

  private bodyFieldDraft(): Draft | null {
    if (!this.bodyFields.length) return null;
    const field = this.random.pick(this.bodyFields);
    const { replacement, label } = this.hostileBodyValue(field.spec, getAt(this.endpoint.body, field.path));
    return this.bodyWith('body-field', `${field.path.join('.')} = ${label}`, field.path, replacement);
  }

  private hostileBodyValue(spec: FieldSpec, example: unknown): { replacement: Replacement; label: string } {
    const r = this.random;
    const v = (value: unknown, label = short(JSON.stringify(value) ?? String(value))) => ({ replacement: { value } as Replacement, label });
    const raw = (text: string, label = short(text)) => ({ replacement: { raw: text } as Replacement, label });
    const pool: (() => { replacement: Replacement; label: string })[] = [
      () => v(r.pick([0, -1, 1.5, true, false, [], {}, [1, 'x'], { $ne: null }, { $gt: '' }, '', ' ', 'x'])),
      () => raw(r.pick(['1e400', '-1e400', '9007199254740993', '-0', '1E-400', '123456789012345678901234567890'])),
      () => v(r.pick(SQL_FRAGMENTS)),
      () => v(r.pick(SCRIPT_FRAGMENTS)),
      () => v(r.pick(UNICODE_EDGES)),
      () => v(r.pick([...SPECIAL_WORDS, ...TRAVERSAL_FRAGMENTS])),
      () => raw(JSON.stringify('z'.repeat(1024 * 1024)), "'z' × 1 MiB"),
      () => {
        const n = Math.max(1, this.limit - this.exampleJson().length - 2_000);
        return raw(JSON.stringify('w'.repeat(n)), `'w' × ${n} (just under the body limit)`);
      },
      () => v(null),
    ];
    switch (spec.kind) {
      case 'string':
        if (spec.maxLength !== undefined) {
          const max = spec.maxLength;
          pool.push(() => v('s'.repeat(max + 1), `'s' × ${max + 1}`));
          pool.push(() => v('😀'.repeat(max), `'😀' × ${max}`));
        }
        pool.push(() => v(`${typeof example === 'string' ? example : ''}${r.pick(SQL_FRAGMENTS)}`));
        break;
      case 'enum':
      case 'boolean':
        pool.push(() => v(enumVariant(spec, r)), () => v(enumVariant(spec, r)), () => v(String(example)), () => v([example]));
        break;
      case 'int':
      case 'number': {
        const step = spec.kind === 'int' ? 1 : 0.0001;
        const { min, max } = spec;
        if (min !== undefined) pool.push(() => v(min - step));
        if (max !== undefined) pool.push(() => v(max + step));
        pool.push(() => v(String(example)), () => v(r.pick(['NaN', 'Infinity', '1e3', '0x10'])), () => v(2 ** 31), () => raw(r.pick(['1e20', '2e308', '-2e308'])));
        if (spec.kind === 'int') pool.push(() => v(1.000001));
        break;
      }
      case 'uuid':
        pool.push(() => v(decodeSafe(r.pick(PATH_SEGMENTS))), () => v(r.uuid().replace(/-/g, '')), () => v(`{${r.uuid()}}`));
        break;
      case 'date':
        pool.push(() => v(r.pick(BAD_DATES)), () => v(r.pick(IMPOSSIBLE_DATES)), () => v(20250601));
        break;
      case 'month':
        pool.push(() => v(r.pick(BAD_MONTHS)), () => v(202506));
        break;
      case 'instant':
        pool.push(() => v(r.pick(BAD_INSTANTS)), () => v(r.pick(IMPOSSIBLE_INSTANTS)), () => v(Date.now()));
        break;
      case 'array': {
        const first = Array.isArray(example) ? example[0] : undefined;
        pool.push(
          () => v(r.pick(['x', {}, [null], [[]], [{}], [1, 2, 3], [true]])),
          () => v([first, first], 'the same element twice'),
          () => raw(hugeArray(100_000), 'an array of 100000 elements'),
        );
        const arrayMax = spec.arrayMax;
        if (arrayMax !== undefined) pool.push(() => v(new Array(arrayMax + 1).fill(first ?? 'x'), `${arrayMax + 1} elements`));
        break;
      }
      case 'object':
        pool.push(
          () => v(r.pick(['x', [], 1, true, {}])),
          () => v([example], 'the object inside an array'),
          () => v({ ...(isRecord(example) ? example : {}), [r.pick(['extra', 'role', 'isAdmin'])]: 1 }, 'an object with an unknown field'),
        );
        break;
      default:
        break;
    }
    return r.pick(pool)();
  }

  private bodyShapeDraft(): Draft {
    const r = this.random;
    const example = this.exampleJson();
    const shapes: [string, string | null][] = [
      ['an array holding the valid body', `[${example}]`],
      ['an empty array', '[]'],
      ['a JSON string', '"x"'],
      ['a JSON number', '1'],
      ['JSON true', 'true'],
      ['JSON null', 'null'],
      ['an empty object', '{}'],
      ['no body at all', null],
      ['a byte-order mark before the body', `\uFEFF${example}`],
      ['field names in upper case', renameKeys(example, (k) => k.toUpperCase())],
      ['a field given twice, the second one hostile', duplicateFirstKey(example, JSON.stringify(r.pick(SQL_FRAGMENTS)))],
      ['whitespace only', ' \n\t '],
    ];
    const [detail, text] = r.pick(shapes);
    return { kind: 'body-shape', detail, body: text === null ? null : Buffer.from(text) };
  }

  private oversizeDraft(kind: MutationKind): Draft {
    const r = this.random;
    const over = this.limit + 1 + r.int(4096);
    const filler = 'o'.repeat(over);
    const chunked = r.chance(0.4);
    const body = Buffer.from(mergeJson(`{"padding":${JSON.stringify(filler)}}`, this.exampleJson()));
    return { kind, detail: `body of ${body.length} bytes (limit ${this.limit})${chunked ? ', chunked' : ''}`, body, chunked, refusedBy: 'body-parser' };
  }

  /** For endpoints without a body: what the body parser itself must refuse. */
  private parserDraft(): Draft {
    const r = this.random;
    const choice = r.int(3);
    if (choice === 0) {
      const text = r.pick(MALFORMED_JSON);
      return { kind: 'parser', detail: `malformed JSON body ${short(text)}`, body: Buffer.from(text), refusedBy: 'body-parser' };
    }
    if (choice === 1) {
      const over = this.limit + 1 + r.int(4096);
      const chunked = this.endpoint.method !== 'GET' && r.chance(0.5);
      return { kind: 'parser', detail: `a JSON body of ${over}+ bytes${chunked ? ', chunked' : ''}`, body: Buffer.from(`{"padding":"${'p'.repeat(over)}"}`), chunked, refusedBy: 'body-parser' };
    }
    if (this.endpoint.method === 'GET') {
      return { kind: 'parser', detail: 'a JSON body with invalid UTF-8 and a syntax error', body: Buffer.concat([Buffer.from('{"a":"'), Buffer.from(r.pick(INVALID_UTF8)), Buffer.from('"')]), refusedBy: 'body-parser' };
    }
    const wrong = r.pick(WRONG_CONTENT_TYPES.filter((w) => w.type !== null && !w.type.includes('charset')));
    return { kind: 'parser', detail: `a body of content-type ${wrong.type}`, body: Buffer.from(wrong.body('{"a":1}')), contentType: wrong.type, refusedBy: 'body-parser' };
  }

  // ── finishing: make sure the request cannot be valid ──────────────────────────────────

  private async finalize(draft: Draft): Promise<PlannedRequest | null> {
    const e = this.endpoint;
    const method = draft.method ?? e.method;
    let query = draft.query ?? this.exampleQuery();
    let body: Buffer | undefined = draft.body === null ? undefined : (draft.body ?? (e.body !== undefined ? Buffer.from(this.exampleJson()) : undefined));
    const contentType = draft.contentType === undefined ? (body ? 'application/json' : null) : draft.contentType;
    let refusedBy: RefusedBy | undefined = draft.refusedBy;

    if (!refusedBy) {
      const verdict = await this.judgeLocally(method, query, body, contentType);
      if (verdict.refused) refusedBy = verdict.by;
      else if (draft.semantic && e.method === 'GET') refusedBy = draft.semantic === 'boundary' ? 'handler, or an empty answer (boundary)' : 'handler (semantic)';
      else if (this.route.body && method !== 'GET' && body && contentType === 'application/json' && canPoison(body)) {
        body = poison(body);
        const again = await this.judgeLocally(method, query, body, contentType);
        if (!again.refused) return null;
        refusedBy = 'validation (poisoned)';
      } else if (this.route.query && !this.route.body) {
        query = [...query, { key: POISON_FIELD, value: '1' }];
        const again = await this.judgeLocally(method, query, body, contentType);
        if (!again.refused) return null;
        refusedBy = 'validation (poisoned)';
      } else if (this.params.length && e.unknownId !== 'answered') {
        // Every path id is a fresh UUID naming nothing: the handler can only answer "not found".
        refusedBy = 'not-found';
      } else {
        return null;
      }
    }

    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'hotline-fuzz' };
    if (contentType && body) headers['content-type'] = contentType;
    const auth = this.defaultAuth();
    Object.assign(headers, auth);
    for (const [name, value] of Object.entries(draft.headers ?? {})) {
      if (value === null) delete headers[name];
      else headers[name] = value;
    }
    return {
      endpoint: e,
      kind: draft.kind,
      detail: draft.detail,
      refusedBy,
      method,
      path: this.concretePath(draft.params ?? {}) + serializeQuery(query),
      headers,
      body,
      chunked: draft.chunked,
      mayAnswer: refusedBy === 'handler, or an empty answer (boundary)' || undefined,
    };
  }

  /**
   * What the service would make of this request's query and body, judged here with its own
   * parser rules and validation pipe: refused (and by what), or would reach the handler.
   */
  private async judgeLocally(
    method: string,
    query: QueryPair[],
    body: Buffer | undefined,
    contentType: string | null,
  ): Promise<{ refused: true; by: RefusedBy } | { refused: false }> {
    const parsed = parseBodyLikeService(body, contentType, method, this.limit);
    if (parsed.refused) return { refused: true, by: 'body-parser' };
    const verdicts: Verdict[] = [];
    const queryText = serializeQuery(query).slice(1);
    const queryDto = this.route.query;
    if (queryDto) verdicts.push(await this.memo(`q:${queryText}`, () => validateLikeService(queryDto, 'query', parseQuery(queryText))));
    if (this.route.body && method !== 'GET') {
      const dto = this.route.body;
      const key = `b:${createHash('sha1').update(body ?? Buffer.alloc(0)).digest('hex')}`;
      verdicts.push(await this.memo(key, () => validateLikeService(dto, 'body', parsed.value)));
    }
    if (verdicts.some((v) => v.outcome === 'refused')) return { refused: true, by: 'validation' };
    if (verdicts.some((v) => v.outcome === 'crashed')) return { refused: true, by: 'pipe crash (sent to see)' };
    return { refused: false };
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────

  /** The same body or query judged once per planner (huge bodies take the pipe a second or two). */
  private readonly verdicts = new Map<string, Promise<Verdict>>();

  private memo(key: string, judge: () => Promise<Verdict>): Promise<Verdict> {
    let verdict = this.verdicts.get(key);
    if (!verdict) this.verdicts.set(key, (verdict = judge()));
    return verdict;
  }

  private bodyWith(kind: MutationKind, detail: string, path: (string | number)[], replacement: Replacement): Draft {
    return { kind, detail, body: buildBody(this.endpoint.body, path, replacement) };
  }

  private exampleJson(): string {
    return JSON.stringify(this.endpoint.body ?? {});
  }

  private exampleQuery(): QueryPair[] {
    return Object.entries(this.endpoint.query ?? {}).map(([key, value]) => ({ key, value }));
  }

  /** The path with every parameter a fresh UUID naming nothing, unless given. */
  private concretePath(given: Record<string, string>): string {
    return this.endpoint.path.replace(/:([A-Za-z]+)/g, (_, name: string) => (name in given ? given[name] : this.random.uuid()));
  }

  private defaultAuth(): Record<string, string> {
    const as = this.endpoint.as;
    if (as === 'public') return {};
    if (as === 'channel') return this.credentials.channelKey ? { 'x-api-key': this.credentials.channelKey } : {};
    const token = this.credentials.tokens[as];
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  private tokenFor(caller: Caller): string | undefined {
    return caller === 'public' || caller === 'channel' ? undefined : this.credentials.tokens[caller];
  }

  private staffRole(): Role {
    return this.endpoint.as === 'public' || this.endpoint.as === 'channel' ? 'admin' : this.endpoint.as;
  }

  private forge(role: Role, secret: string): string {
    return signAccessToken({ sub: 'fuzz', username: 'fuzz', role }, secret, 300);
  }
}

// ── body text building ────────────────────────────────────────────────────────────────────

const RAW_TOKEN = 'FUZZ_RAW_9f1c2e';
const BYTES_TOKEN = 'FUZZ_BYTES_9f1c2e';

/** The example body with the value at `path` replaced (or removed), as bytes. */
export function buildBody(example: unknown, path: (string | number)[], replacement: Replacement): Buffer {
  const clone = JSON.parse(JSON.stringify(example ?? {})) as unknown;
  if ('missing' in replacement) {
    removeAt(clone, path);
    return Buffer.from(JSON.stringify(clone));
  }
  if ('value' in replacement) {
    setAt(clone, path, replacement.value);
    return Buffer.from(JSON.stringify(clone));
  }
  if ('raw' in replacement) {
    setAt(clone, path, RAW_TOKEN);
    return Buffer.from(JSON.stringify(clone).replace(`"${RAW_TOKEN}"`, () => replacement.raw));
  }
  setAt(clone, path, `ab${BYTES_TOKEN}cd`);
  const [before, after] = JSON.stringify(clone).split(BYTES_TOKEN);
  return Buffer.concat([Buffer.from(before), Buffer.from(replacement.bytes), Buffer.from(after)]);
}

/** Adds the unknown field right after the body's first `{` (works on any bytes). */
export function poison(body: Buffer): Buffer {
  const at = body.indexOf('{');
  const rest = body.subarray(at + 1).toString('latin1').trimStart();
  const separator = rest.startsWith('}') ? '' : ',';
  return Buffer.concat([body.subarray(0, at + 1), Buffer.from(`"${POISON_FIELD}":1${separator}`), body.subarray(at + 1)]);
}

function canPoison(body: Buffer): boolean {
  const first = /^[\s\uFEFF]*(.)/su.exec(body.subarray(0, 16).toString('utf8'))?.[1];
  return first === '{';
}

function serializeQuery(pairs: QueryPair[]): string {
  if (!pairs.length) return '';
  return `?${pairs.map((p) => `${percentEncode(p.key)}=${p.raw ? p.value : percentEncode(p.value)}`).join('&')}`;
}

/** encodeURIComponent, but of the UTF-8 bytes Node would send (a lone surrogate becomes U+FFFD, not an exception). */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.!~*'()]/.test(c) && byte < 0x80 ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `{"a":1}` merged into `{"b":2}` as text: `{"a":1,"b":2}`. */
function mergeJson(first: string, second: string): string {
  const inner = second.trim().slice(1, -1).trim();
  return inner ? `${first.trim().slice(0, -1)},${inner}}` : first;
}

function renameKeys(json: string, rename: (key: string) => string): string {
  const value = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), v])));
}

function duplicateFirstKey(json: string, hostile: string): string {
  const key = Object.keys(JSON.parse(json) as Record<string, unknown>)[0];
  if (!key) return `{"a":1,"a":${hostile}}`;
  return `${json.trim().slice(0, -1)},${JSON.stringify(key)}:${hostile}}`;
}

function truncate(json: string, random: Random): string {
  return json.slice(0, 1 + random.int(Math.max(1, json.length - 1)));
}

function getAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), value);
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown): void {
  const parent = getAt(value, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = replacement;
}

function removeAt(value: unknown, path: (string | number)[]): void {
  const parent = getAt(value, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else delete (parent as Record<string | number, unknown>)[last];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every field of a DTO, nested ones by path (the first element of a nested array), with its spec. */
function flattenFields(dto: Type<unknown>, example: unknown, prefix: (string | number)[]): { path: (string | number)[]; spec: FieldSpec }[] {
  const out: { path: (string | number)[]; spec: FieldSpec }[] = [];
  for (const spec of fieldsOf(dto)) {
    const path = [...prefix, spec.name];
    out.push({ path, spec });
    const value = getAt(example, path);
    if (spec.nested && value !== undefined && value !== null && prefix.length < 3) {
      if (Array.isArray(value) && value.length) out.push(...flattenFields(spec.nested, example, [...path, 0]));
      else if (isRecord(value)) out.push(...flattenFields(spec.nested, example, path));
    }
  }
  return out;
}

/** A near miss of an enum member (case, blanks, a NUL, cut short …) that is surely not a member itself. */
function enumVariant(spec: FieldSpec, random: Random): string {
  const members = (spec.enumValues ?? ['true']).map(String);
  const v = random.pick(members);
  const candidates = [v.toUpperCase(), ` ${v}`, `${v} `, `${v}\u0000`, v.slice(0, -1), `${v},${v}`, `${v}_`, v.replace(/-/g, '_'), '0', 'yes', 'TRUE', '１'];
  const misses = candidates.filter((c) => c !== '' && !members.includes(c));
  return random.pick(misses);
}

function shuffle<T>(items: T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function short(text: string, max = 60): string {
  const printable = [...text].map((c) => (isControl(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
  return printable.length > max ? `${printable.slice(0, max)}… (${text.length} chars)` : printable;
}

function isControl(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A token whose header says alg "none" and whose signature is empty. */
function unsignedToken(role: Role): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'fuzz', username: 'fuzz', role, iat: now, exp: now + 300, iss: 'hotline', jti: 'fuzz' })}.`;
}

/** A valid token with its payload rewritten (another role), the signature kept: it no longer matches. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    // not a token of ours: tampered all the same
  }
  // Another role than the token's own, so the payload surely differs from the signed one.
  const role = claims.role === 'admin' ? 'supervisor' : 'admin';
  const forged = Buffer.from(JSON.stringify({ ...claims, role, departmentId: undefined, regionCode: undefined })).toString('base64url');
  return `${header}.${forged}.${signature}`;
}
