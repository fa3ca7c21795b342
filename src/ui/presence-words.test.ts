import { describe, expect, it } from 'vitest';
import { presenceText, typingText } from './presence-words';

const now = new Date(2026, 11, 1, 15, 0).getTime();

describe('presence and typing words', () => {
  it('[PRESENCE-UI-1] Online, Away, Offline, and Last seen … by how long ago', () => {
    expect(presenceText({ userId: '1', state: 'online', lastSeenAt: now }, now)).toBe('Online');
    expect(presenceText({ userId: '1', state: 'away', lastSeenAt: now - 600_000 }, now)).toBe('Away');
    expect(presenceText({ userId: '1', state: 'offline', lastSeenAt: null }, now)).toBe('Offline');
    expect(presenceText({ userId: '1', state: 'offline', lastSeenAt: now - 20_000 }, now)).toBe('Last seen just now');
    expect(presenceText({ userId: '1', state: 'offline', lastSeenAt: now - 60_000 }, now)).toBe('Last seen 1 minute ago');
    expect(presenceText({ userId: '1', state: 'offline', lastSeenAt: now - 25 * 60_000 }, now)).toBe('Last seen 25 minutes ago');
    expect(presenceText({ userId: '1', state: 'offline', lastSeenAt: new Date(2026, 11, 1, 9, 5).getTime() }, now)).toMatch(/^Last seen today at /);
    expect(presenceText({ userId: '1', state: 'offline', lastSeenAt: new Date(2026, 10, 30, 22, 0).getTime() }, now)).toMatch(/^Last seen yesterday at /);
    expect(presenceText({ userId: '1', state: 'offline', lastSeenAt: new Date(2026, 10, 3).getTime() }, now)).toMatch(/^Last seen Nov 3$/);
  });

  it('[TYPING-UI-1] one, two, and more people typing', () => {
    expect(typingText([])).toBeNull();
    expect(typingText(['Bob'])).toBe('Bob is typing…');
    expect(typingText(['Bob', 'Carol'])).toBe('Bob and Carol are typing…');
    expect(typingText(['Bob', 'Carol', 'Dave'])).toBe('Bob, Carol and 1 other are typing…');
    expect(typingText(['Bob', 'Carol', 'Dave', 'Eve'])).toBe('Bob, Carol and 2 others are typing…');
  });
});
