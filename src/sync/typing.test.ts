import { afterEach, describe, expect, it, vi } from 'vitest';
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS } from '../protocol';
import { ManualClock } from './testing/fakes';
import { TypingThrottle, TypingTracker } from './typing';

function tracker() {
  const clock = new ManualClock();
  const log: string[] = [];
  const t = new TypingTracker((conversationId, users) => log.push(`${conversationId}:${users.join(',')}`), clock);
  return { clock, log, t };
}

describe('typing', () => {
  it('[TYPING-DEV-1] an indicator lasts TYPING_EXPIRES_MS after the last event, and each event renews it', () => {
    const { clock, log, t } = tracker();
    t.heard('c', 'bob');
    expect(log).toEqual(['c:bob']);
    clock.advance(TYPING_EXPIRES_MS - 1);
    expect(t.of('c')).toEqual(['bob']);
    t.heard('c', 'bob'); // renewed: no change to announce
    expect(log).toEqual(['c:bob']);
    clock.advance(TYPING_EXPIRES_MS - 1);
    expect(t.of('c')).toEqual(['bob']);
    clock.advance(1);
    expect(t.of('c')).toEqual([]);
    expect(log).toEqual(['c:bob', 'c:']);
    expect(clock.pending).toBe(0);
  });

  it('[TYPING-DEV-2] several people, several conversations; a message from one ends only theirs', () => {
    const { clock, log, t } = tracker();
    t.heard('c', 'bob');
    clock.advance(1_000);
    t.heard('c', 'carol');
    t.heard('d', 'bob');
    expect(t.of('c')).toEqual(['bob', 'carol']);
    t.stopped('c', 'bob');
    expect(t.of('c')).toEqual(['carol']);
    expect(t.of('d')).toEqual(['bob']);
    t.stopped('c', 'dave'); // not typing: nothing to say
    expect(log).toEqual(['c:bob', 'c:bob,carol', 'd:bob', 'c:carol']);
    clock.advance(TYPING_EXPIRES_MS);
    expect(t.of('c')).toEqual([]);
    expect(t.of('d')).toEqual([]);
  });

  it('[TYPING-DEV-3] a lost connection clears every indicator at once', () => {
    const { clock, log, t } = tracker();
    t.heard('c', 'bob');
    t.heard('d', 'carol');
    t.clear();
    expect(t.of('c')).toEqual([]);
    expect(log.slice(-2).sort()).toEqual(['c:', 'd:']);
    expect(clock.pending).toBe(0);
  });

  it('[TYPING-DEV-4] a device says it is typing at most every TYPING_THROTTLE_MS per conversation; sending resets that', () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    const throttle = new TypingThrottle((c) => sent.push(c), () => clock.now);
    throttle.typed('c');
    throttle.typed('c');
    throttle.typed('d');
    clock.advance(TYPING_THROTTLE_MS - 1);
    throttle.typed('c');
    expect(sent).toEqual(['c', 'd']);
    clock.advance(1);
    throttle.typed('c');
    expect(sent).toEqual(['c', 'd', 'c']);
    throttle.sent('c');
    throttle.typed('c');
    expect(sent).toEqual(['c', 'd', 'c', 'c']);
  });
});

describe('typing on the real clock, under fake timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // The defaults the client uses (the real timers and Date.now), not an injected clock.
  it('[TYPING-DEV-1] [TYPING-DEV-4] sends at most every 3 s while typing; an indicator ends 5 s after the last event', () => {
    vi.useFakeTimers({ now: new Date(2026, 11, 1, 9, 0) });
    const sent: number[] = [];
    const start = Date.now();
    const throttle = new TypingThrottle(() => sent.push(Date.now() - start));
    const shown: string[][] = [];
    const tracker = new TypingTracker((_, users) => shown.push([...users]));
    // A person typing a key every 250 ms for 7 s: the wire carries one event per 3 s.
    for (let t = 0; t <= 7_000; t += 250) {
      throttle.typed('c');
      vi.advanceTimersByTime(250);
    }
    expect(sent).toEqual([0, 3_000, 6_000]);

    // The other side hears each of those; the indicator lasts 5 s past the last one.
    tracker.heard('c', 'bob');
    vi.advanceTimersByTime(3_000);
    tracker.heard('c', 'bob');
    vi.advanceTimersByTime(4_999);
    expect(tracker.of('c')).toEqual(['bob']);
    vi.advanceTimersByTime(1);
    expect(tracker.of('c')).toEqual([]);
    expect(shown).toEqual([['bob'], []]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
