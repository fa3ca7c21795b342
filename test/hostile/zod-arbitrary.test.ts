/**
 * The schema walker behind the generated hostile input: it has valid and invalid arbitraries
 * for every member of the request union (a new request type gets them, or the walker throws),
 * what it calls valid the schema accepts, what it calls invalid the schema refuses, and it
 * reaches the hazards it promises (raw Infinity, 2^53, lone surrogates, floods, extra keys).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RequestSchema } from '../../src/protocol';
import { arbitrariesByType, invalid, overTheWire, toFrame, valid } from './zod-arbitrary';

const SEED = 20261124;

describe('zod arbitraries', () => {
  it('[HOSTILE-5] every request type in the protocol has valid and invalid arbitraries, and the schema agrees with both', () => {
    const byType = arbitrariesByType(RequestSchema, 'type');
    const schemaTypes = RequestSchema.options.map((o) => o.shape.type.value);
    expect([...byType.keys()].sort()).toEqual([...schemaTypes].sort());
    for (const [type, { valid: ok, invalid: ko }] of byType) {
      for (const v of fc.sample(ok, { numRuns: 40, seed: SEED })) {
        const parsed = RequestSchema.safeParse(overTheWire(v));
        expect(parsed.success, `valid ${type}: ${JSON.stringify(v)}`).toBe(true);
        expect(parsed.data?.type).toBe(type);
      }
      for (const b of fc.sample(ko, { numRuns: 40, seed: SEED })) {
        expect(RequestSchema.safeParse(overTheWire(b.value)).success, `invalid ${type} (${b.what})`).toBe(false);
      }
    }
  });

  it('[HOSTILE-5] the invalid requests reach every kind of hazard it promises', () => {
    const whats = [...arbitrariesByType(RequestSchema, 'type').values()].flatMap(({ invalid: ko }) => fc.sample(ko, { numRuns: 300, seed: SEED }));
    const seen = (re: RegExp) => whats.filter((b) => re.test(b.what)).length;
    for (const re of [
      /extra key/, /missing /, /Infinity \(raw 1e999\)/, /2\^53/, /fractional/, /below the minimum/, /above the maximum/, /oversized string/,
      /lone (high|low) surrogate/, /NUL/, /right-to-left override/, /zero-width flood/, /combining-mark flood/, /off the pattern/, /too many elements/, /not one of the allowed values/,
    ]) {
      expect(seen(re), String(re)).toBeGreaterThan(0);
    }
    // Raw tokens become real JSON numbers on the wire (Infinity after parsing), not strings.
    const raw = whats.find((b) => b.what.includes('raw 1e999'));
    expect(toFrame(raw?.value).json).toMatch(/:1e999[,}]/);
    expect(JSON.stringify(overTheWire(raw?.value))).toContain('null');
  });

  it('[HOSTILE-5] a zod type the walker does not know fails loudly instead of going untested', () => {
    expect(() => valid(z.strictObject({ at: z.date() }))).toThrow(/no arbitrary for zod type "date" at \.at/);
    expect(() => invalid(z.bigint())).toThrow(/"bigint"/);
  });

  it('[HOSTILE-5] bounds are read off the def: lengths, integer ranges, enums, nullable and optional', () => {
    const schema = z.strictObject({ n: z.number().int().min(3).max(9), s: z.string().min(2).max(4), e: z.enum(['x', 'y']), o: z.boolean().optional(), u: z.string().nullable() });
    const values = fc.sample(valid(schema), { numRuns: 200, seed: SEED }) as { n: number; s: string; e: string; o?: boolean; u: string | null }[];
    expect(values.every((v) => schema.safeParse(v).success)).toBe(true);
    expect(new Set(values.map((v) => v.n))).toContain(3);
    expect(new Set(values.map((v) => v.n))).toContain(9);
    expect(values.some((v) => v.o === undefined) && values.some((v) => v.o !== undefined)).toBe(true);
    expect(values.some((v) => v.u === null)).toBe(true);
    const broken = fc.sample(invalid(schema), { numRuns: 300, seed: SEED });
    expect(broken.every((b) => !schema.safeParse(overTheWire(b.value)).success)).toBe(true);
    expect(broken.some((b) => b.what.startsWith('n: '))).toBe(true);
    expect(broken.some((b) => b.what.startsWith('extra key'))).toBe(true);
    // The edges just outside the range, and a fraction inside it.
    const numbers = fc.sample(invalid(schema.shape.n), { numRuns: 300, seed: SEED });
    const made = (what: string) => new Set(numbers.filter((b) => b.what === what).map((b) => b.value));
    expect(made('above the maximum')).toEqual(new Set([10]));
    expect(made('below the minimum')).toEqual(new Set([2]));
    expect(made('fractional')).toContain(3.5);
  });
});
