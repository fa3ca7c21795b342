/**
 * Messages in storage: storing one line (a person's message or a system line)
 * with its seq and inbox events, what a mention or a reply may name, history pages, recall,
 * and delivered positions. The group commit that batches sends stays in `sql-storage.ts`;
 * each line it commits is stored here.
 */
import { TidingsError, type Mentions, type Message, type Recalled, type SystemEvent } from '../../../src/protocol';
import type { AppendResult, Delivery, NewMessage, RecallResult } from '../storage';
import { MESSAGE_COLUMNS, MESSAGES_WITH_QUOTE, toMessage, type ConversationRow, type MembershipRow, type MessageRow } from './rows';
import type { SqlStorage } from './sql-storage';

/** A line to store: a person's message, or a system line with its event. */
export interface NewLine extends NewMessage {
  system?: SystemEvent | null;
  /** Users who get this line's inbox event even when the conversation is too big for them. */
  alsoTo?: readonly string[];
}

/** "2 minutes", "90 seconds": how long the recall window is, in words. */
function spanOf(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 60 === 0 && s >= 60) return `${s / 60} ${s === 60 ? 'minute' : 'minutes'}`;
  return `${s} ${s === 1 ? 'second' : 'seconds'}`;
}

const SQL = {
  messageByClientId: `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGES_WITH_QUOTE} WHERE m.sender_id = ? AND m.conversation_id = ? AND m.client_msg_id = ?`,
  bumpSeq: 'UPDATE conversations SET last_seq = last_seq + 1, recent_msg_time = ? WHERE id = ? RETURNING last_seq',
  insertMessage:
    'INSERT INTO messages (msg_id, conversation_id, seq, sender_id, client_msg_id, content, send_time, system, reply_to_seq, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  historyBefore: `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGES_WITH_QUOTE} WHERE m.conversation_id = ? AND m.seq < ? AND m.seq >= ? ORDER BY m.seq DESC LIMIT ?`,
  setDelivered: 'UPDATE user_conversations SET delivered_seq = ? WHERE user_id = ? AND conversation_id = ? AND delivered_seq < ?',
  bumpRecalls: 'UPDATE conversations SET recalls = recalls + 1 WHERE id = ? RETURNING recalls',
  eraseBody: "UPDATE messages SET content = '', mentions = NULL, recalled_by = ?, recall_no = ? WHERE conversation_id = ? AND seq = ?",
  recallsAfter:
    'SELECT seq, sender_id, recalled_by, recall_no FROM messages WHERE conversation_id = ? AND recall_no > ? ORDER BY recall_no LIMIT ?',
} as const;

export class SqlMessages {
  constructor(private readonly s: SqlStorage) {}

  /**
   * One line (a message or a system line), as a savepoint inside the caller's transaction.
   * Read diffusion: the body is stored once. Write diffusion: below `inboxFanoutMax`
   * members, every member gets a small inbox event; at or above it, nobody does (the line is
   * pushed on the conversation's room and pulled by heads), except `alsoTo`.
   */
  appendLine(n: NewLine): Promise<AppendResult> {
    return this.s.transaction(async (): Promise<AppendResult> => {
      const existing = await this.s.firstRow<MessageRow>(SQL.messageByClientId, n.senderId, n.conversationId, n.clientMsgId);
      const c = await this.s.conversationRow(n.conversationId);
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const room = c.member_count >= this.s.inboxFanoutMax;
      if (existing) return { message: toMessage(existing), duplicate: true, deliveries: [], room: false, memberCount: c.member_count };
      const system = n.system ?? null;
      const sender = system ? undefined : await this.s.membershipRow(n.senderId, n.conversationId);
      if (n.replyToSeq !== undefined) await this.checkReplyTarget(n.conversationId, n.replyToSeq, sender);
      const mentions = n.mentions ? await this.checkMentions(c, n.conversationId, n.mentions, sender) : null;
      const bumped = await this.s.firstRow<{ last_seq: number }>(SQL.bumpSeq, n.serverTime, n.conversationId);
      if (!bumped) throw new TidingsError('not_found', 'No such conversation.');
      const seq = bumped.last_seq;
      await this.s.run(
        SQL.insertMessage,
        n.msgId, n.conversationId, seq, n.senderId, n.clientMsgId, n.text, n.serverTime, system ? JSON.stringify(system) : null, n.replyToSeq ?? null,
        mentions ? JSON.stringify(mentions) : null,
      );
      const row = await this.s.messageRow(n.conversationId, seq);
      if (!row) throw new Error(`message ${n.conversationId}#${seq} vanished inside its own transaction`);
      const message = toMessage(row);
      // A reply quoting a line older than some member's join is pushed to them without the quote.
      const joinedAfterQuote = n.replyToSeq === undefined ? new Map<string, number>() : await this.joinedAfter(n.conversationId, n.replyToSeq);
      const members = [...new Set([...(room ? [] : await this.s.activeMembers(n.conversationId)), ...(n.alsoTo ?? [])])];
      const deliveries: Delivery[] = [];
      for (const userId of members) {
        const pts = await this.s.appendInbox(userId, 'message', n.conversationId, seq, null, n.serverTime);
        const quoteFrom = joinedAfterQuote.get(userId);
        deliveries.push({ userId, entry: { pts, event: { type: 'message', message: quoteFrom === undefined ? message : toMessage(row, quoteFrom) } } });
      }
      // Sending clears the sender's draft here, on every one of their devices.
      if (sender?.draft) deliveries.push(...(await this.s.readState.writeDraft(n.senderId, n.conversationId, sender, '', n.serverTime)).deliveries);
      // The room push is one message for every socket: without the quote if anyone may not see it.
      const roomMessage = room && joinedAfterQuote.size > 0 ? { ...message, replyTo: null } : message;
      return { message: roomMessage, duplicate: false, deliveries, room, memberCount: c.member_count };
    });
  }

