/**
 * fast-check arbitraries read off the protocol's zod 4 schemas (`schema._zod.def`), so the
 * hostile-input tests cover every request type the protocol has, and a new one, without anyone
 * writing examples by hand. `valid(schema)` generates values the schema accepts; `invalid(schema)`
 * generates values it refuses: wrong types, extra and missing keys, numbers out of range (2^53
 * included) or fractional, Infinity as a raw `1e999` token, strings too long or too short or off
 * their pattern, lone surrogates, NUL and other controls, bidi overrides, zero-width and
 * combining-mark floods, arrays too long or too short.
 *
 * The walker reads what a def says (lengths, bounds, patterns, entries). What it cannot read —
 * `refine` predicates, `trim` and `toLowerCase` overwrites, transforms — it leaves to the schema
 * itself: every leaf candidate is filtered through that leaf's own schema (kept when it parses
 * for `valid`, when it does not for `invalid`). A def type the walker does not know throws, so a
 * protocol change it cannot follow fails the tests instead of going untested.
 */
import fc from 'fast-check';
import type { z } from 'zod';

type Schema = z.ZodType;

/** zod 4's internal def, as much of it as the walker reads. */
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, Schema>;
  catchall?: Schema;
  options?: Schema[];
  innerType?: Schema;
  element?: Schema;
  in?: Schema;
  out?: Schema;
  values?: unknown[];
  entries?: Record<string, string | number>;
}

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
}

const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (s: Schema): CheckDef[] => (defOf(s).checks ?? []).map((c) => c._zod.def);

/**
 * A JSON token the wire carries as is (`1e999` parses to Infinity): JSON.stringify cannot
 * write it, so a value holding one goes out as a raw socket.io frame (`toFrame`).
 */
const RAW = /"@@raw:([^@"]+)@@"/g;
export const rawToken = (token: string): string => `@@raw:${token}@@`;

/** The JSON text of a request, raw tokens put in place; and whether it had any. */
export function toFrame(value: unknown): { json: string; raw: boolean } {
  const json = JSON.stringify(value) ?? 'null';
  const out = json.replace(RAW, (_, token: string) => token);
  return { json: out, raw: out !== json };
}

/** What the server sees once the value has crossed the wire (socket.io speaks JSON). */
export function overTheWire(value: unknown): unknown {
  return JSON.parse(toFrame(value).json) as unknown;
}

/** Values the walker substitutes, by object key, so generated requests name real things. */
export type Hints = Readonly<Record<string, fc.Arbitrary<unknown>>>;

interface Walk {
  hints: Hints;
  path: string;
}

const accepts = (s: Schema, v: unknown) => s.safeParse(overTheWire(v)).success;

// ----------------------------------------------------------------- strings

/** Pieces of text people (and attackers) write: scripts, emoji, and every hazard the schemas weigh. */
const PIECES = [
  'a', 'Z', '7', ' ', '\n', 'hello', '你好', '😀', '👩‍👩‍👧', 'مرحبا', 'שלום', 'é', 'e\u0301', '\u00a0', '\u3000', '\t',
  '\u202e', '\u202d', '\u2066', '\u2069', '\u200f', '\u200b', '\u200d', '\ufeff', '\u0301\u0301\u0301', 'ｆｕｌｌ', '﷽',
];

/** Hazards that make some strings invalid (which ones depends on the field: the schema decides). */
const HAZARDS: [string, (n: number) => string][] = [
  ['lone high surrogate', () => '\ud800'],
  ['lone low surrogate', () => '\udfff'],
  ['NUL', () => '\u0000'],
  ['control character', () => '\u0007'],
  ['escape', () => '\u001b[2J'],
  ['right-to-left override', () => '\u202e'],
  ['zero-width flood', (n) => '\u200b\u200c\u200d\u2060\ufeff'.repeat(n)],
  ['combining-mark flood', (n) => `a${'\u0301\u0308\u0327'.repeat(6 + n)}`],
  ['white space only', () => ' \t\n\u3000 '],
];

