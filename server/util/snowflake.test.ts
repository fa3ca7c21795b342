import { describe, expect, it } from 'vitest';
import { Snowflake } from './snowflake';

const EPOCH = 1_704_067_200_000;

/** The id's three fields, decoded. */
const decode = (id: string) => {
  const n = BigInt(id);
  return { ms: Number(n >> 22n), node: Number((n >> 12n) & 0x3ffn), counter: Number(n & 0xfffn) };
};

/** A hand-driven clock: ids are tested against time we set, never the wall clock. */
const clock = (start: number) => {
  const c = { t: start, now: () => c.t };
  return c;
};

/** Every id must be greater than the one before it (as 64-bit numbers, not as strings). */
const expectStrictlyIncreasing = (ids: readonly string[]) => {
  for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]!) > BigInt(ids[i - 1]!), `id #${i}`).toBe(true);
};

describe('Snowflake', () => {
  it('[ID-1] encodes milliseconds since 2024-01-01, the node id and a counter in a decimal string', () => {
    const c = clock(EPOCH + 12_345);
    const ids = new Snowflake(7, c.now);
    const id = ids.next();
    expect(id).toMatch(/^[0-9]{1,20}$/);
    expect(decode(id)).toEqual({ ms: 12_345, node: 7, counter: 0 });
    expect(decode(ids.next())).toEqual({ ms: 12_345, node: 7, counter: 1 });
  });

  it('[ID-2] ids from one generator are unique and strictly increasing, within and across milliseconds', () => {
    const c = clock(EPOCH + 1_000);
    const ids = new Snowflake(1, c.now);
    const out: string[] = [];
    for (let ms = 0; ms < 5; ms++) {
      for (let i = 0; i < 1_000; i++) out.push(ids.next());
      c.t += 1;
    }
    expect(new Set(out).size).toBe(out.length);
    expectStrictlyIncreasing(out);
    // The counter starts again at 0 when the millisecond moves on.
    expect(decode(out[1_000]!)).toEqual({ ms: 1_001, node: 1, counter: 0 });
  });

  it('[ID-3] a full counter (4096 ids in one millisecond) borrows the next millisecond instead of repeating', () => {
    const c = clock(EPOCH + 50);
    const ids = new Snowflake(3, c.now);
    const out = Array.from({ length: 4_096 * 2 + 10 }, () => ids.next());
    expect(new Set(out).size).toBe(out.length);
    expectStrictlyIncreasing(out);
    expect(decode(out[4_095]!)).toEqual({ ms: 50, node: 3, counter: 4_095 });
    expect(decode(out[4_096]!)).toEqual({ ms: 51, node: 3, counter: 0 });
    // When the real clock reaches the borrowed millisecond, ids still go forward.
    c.t += 1;
    const later = ids.next();
    expect(BigInt(later) > BigInt(out.at(-1)!)).toBe(true);
  });

  it('[ID-4] a clock that steps back never yields an id out of order or twice', () => {
    const c = clock(EPOCH + 10_000);
    const ids = new Snowflake(5, c.now);
    const out = [ids.next(), ids.next()];
    c.t -= 5_000; // NTP correction, VM resume, a person changing the clock
    for (let i = 0; i < 100; i++) out.push(ids.next());
    c.t += 4_999; // still behind the highest time seen
    out.push(ids.next());
    c.t += 2; // past it again
    out.push(ids.next());
    expect(new Set(out).size).toBe(out.length);
    expectStrictlyIncreasing(out);
    expect(decode(out.at(-2)!).ms).toBe(10_000);
    expect(decode(out.at(-1)!)).toEqual({ ms: 10_001, node: 5, counter: 0 });
  });

  it('[ID-5] generators on different nodes never collide, even in the same millisecond', () => {
    const c = clock(EPOCH + 77);
    const a = new Snowflake(1, c.now);
    const b = new Snowflake(2, c.now);
    const out = Array.from({ length: 500 }, () => [a.next(), b.next()]).flat();
    expect(new Set(out).size).toBe(out.length);
  });

  it('[ID-6] a node id outside 0..1023 is refused', () => {
    expect(() => new Snowflake(-1)).toThrow();
    expect(() => new Snowflake(1024)).toThrow();
    expect(() => new Snowflake(1.5)).toThrow();
    expect(() => new Snowflake(1023)).not.toThrow();
    expect(() => new Snowflake(0)).not.toThrow();
  });

  it('[ID-7] ids stay exact past 2^53 because they travel as strings', () => {
    // Far enough from the epoch that the 64-bit value no longer fits a double exactly.
    const c = clock(EPOCH + 2 ** 40);
    const id = new Snowflake(1023, c.now).next();
    expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(decode(id)).toEqual({ ms: 2 ** 40, node: 1023, counter: 0 });
  });
});
