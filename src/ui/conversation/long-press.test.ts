import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LongPress } from './long-press';

describe('long press', () => {
  let fired: [number, number][];
  let press: LongPress;
  beforeEach(() => {
    vi.useFakeTimers();
    fired = [];
    press = new LongPress((x, y) => fired.push([x, y]), 500, 10);
  });
  afterEach(() => vi.useRealTimers());

  it('[MENU-2] a touch held still fires once, where it began, and the lift that ends it is no tap', () => {
    press.down(100, 200);
    vi.advanceTimersByTime(499);
    expect(fired).toEqual([]);
    press.move(104, 206); // a finger is never quite still
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([[100, 200]]);
    vi.advanceTimersByTime(2_000);
    expect(fired).toEqual([[100, 200]]);
    expect(press.up()).toBe(true);
  });

  it('[MENU-2] a tap and a scroll fire nothing', () => {
    press.down(100, 200);
    vi.advanceTimersByTime(200);
    expect(press.up()).toBe(false);
    press.down(100, 200);
    press.move(100, 215);
    vi.advanceTimersByTime(1_000);
    expect(press.up()).toBe(false);
    press.down(100, 200);
    press.cancel();
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual([]);
  });
});