function stringBounds(s: Schema): { min: number; max: number | null; patterns: RegExp[] } {
  let min = 0;
  let max: number | null = null;
  const patterns: RegExp[] = [];
  for (const c of checksOf(s)) {
    if (c.check === 'min_length' && c.minimum !== undefined) min = Math.max(min, c.minimum);
    else if (c.check === 'max_length' && c.maximum !== undefined) max = Math.min(max ?? Infinity, c.maximum);
    else if (c.check === 'length_equals' && c.value !== undefined) [min, max] = [c.value, c.value];
    else if (c.check === 'string_format' && c.pattern) patterns.push(c.pattern);
  }
  return { min, max, patterns };
}

function validString(s: Schema): fc.Arbitrary<string> {
  const { min, max, patterns } = stringBounds(s);
  const upTo = Math.min(max ?? 60, Math.max(min, 0) + 60);
  let base: fc.Arbitrary<string>;
  const pattern = patterns[0];
  if (pattern) {
    // fast-check cannot generate for the `i` flag: generate for the pattern as written, then
    // flip the case of some letters, which the `i` flag lets through.
    const caseless = pattern.flags.includes('i');
    const matching = fc.stringMatching(new RegExp(pattern.source, pattern.flags.replace('i', '')));
    base = caseless ? fc.tuple(matching, fc.nat()).map(([v, bits]) => [...v].map((ch, i) => ((bits >> i % 30) & 1 ? ch.toUpperCase() : ch)).join('')) : matching;
  } else {
    const piece = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PIECES) }, fc.string({ unit: 'grapheme', maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 2 }));
    // Short fields get one code point per unit, so most candidates fit the length.
    const char = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PIECES.filter((p) => p.length === 1)) }, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }));
    const text = max !== null && max <= 16 ? fc.string({ unit: char, minLength: min, maxLength: max }) : fc.array(piece, { minLength: 1, maxLength: Math.max(1, Math.min(upTo, 12)) }).map((p) => p.join(''));
    base = fc.oneof(
      { weight: 6, arbitrary: text },
      // The boundaries: exactly the longest and the shortest the def allows.
      ...(max !== null ? [fc.constant('x'.repeat(max))] : []),
      ...(min > 0 ? [fc.constant('y'.repeat(min))] : []),
    );
  }
  return base.filter((v) => s.safeParse(v).success);
}

function stringBreakers(s: Schema, valid: fc.Arbitrary<unknown>): Case[] {
  const { min, max, patterns } = stringBounds(s);
  const cases: Case[] = [
    // Past the longest the def allows, or (no length in the def: a refine may still count) past anything sane.
    fc.nat({ max: 30 }).map((n) => bad('oversized string', 'w'.repeat((max ?? 4_000) + 1 + n))),
    fc.nat({ max: 30 }).map((n) => bad('oversized string (astral)', '😀'.repeat((max ?? 4_000) + 1 + n))),
    { weight: 3, arbitrary: fc.tuple(valid, fc.constantFrom(...HAZARDS), fc.nat({ max: 40 }), fc.nat({ max: 2 })).map(([v, [name, make], n, where]) => {
      const text = String(v);
      const hazard = make(n + 1);
      return bad(name, where === 0 ? hazard : where === 1 ? `${text}${hazard}` : `${text.slice(0, 1)}${hazard}${text.slice(1)}`);
    }) },
    fc.constantFrom(...HAZARDS).map(([name, make]) => bad(`${name} alone`, make(200))),
  ];
  if (min > 0) cases.push(fc.constantFrom(bad('too short', ''), bad('too short', 'q'.repeat(min - 1))));
  if (patterns.length > 0) cases.push(valid.chain((v) => fc.constantFrom(`${String(v)}!`, ` ${String(v)}`, `${String(v)}\n`, String(v).slice(1), '').map((x) => bad('off the pattern', x))));
  return cases;
}

