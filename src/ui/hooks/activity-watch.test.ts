import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActivityWatch } from './activity-watch';

afterEach(() => {
  vi.useRealTimers();
});

describe('active or away on this device', () => {
  it('[PRES-DEV-1] idle after 5 minutes without input; any input before that starts the 5 minutes again', () => {
    vi.useFakeTimers();
    const told: boolean[] = [];
    const watch = new ActivityWatch((active) => told.push(active));
    watch.input();
    expect(told).toEqual([true]);
    vi.advanceTimersByTime(5 * 60_000 - 1);
    expect(told).toEqual([true]);
    // A key pressed just before the 5 minutes: another 5 minutes from here.
    watch.input();
    vi.advanceTimersByTime(5 * 60_000 - 1);
    expect(told).toEqual([true, true]);
    vi.advanceTimersByTime(1);
    expect(told).toEqual([true, true, false]);
    // Away stays until the next input, which is active at once.
    vi.advanceTimersByTime(60 * 60_000);
    expect(told).toEqual([true, true, false]);
    watch.input();
    expect(told).toEqual([true, true, false, true]);
    // Leaving the screen stops the countdown: no idle report after it.
    watch.stop();
    vi.advanceTimersByTime(10 * 60_000);
    expect(told).toEqual([true, true, false, true]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
