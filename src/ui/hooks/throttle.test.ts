import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from './throttle';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('[READ-8] passes the first value at once and then only the latest once per interval', () => {
    const log: number[] = [];
    const t = new Throttle<number>((v) => log.push(v), 500);
    t.push(1);
    expect(log).toEqual([1]);
    for (let v = 2; v <= 40; v++) t.push(v);
    expect(log).toEqual([1]);
    vi.advanceTimersByTime(499);
    expect(log).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual([1, 40]);
    // The value passed at the end of an interval opens another one.
    t.push(41);
    t.push(42);
    vi.advanceTimersByTime(500);
    expect(log).toEqual([1, 40, 42]);
    // Quiet for a whole interval: the next value goes at once again.
    vi.advanceTimersByTime(500);
    t.push(43);
    expect(log).toEqual([1, 40, 42, 43]);
  });

  it('[READ-8] flush passes what is waiting at once; cancel drops it', () => {
    const log: number[] = [];
    const t = new Throttle<number>((v) => log.push(v), 500);
    t.push(1);
    t.push(2);
    t.flush();
    expect(log).toEqual([1, 2]);
    vi.advanceTimersByTime(1_000);
    expect(log).toEqual([1, 2]);
    t.flush();
    expect(log).toEqual([1, 2]);
    t.push(3);
    t.push(4);
    t.cancel();
    vi.advanceTimersByTime(1_000);
    expect(log).toEqual([1, 2, 3]);
  });
});
