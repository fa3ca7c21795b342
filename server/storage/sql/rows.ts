/**
 * Rows as the embedded storage reads them, and their mapping to protocol records. Every query
 * that returns messages selects `MESSAGE_COLUMNS` from `MESSAGES_WITH_QUOTE`, so a reply comes
 * with the message it quotes as that message is now (recalled quotes carry no text).
 */
import { MentionsSchema, quoteText, SystemEventSchema, type Message, type ReplyQuote } from '../../../src/protocol';
import type { DeviceRecord } from '../storage';

export interface MessageRow {
  msg_id: string;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_msg_id: string;
  content: string;
  send_time: number;
  system: string | null;
  recalled_by: string | null;
  reply_to_seq: number | null;
  mentions: string | null;
  /** The quoted message's columns (NULL when it is not a reply). */
  q_sender_id: string | null;
  q_content: string | null;
  q_recalled_by: string | null;
}

export const MESSAGES_WITH_QUOTE =
  'messages m LEFT JOIN messages q ON q.conversation_id = m.conversation_id AND q.seq = m.reply_to_seq';
export const MESSAGE_COLUMNS =
  'm.msg_id, m.conversation_id, m.seq, m.sender_id, m.client_msg_id, m.content, m.send_time, m.system, m.recalled_by, m.reply_to_seq, m.mentions, q.sender_id AS q_sender_id, q.content AS q_content, q.recalled_by AS q_recalled_by';

/**
 * The quote of a reply, as the reader may see it: none when the quoted message is older than
 * the reader's join (a later member must not read earlier lines through quotes), and none on a
 * recalled reply (its body is gone, the quote with it).
 */
function quoteOf(r: MessageRow, readerFirstSeq: number): ReplyQuote | null {
  if (r.reply_to_seq === null || r.q_sender_id === null || r.recalled_by !== null) return null;
  if (r.reply_to_seq < readerFirstSeq) return null;
  const recalled = r.q_recalled_by !== null;
  return { seq: r.reply_to_seq, senderId: r.q_sender_id, text: recalled ? '' : quoteText(r.q_content ?? ''), recalled };
}

/** A stored message as `readerFirstSeq` (the reader's first readable seq; 1 for all) may read it. */
export const toMessage = (r: MessageRow, readerFirstSeq = 1): Message => ({
  msgId: r.msg_id,
  conversationId: r.conversation_id,
  seq: r.seq,
  senderId: r.sender_id,
  clientMsgId: r.client_msg_id,
  text: r.content,
  serverTime: r.send_time,
  system: r.system ? SystemEventSchema.parse(JSON.parse(r.system)) : null,
  recalledBy: r.recalled_by,
  replyTo: quoteOf(r, readerFirstSeq),
  mentions: r.mentions ? MentionsSchema.parse(JSON.parse(r.mentions)) : null,
});

export interface DeviceRow {
  id: string;
  user_id: string;
  name: string;
  created_at: number;
  last_active_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export const toDevice = (r: DeviceRow): DeviceRecord => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  createdAt: r.created_at,
  lastActiveAt: r.last_active_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export interface InboxRow {
  pts: number;
  kind: string;
  conversation_id: string;
  seq: number | null;
  payload: string | null;
}

/** A conversation row, as the storage reads it. */
export interface ConversationRow {
  id: string;
  kind: 'direct' | 'group';
  last_seq: number;
  created_at: number;
  name: string | null;
  announcement: string;
  member_count: number;
  /** How many of its messages were recalled (the recall counter; see migration 9). */
  recalls: number;
  /** How many lines before their join line a new member may read (groups; 0: none). */
  history_on_join: number;
}

export interface MembershipRow {
  role: 'owner' | 'admin' | 'member';
  join_seq: number;
  left_seq: number | null;
  last_read_seq: number;
  receipt_seq: number;
  delivered_seq: number;
  draft: string | null;
  draft_at: number | null;
  is_top: number;
  notify_type: 'all' | 'mentions' | 'muted';
}
