/**
 * Whether an incoming message raises a desktop notification (UI-CONTRACT, "Notifications"):
 * only someone else's message, not read already (here or on another device), and not while
 * the person is looking at its conversation.
 */
import type { Message } from '../../protocol';
import type { StoredConversation } from '../../store/db';

export interface NotifyContext {
  me: string;
  /** The conversation on screen, if any. */
  openConversationId: string | null;
  /** The window is focused and visible. */
  attention: boolean;
  /** Notification permission was granted. */
  allowed: boolean;
}

export function shouldNotify(m: Message, conv: StoredConversation | undefined, ctx: NotifyContext): boolean {
  if (!ctx.allowed || !conv) return false;
  if (m.senderId === ctx.me || m.system !== null || m.recalledBy !== null) return false;
  // Read on another device before it arrived here (a catch-up, or a slow push).
  if (m.seq <= conv.lastReadSeq) return false;
  if (conv.leftSeq !== null) return false;
  return !(ctx.attention && ctx.openConversationId === m.conversationId);
}
