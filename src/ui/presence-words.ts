/** The words for presence and typing, as the conversation header and the log show them. */
import { t } from '../i18n';
import type { Presence } from '../protocol';
import { clockTime, shortDate } from './words';

const MINUTE = 60_000;

/** `Online`, `Away`, `Last seen …` or `Offline` (never seen). */
export function presenceText(p: Presence, now = Date.now()): string {
  if (p.state === 'online') return t('presence.online');
  if (p.state === 'away') return t('presence.away');
  if (p.lastSeenAt === null) return t('presence.offline');
  const ago = Math.max(0, now - p.lastSeenAt);
  if (ago < MINUTE) return t('presence.justNow');
  if (ago < 60 * MINUTE) return t('presence.minutes', { count: Math.floor(ago / MINUTE) });
  const seen = new Date(p.lastSeenAt);
  const today = new Date(now);
  if (seen.toDateString() === today.toDateString()) return t('presence.today', { time: clockTime(p.lastSeenAt) });
  const yesterday = new Date(now - 24 * 60 * MINUTE);
  if (seen.toDateString() === yesterday.toDateString()) return t('presence.yesterday', { time: clockTime(p.lastSeenAt) });
  return t('presence.date', { date: shortDate(p.lastSeenAt) });
}

/** `NAME is typing…`, `NAME and NAME are typing…`, `NAME, NAME and N others are typing…`. */
export function typingText(names: readonly string[]): string | null {
  const [a, b] = names;
  if (a === undefined) return null;
  if (b === undefined) return t('typing.one', { a });
  if (names.length === 2) return t('typing.two', { a, b });
  return t('typing.many', { a, b, count: names.length - 2 });
}