// ----------------------------------------------------------------- numbers

function numberBounds(s: Schema): { min: number; max: number; int: boolean } {
  let min = -Number.MAX_VALUE;
  let max = Number.MAX_VALUE;
  let int = false;
  for (const c of checksOf(s)) {
    if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32' || c.format === 'uint32')) {
      int = true;
      min = Math.max(min, c.format === 'uint32' ? 0 : c.format === 'int32' ? -(2 ** 31) : Number.MIN_SAFE_INTEGER);
      max = Math.min(max, c.format === 'uint32' ? 2 ** 32 - 1 : c.format === 'int32' ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER);
    } else if (c.check === 'greater_than' && c.value !== undefined) {
      min = Math.max(min, c.inclusive ? c.value : int ? c.value + 1 : c.value + Number.EPSILON);
    } else if (c.check === 'less_than' && c.value !== undefined) {
      max = Math.min(max, c.inclusive ? c.value : int ? c.value - 1 : c.value - Number.EPSILON);
    }
  }
  return { min, max, int };
}

function validNumber(s: Schema): fc.Arbitrary<number> {
  const { min, max, int } = numberBounds(s);
  const arb = int
    ? fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max: Math.min(max, min + 50) }), fc.integer({ min, max }))
    : fc.oneof(fc.constantFrom(min, max), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
  return arb.filter((v) => s.safeParse(v).success);
}

function numberBreakers(s: Schema): Case[] {
  const { min, max, int } = numberBounds(s);
  // Tokens JSON.stringify cannot write: they travel as raw frames (see toFrame).
  const raw: Bad[] = [bad('Infinity (raw 1e999)', rawToken('1e999')), bad('-Infinity (raw -1e999)', rawToken('-1e999')), bad('a fraction in exponent form (raw 15e-1)', rawToken('15e-1'))];
  const cases: Bad[] = [
    bad('2^53', 2 ** 53),
    bad('-(2^53)', -(2 ** 53)),
    bad('past 2^53', 2 ** 53 + 2),
    bad('1e21', 1e21),
    bad('NaN as JSON writes it (null)', Number.NaN),
    bad('a numeric string', '1'),
    bad('hex string', '0x10'),
  ];
  if (min > -Number.MAX_VALUE) cases.push(bad('below the minimum', min - 1));
  if (max < Number.MAX_VALUE) cases.push(bad('above the maximum', max + 1));
  if (int) cases.push(bad('fractional', min + 0.5), bad('fractional', Math.min(max, 1e6) - 0.25), bad('tiny fraction', 1e-9));
  return [{ weight: 2, arbitrary: fc.constantFrom(...raw) }, { weight: 3, arbitrary: fc.constantFrom(...cases) }];
}

// ----------------------------------------------------------------- the walk

/** An invalid value and what makes it invalid (for the failure message). */
export interface Bad {
  what: string;
  value: unknown;
}
const bad = (what: string, value: unknown): Bad => ({ what, value });

const WRONG_TYPES: Bad[] = [
  bad('null', null),
  bad('a number', 12345),
  bad('a string', 'twelve'),
  bad('a boolean', true),
  bad('an object', { a: 1 }),
  bad('an array', [1, 'x']),
  bad('an empty object', {}),
  bad('an empty array', []),
];

const wrongType: Case = fc.constantFrom(...WRONG_TYPES);

/** One way of breaking a value, perhaps weighted; the schema decides which of its values are invalid. */
type Case = fc.Arbitrary<Bad> | fc.WeightedArbitrary<Bad>;

/**
 * The cases that can break `s`, each filtered to what `s` refuses. A case that never yields a
 * refused value for this schema (say, an RTL override in message text, which is allowed) is
 * left out after a deterministic probe, so no filter spins forever.
 */
