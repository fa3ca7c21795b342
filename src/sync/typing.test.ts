import { describe, expect, it } from 'vitest';
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
