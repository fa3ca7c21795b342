/** The words for presence and typing, as the conversation header and the log show them. */
import type { Presence } from '../protocol';

const MINUTE = 60_000;
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** `Online`, `Away`, `Last seen …` or `Offline` (never seen). */
export function presenceText(p: Presence, now = Date.now()): string {
  if (p.state === 'online') return 'Online';
  if (p.state === 'away') return 'Away';
  if (p.lastSeenAt === null) return 'Offline';
  const ago = Math.max(0, now - p.lastSeenAt);
  if (ago < MINUTE) return 'Last seen just now';
  if (ago < 60 * MINUTE) {
    const m = Math.floor(ago / MINUTE);
    return `Last seen ${m} ${m === 1 ? 'minute' : 'minutes'} ago`;
  }
  const seen = new Date(p.lastSeenAt);
  const today = new Date(now);
  if (seen.toDateString() === today.toDateString()) return `Last seen today at ${timeFmt.format(seen)}`;
  const yesterday = new Date(now - 24 * 60 * MINUTE);
  if (seen.toDateString() === yesterday.toDateString()) return `Last seen yesterday at ${timeFmt.format(seen)}`;
  return `Last seen ${dayFmt.format(seen)}`;
}

/** `NAME is typing…`, `NAME and NAME are typing…`, `NAME, NAME and N others are typing…`. */
export function typingText(names: readonly string[]): string | null {
  const [a, b] = names;
  if (a === undefined) return null;
  if (b === undefined) return `${a} is typing…`;
  if (names.length === 2) return `${a} and ${b} are typing…`;
  const others = names.length - 2;
  return `${a}, ${b} and ${others} ${others === 1 ? 'other' : 'others'} are typing…`;
}