function refused(s: Schema, cases: readonly Case[]): fc.WeightedArbitrary<Bad>[] {
  const out: fc.WeightedArbitrary<Bad>[] = [];
  for (const c of cases) {
    const { arbitrary, weight } = 'arbitrary' in c ? c : { arbitrary: c, weight: 1 };
    const probe = fc.sample(arbitrary, { numRuns: 40, seed: 1 });
    if (probe.some((b) => !accepts(s, b.value))) out.push({ weight, arbitrary: arbitrary.filter((b) => !accepts(s, b.value)) });
  }
  return out;
}

const unsupported = (type: string, path: string) => new Error(`zod-arbitrary: no arbitrary for zod type "${type}" at ${path || 'the root'}; teach the walker`);

export function valid(s: Schema, walk: Walk = { hints: {}, path: '' }): fc.Arbitrary<unknown> {
  const def = defOf(s);
  switch (def.type) {
    case 'string':
      return validString(s);
    case 'number':
      return validNumber(s);
    case 'boolean':
      return fc.boolean();
    case 'literal':
      return fc.constantFrom(...(def.values ?? []));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case 'nullable':
      return fc.oneof(fc.constant(null), valid(def.innerType as Schema, walk));
    case 'optional':
      return valid(def.innerType as Schema, walk);
    case 'pipe':
      // A transform's input is what travels; its output is the server's business.
      return valid(def.in as Schema, walk).filter((v) => s.safeParse(v).success);
    case 'array': {
      const { min, max } = stringBounds(s);
      const element = valid(def.element as Schema, { ...walk, path: `${walk.path}[]` });
      return fc.array(element, { minLength: min, maxLength: Math.min(max ?? min + 6, min + 6) }).filter((v) => s.safeParse(v).success);
    }
    case 'object': {
      const shape = def.shape ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [key, field] of Object.entries(shape)) {
        const own = valid(field, { ...walk, path: `${walk.path}.${key}` });
        const hint = walk.hints[key];
        model[key] = hint ? fc.oneof({ weight: 3, arbitrary: hint.filter((v) => field.safeParse(v).success) }, { weight: 1, arbitrary: own }) : own;
        if (defOf(field).type !== 'optional') required.push(key);
      }
      return fc.record(model, { requiredKeys: required });
    }
    case 'union':
      return fc.oneof(...(def.options ?? []).map((o, i) => valid(o, { ...walk, path: `${walk.path}|${i}` })));
    default:
      throw unsupported(def.type, walk.path);
  }
}

export function invalid(s: Schema, walk: Walk = { hints: {}, path: '' }): fc.Arbitrary<Bad> {
  const cases = breakers(s, walk);
  if (cases.length === 0) throw new Error(`zod-arbitrary: nothing the walker tries is refused at ${walk.path || 'the root'}`);
  return fc.oneof(...cases);
}