  /** Current members who joined after `seq`, with their first readable seq. */
  private async joinedAfter(conversationId: string, seq: number): Promise<Map<string, number>> {
    const rows = await this.s.all<{ user_id: string; join_seq: number }>(
      'SELECT user_id, join_seq FROM user_conversations WHERE conversation_id = ? AND left_seq IS NULL AND join_seq > ?',
      conversationId,
      seq,
    );
    return new Map(rows.map((r) => [r.user_id, r.join_seq]));
  }

  /**
   * Mentions are for groups. Who is mentioned is kept only as far as it holds when the message
   * is stored: current members (someone removed while the message waited in an outbox is
   * dropped, not a reason to refuse the message), and `all` only from the owner or an admin.
   */
  private async checkMentions(c: ConversationRow, conversationId: string, m: Mentions, sender: MembershipRow | undefined): Promise<Mentions | null> {
    if (c.kind !== 'group') throw new TidingsError('bad_request', 'Mentions are for groups.');
    const all = m.all && (sender?.role === 'owner' || sender?.role === 'admin');
    const members = new Set(m.userIds.length > 0 ? await this.s.activeMembers(conversationId) : []);
    const userIds = [...new Set(m.userIds)].filter((id) => members.has(id)).sort();
    return userIds.length === 0 && !all ? null : { userIds, all };
  }

  /** A reply quotes a person's message the sender may read, and not one that was recalled. */
  private async checkReplyTarget(conversationId: string, seq: number, sender: MembershipRow | undefined): Promise<void> {
    const target = await this.s.messageRow(conversationId, seq);
    if (!target || !sender || seq < Math.max(1, sender.join_seq)) throw new TidingsError('not_found', 'The message you replied to is not there.');
    if (target.system) throw new TidingsError('bad_request', 'System lines cannot be replied to.');
    if (target.recalled_by) throw new TidingsError('bad_request', 'That message was recalled.');
  }

  history(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
    bounds?: { firstSeq: number; leftSeq: number | null },
  ): Promise<{ messages: Message[]; lastSeq: number; firstSeq: number }> {
    return this.s.transaction(async () => {
      const c = await this.s.conversationRow(conversationId);
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const firstSeq = Math.max(1, bounds?.firstSeq ?? 1);
      const head = bounds?.leftSeq == null ? c.last_seq : Math.min(c.last_seq, bounds.leftSeq);
      const before = Math.min(beforeSeq ?? head + 1, head + 1);
      const rows = await this.s.all<MessageRow>(SQL.historyBefore, conversationId, before, firstSeq, limit);
      return { messages: rows.reverse().map((r) => toMessage(r, firstSeq)), lastSeq: head, firstSeq };
    });
  }

