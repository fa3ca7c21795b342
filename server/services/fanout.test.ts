/**
 * The fan-out scheduler on its own: tiers by conversation kind and size, one-to-one work
 * drained first, at most one lower-tier chunk per turn (so a direct message waits for at most
 * one chunk), FIFO within a tier, and a failing unit that spoils nothing else.
 */
import { describe, expect, it } from 'vitest';
import { chunks, FanoutScheduler, tierOf, type Tier } from './fanout';

/** Resolves after the scheduler has had `n` turns (each turn is one setImmediate). */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

/** Resolves once the scheduler has nothing left. */
async function idle(s: FanoutScheduler): Promise<void> {
  for (let i = 0; s.pending > 0; i++) {
    if (i > 10_000) throw new Error('the scheduler never drained');
    await turns(1);
  }
}

describe('tierOf', () => {
  it('[FAN-1] one-to-one is tier 0; groups under 100, 100 to 1,000 and above 1,000 are tiers 1, 2, 3', () => {
    expect(tierOf('direct', 2)).toBe(0);
    expect(tierOf('direct', 5_000)).toBe(0);
    expect([1, 2, 99].map((n) => tierOf('group', n))).toEqual([1, 1, 1]);
    expect([100, 500, 1_000].map((n) => tierOf('group', n))).toEqual([2, 2, 2]);
    expect([1_001, 2_000, 10_000].map((n) => tierOf('group', n))).toEqual([3, 3, 3]);
  });

  it('[FAN-2] chunks cuts work into pieces of at most the size, in order, none empty', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([1, 2, 3, 4], 2)).toEqual([[1, 2], [3, 4]]);
    expect(chunks([], 200)).toEqual([]);
    expect(chunks(Array.from({ length: 2_000 }, (_, i) => i), 200).map((c) => c.length)).toEqual(Array(10).fill(200));
  });
});

describe('FanoutScheduler', () => {
  it('[FAN-3] one-to-one work runs at once; group work starts on a later turn', async () => {
    const s = new FanoutScheduler();
    const log: string[] = [];
    s.enqueue(2, [() => log.push('group')]);
    s.enqueue(0, [() => log.push('direct')]);
    expect(log).toEqual(['direct']);
    expect(s.pending).toBe(1);
    await idle(s);
    expect(log).toEqual(['direct', 'group']);
  });

  it('[FAN-4] higher tiers first, each tier in the order it was enqueued', async () => {
    const s = new FanoutScheduler();
    const log: string[] = [];
    const unit = (name: string) => () => void log.push(name);
    s.enqueue(3, [unit('t3-a'), unit('t3-b')]);
    s.enqueue(2, [unit('t2-a'), unit('t2-b')]);
    s.enqueue(1, [unit('t1-a')]);
    s.enqueue(3, [unit('t3-c')]);
    s.enqueue(1, [unit('t1-b')]);
    await idle(s);
    expect(log).toEqual(['t1-a', 't1-b', 't2-a', 't2-b', 't3-a', 't3-b', 't3-c']);
    expect(s.ran).toEqual([0, 2, 2, 3]);
  });

  it('[FAN-5] one lower-tier chunk per turn; all one-to-one work waiting is drained before it', async () => {
    const s = new FanoutScheduler();
    const log: string[] = [];
    s.enqueue(3, Array.from({ length: 10 }, (_, i) => () => void log.push(`g${i}`)));
    await turns(1);
    expect(log).toEqual(['g0']);
    await turns(1);
    expect(log).toEqual(['g0', 'g1']);
    // Three direct messages arrive while the big group is being fanned out.
    s.enqueue(0, [() => void log.push('d0'), () => void log.push('d1')]);
    s.enqueue(0, [() => void log.push('d2')]);
    await turns(1);
    // The next turn runs every waiting direct unit, then exactly one group chunk.
    expect(log).toEqual(['g0', 'g1', 'd0', 'd1', 'd2', 'g2']);
    await idle(s);
    expect(log.slice(6)).toEqual(['g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9']);
    expect(s.ran).toEqual([3, 0, 0, 10]);
  });

  it('[FAN-6] a direct message enqueued mid fan-out overtakes the rest of the group; a smaller group overtakes a bigger one', async () => {
    const s = new FanoutScheduler();
    const log: string[] = [];
    const big = Array.from({ length: 50 }, (_, i) => () => void log.push(`big${i}`));
    s.enqueue(3, big);
    await turns(5);
    s.enqueue(2, [() => void log.push('mid0'), () => void log.push('mid1')]);
    s.enqueue(0, [() => void log.push('direct')]);
    await idle(s);
    const at = (x: string) => log.indexOf(x);
    // At most one big chunk ran between the direct message's arrival and its delivery.
    expect(at('direct')).toBe(5);
    expect(at('mid0')).toBe(6);
    expect(at('mid1')).toBe(7);
    expect(log).toHaveLength(53);
    expect(log.filter((x) => x.startsWith('big'))).toEqual(big.map((_, i) => `big${i}`));
  });

  it('[FAN-7] a unit that throws is reported and skipped; the units after it, in every tier, still run', async () => {
    const errors: unknown[] = [];
    const s = new FanoutScheduler((err) => errors.push(err));
    const log: string[] = [];
    const boom = (tier: Tier) => () => {
      throw new Error(`boom ${tier}`);
    };
    s.enqueue(1, [() => void log.push('g1-a'), boom(1), () => void log.push('g1-b')]);
    s.enqueue(0, [boom(0), () => void log.push('d-a')]);
    s.enqueue(3, [boom(3), () => void log.push('g3-a')]);
    await idle(s);
    expect(log).toEqual(['d-a', 'g1-a', 'g1-b', 'g3-a']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom 0', 'boom 1', 'boom 3']);
    expect(s.ran).toEqual([2, 3, 0, 2]);
    // Without an error handler it still keeps going.
    const quiet = new FanoutScheduler();
    const after: string[] = [];
    quiet.enqueue(2, [boom(2), () => void after.push('next')]);
    await idle(quiet);
    expect(after).toEqual(['next']);
  });

  it('[FAN-8] enqueueing nothing schedules nothing; work enqueued from inside a unit runs on a later turn', async () => {
    const s = new FanoutScheduler();
    s.enqueue(2, []);
    expect(s.pending).toBe(0);
    const log: string[] = [];
    s.enqueue(1, [
      () => {
        log.push('outer');
        s.enqueue(0, [() => void log.push('inner direct')]);
      },
      () => void log.push('second'),
    ]);
    await idle(s);
    expect(log).toEqual(['outer', 'inner direct', 'second']);
  });
});
