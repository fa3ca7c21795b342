/**
 * Whether an incoming message raises a desktop notification (UI-CONTRACT, "Notifications"):
 * someone else's message, not read already (here or on another device), not while the person
 * is looking at its conversation, never while do-not-disturb is on, never in a muted
 * conversation, and in a `Mentions only` one only when it mentions them.
 */
import type { Message, Prefs } from '../../protocol';
import type { StoredConversation } from '../../store/db';

export interface NotifyContext {
  me: string;
  /** The conversation on screen, if any. */
  openConversationId: string | null;
  /** The window is focused and visible. */
  attention: boolean;
  /** Notification permission was granted. */
  allowed: boolean;
  /** Do not disturb is in force right now (see `dndActive`). */
  dnd: boolean;
}

export function mentionsMe(m: Pick<Message, 'mentions'>, me: string): boolean {
  return !!m.mentions && (m.mentions.all || m.mentions.userIds.includes(me));
}

export function shouldNotify(m: Message, conv: StoredConversation | undefined, ctx: NotifyContext): boolean {
  if (!ctx.allowed || ctx.dnd || !conv) return false;
  if (m.senderId === ctx.me || m.system !== null || m.recalledBy !== null) return false;
  // Read on another device before it arrived here (a catch-up, or a slow push).
  if (m.seq <= conv.lastReadSeq) return false;
  if (conv.leftSeq !== null) return false;
  const notify = conv.notify ?? 'all';
  if (notify === 'muted' || (notify === 'mentions' && !mentionsMe(m, ctx.me))) return false;
  return !(ctx.attention && ctx.openConversationId === m.conversationId);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether do-not-disturb silences notifications at `now` (the device's local time): always when
 * on without a schedule; with one, only from `from` up to `to`, across midnight when `to` is
 * earlier (22:00–07:00).
 */
export function dndActive(dnd: Prefs['dnd'], now: Date): boolean {
  if (!dnd.on) return false;
  if (!dnd.from || !dnd.to) return true;
  const t = now.getHours() * 60 + now.getMinutes();
  const from = minutesOf(dnd.from);
  const to = minutesOf(dnd.to);
  if (from === to) return true;
  return from < to ? t >= from && t < to : t >= from || t < to;
}