  /**
   * Recall: the sender within `windowMs`, or a group's owner/admin at any time. The body is
   * erased from storage (not flagged), and every member's devices hear of it: an inbox event
   * below the fan-out threshold, the erased message on the room above it.
   */
  recall(input: { conversationId: string; seq: number; actorId: string; now: number; windowMs: number }): Promise<RecallResult> {
    return this.s.transaction(async (): Promise<RecallResult> => {
      const c = await this.s.conversationRow(input.conversationId);
      const actor = await this.s.membershipRow(input.actorId, input.conversationId);
      if (!c || !actor || actor.left_seq !== null) throw new TidingsError('not_found', 'No such conversation.');
      const row = await this.s.messageRow(input.conversationId, input.seq);
      if (!row || row.seq < Math.max(1, actor.join_seq)) throw new TidingsError('not_found', 'No such message.');
      if (row.system) throw new TidingsError('bad_request', 'System lines cannot be recalled.');
      if (row.recalled_by) return { message: toMessage(row), deliveries: [], room: false, memberCount: c.member_count };
      const moderator = c.kind === 'group' && (actor.role === 'owner' || actor.role === 'admin');
      if (!moderator) {
        if (row.sender_id !== input.actorId) throw new TidingsError('forbidden', 'You can only recall your own messages.');
        if (input.now - row.send_time > input.windowMs) {
          throw new TidingsError('forbidden', `Messages can be recalled for ${spanOf(input.windowMs)} after sending.`);
        }
      }
      // Numbered per conversation, so a device that missed the event (a big group's room push
      // while offline, an inbox that expired) asks for the recalls after the last it has seen.
      const counted = await this.s.firstRow<{ recalls: number }>(SQL.bumpRecalls, input.conversationId);
      if (!counted) throw new TidingsError('not_found', 'No such conversation.');
      await this.s.run(SQL.eraseBody, input.actorId, counted.recalls, input.conversationId, input.seq);
      const message = toMessage({ ...row, content: '', mentions: null, recalled_by: input.actorId });
      const room = c.member_count >= this.s.inboxFanoutMax;
      const deliveries: Delivery[] = [];
      for (const userId of room ? [] : await this.s.activeMembers(input.conversationId)) {
        const pts = await this.s.appendInbox(userId, 'recall', input.conversationId, input.seq, { by: input.actorId }, input.now);
        deliveries.push({ userId, entry: { pts, event: { type: 'recall', conversationId: input.conversationId, seq: input.seq, by: input.actorId, senderId: row.sender_id } } });
      }
      return { message, deliveries, room, memberCount: c.member_count };
    });
  }

  /**
   * The recalls numbered above `after`, oldest first, up to the reader's leaving; `next` is the
   * number to ask after next time (it passes recalls past the leaving). Not from their join: a
   * member added back may hold lines of an earlier membership whose recalls came while they were
   * out, and a recall carries no text (its seq, its sender, who recalled it).
   */
  async recallsAfter(
    conversationId: string,
    after: number,
    limit: number,
    bounds: { firstSeq: number; leftSeq: number | null },
  ): Promise<{ recalls: Recalled[]; next: number; more: boolean }> {
    const rows = await this.s.all<{ seq: number; sender_id: string; recalled_by: string; recall_no: number }>(SQL.recallsAfter, conversationId, after, limit);
    const visible = rows.filter((r) => bounds.leftSeq === null || r.seq <= bounds.leftSeq);
    return {
      recalls: visible.map((r) => ({ seq: r.seq, senderId: r.sender_id, by: r.recalled_by })),
      next: rows.at(-1)?.recall_no ?? after,
      more: rows.length === limit,
    };
  }

  markDelivered(userId: string, conversationId: string, seq: number): Promise<Delivery[]> {
    return this.s.transaction(async (): Promise<Delivery[]> => {
      const c = await this.s.conversationRow(conversationId);
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const upTo = Math.min(seq, c.last_seq);
      const changed = (await this.s.run(SQL.setDelivered, upTo, userId, conversationId, upTo)) > 0;
      if (!changed) return [];
      const now = Date.now();
      const others = (await this.s.activeMembers(conversationId)).filter((id) => id !== userId);
      const deliveries: Delivery[] = [];
      for (const other of others) {
        const pts = await this.s.appendInbox(other, 'delivered', conversationId, upTo, { userId }, now);
        deliveries.push({ userId: other, entry: { pts, event: { type: 'delivered', conversationId, userId, seq: upTo } } });
      }
      return deliveries;
    });
  }
}