function breakers(s: Schema, walk: Walk): fc.WeightedArbitrary<Bad>[] {
  const def = defOf(s);
  const here = valid(s, walk);
  switch (def.type) {
    case 'string':
      return refused(s, [wrongType, ...stringBreakers(s, here)]);
    case 'number':
      return refused(s, [wrongType, { weight: 2, arbitrary: fc.oneof(...numberBreakers(s)) }]);
    case 'boolean':
      return refused(s, [wrongType, fc.constantFrom(bad('"true"', 'true'), bad('1', 1), bad('0', 0))]);
    case 'literal':
    case 'enum': {
      const allowed = def.type === 'literal' ? (def.values ?? []) : Object.values(def.entries ?? {});
      const near = allowed.flatMap((v) => (typeof v === 'string' ? [v.toUpperCase(), `${v} `, v.slice(1), `${v}\u200b`] : [String(v)]));
      return refused(s, [wrongType, fc.constantFrom(...near, 'owner', '', '__proto__').map((v) => bad('not one of the allowed values', v))]);
    }
    case 'nullable':
    case 'pipe':
      return refused(s, breakers((def.type === 'pipe' ? def.in : def.innerType) as Schema, walk));
    case 'optional':
      // Absent is fine; present must be right.
      return breakers(def.innerType as Schema, walk);
    case 'array': {
      const { min, max } = stringBounds(s);
      const element = valid(def.element as Schema, walk);
      const cases: Case[] = [wrongType];
      const elementBreakers = breakers(def.element as Schema, { ...walk, path: `${walk.path}[]` });
      if (elementBreakers.length > 0) {
        cases.push(
          fc.tuple(here, fc.oneof(...elementBreakers), fc.nat()).map(([v, b, at]) => {
            const items = [...(v as unknown[])];
            items.splice(at % (items.length + 1), 0, b.value);
            return bad(`an element: ${b.what}`, items);
          }),
        );
      }
      if (max !== null) cases.push(element.map((e) => bad('too many elements', Array.from({ length: max + 1 }, () => e))));
      if (min > 0) cases.push(fc.constant(bad('too few elements', [])));
      return refused(s, cases);
    }
    case 'object': {
      const shape = def.shape ?? {};
      const keys = Object.keys(shape);
      const required = keys.filter((k) => defOf(shape[k] as Schema).type !== 'optional');
      const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
      // Weighted towards breaking one field of an otherwise valid request, the likeliest attack.
      const cases: Case[] = [wrongType];
      const junk = fc.oneof(fc.constantFrom<unknown>(1, 'x', null, true, {}, []), fc.string({ maxLength: 8 }));
      if (strict) {
        const extra = fc.oneof(fc.constantFrom('senderId', 'seq', 'admin', '__proto__', 'constructor', 'Type', 'type ', ''), fc.string({ maxLength: 10 })).filter((k) => !keys.includes(k));
        cases.push({ weight: 2, arbitrary: fc.tuple(here, extra, junk).map(([v, k, j]) => bad(`extra key ${JSON.stringify(k)}`, withKey(v, k, j))) });
      }
      if (required.length > 0) {
        const dropped = fc.tuple(here, fc.constantFrom(...required)).map(([v, k]) => {
          const copy = { ...(v as Record<string, unknown>) };
          delete copy[k];
          return bad(`missing ${k}`, copy);
        });
        cases.push(dropped);
      }
      for (const key of keys) {
        const field = shape[key] as Schema;
        const broken = breakers(field, { ...walk, path: `${walk.path}.${key}` });
        if (broken.length === 0) continue;
        const weight = defOf(field).type === 'literal' ? 1 : 4;
        cases.push({ weight, arbitrary: fc.tuple(here, fc.oneof(...broken)).map(([v, b]) => bad(`${key}: ${b.what}`, withKey(v, key, b.value))) });
      }
      return refused(s, cases);
    }
    case 'union':
      return refused(s, [wrongType, ...(def.options ?? []).flatMap((o, i) => breakers(o, { ...walk, path: `${walk.path}|${i}` }))]);
    default:
      throw unsupported(def.type, walk.path);
  }
}

/** A copy with `key` set as an own, enumerable property (works for `__proto__` too). */
function withKey(v: unknown, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/**
 * The members of a discriminated union of strict objects (as `RequestSchema`), keyed by their
 * discriminator's literal value: each member's valid and invalid arbitraries.
 */
export function arbitrariesByType(union: Schema, discriminator: string, hints: Hints = {}): Map<string, { valid: fc.Arbitrary<unknown>; invalid: fc.Arbitrary<Bad> }> {
  const def = defOf(union);
  if (def.type !== 'union') throw unsupported(def.type, 'the request union');
  const out = new Map<string, { valid: fc.Arbitrary<unknown>; invalid: fc.Arbitrary<Bad> }>();
  for (const option of def.options ?? []) {
    const tag = defOf(option).shape?.[discriminator];
    const value = tag ? defOf(tag).values?.[0] : undefined;
    if (typeof value !== 'string') throw new Error(`zod-arbitrary: a member of the union has no literal ${discriminator}`);
    const walk = { hints, path: value };
    out.set(value, { valid: valid(option, walk), invalid: invalid(option, walk) });
  }
  return out;
}
