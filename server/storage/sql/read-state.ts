/**
 * Read positions, receipts and drafts in storage: the seeds' user–conversation row
 * (`last_read_seq`), plus `receipt_seq` (what others see as read) and the synced draft.
 *
 * Unread is counted with the one shared rule (`src/protocol/unread.ts`), the same code every
 * device runs, so the number a new device gets from the server and the number an old device
 * kept counting agree.
 */
import { TidingsError, unreadCount, type Draft, type ReadReceipt, type Unread } from '../../../src/protocol';
import type { Delivery, ReadChange } from '../storage';
import type { ConversationRow, MembershipRow } from './rows';
import type { SqlStorage } from './sql-storage';

/** The last seq a member may read: the head, or the line that says they left. */
export function visibleHead(c: ConversationRow, m: MembershipRow): number {
  return m.left_seq === null ? c.last_seq : Math.min(c.last_seq, m.left_seq);
}

export class SqlReadState {
  constructor(private readonly s: SqlStorage) {}

  private async place(userId: string, conversationId: string): Promise<{ c: ConversationRow; m: MembershipRow }> {
    const c = await this.s.conversationRow(conversationId);
    const m = await this.s.membershipRow(userId, conversationId);
    // Never a member: the same answer as no such conversation.
    if (!c || !m) throw new TidingsError('not_found', 'No such conversation.');
    return { c, m };
  }

  /** The user's unread count from `readSeq` up to the head they may read. */
  async unread(userId: string, conversationId: string, readSeq: number, head: number): Promise<Unread> {
    const rows = await this.s.all<{ seq: number; sender_id: string; sys: number; recalled_by: string | null }>(
      'SELECT seq, sender_id, system IS NOT NULL AS sys, recalled_by FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ?',
      conversationId,
      readSeq,
      head,
    );
    const lines = rows.map((r) => ({ seq: r.seq, senderId: r.sender_id, system: r.sys ? true : null, recalledBy: r.recalled_by }));
    return { count: unreadCount(lines, userId, readSeq, head), asOf: head, readSeq };
  }

  private async pts(userId: string): Promise<number> {
    return (await this.s.firstRow<{ pts: number }>('SELECT pts FROM users WHERE id = ?', userId))?.pts ?? 0;
  }

  /** The `read` event for each of the user's devices. */
  private async readEvent(userId: string, conversationId: string, seq: number, unread: Unread, now: number): Promise<Delivery> {
    const pts = await this.s.appendInbox(userId, 'read', conversationId, seq, { unread }, now);
    return { userId, entry: { pts, event: { type: 'read', conversationId, seq, unread } } };
  }

  markRead(input: { userId: string; conversationId: string; seq: number; now: number }): Promise<ReadChange> {
    return this.s.transaction(async (): Promise<ReadChange> => {
      const { c, m } = await this.place(input.userId, input.conversationId);
      const head = visibleHead(c, m);
      const to = Math.min(input.seq, head);
      if (to <= m.last_read_seq) {
        const unread = await this.unread(input.userId, input.conversationId, m.last_read_seq, head);
        return { lastReadSeq: m.last_read_seq, unread, pts: await this.pts(input.userId), deliveries: [] };
      }
      const unread = await this.unread(input.userId, input.conversationId, to, head);
      await this.s.run(
        'UPDATE user_conversations SET last_read_seq = ? WHERE user_id = ? AND conversation_id = ?',
        to,
        input.userId,
        input.conversationId,
      );
      const deliveries = [await this.readEvent(input.userId, input.conversationId, to, unread, input.now)];
      if (to > m.receipt_seq) {
        await this.s.run('UPDATE user_conversations SET receipt_seq = ? WHERE user_id = ? AND conversation_id = ?', to, input.userId, input.conversationId);
        deliveries.push(...(await this.receiptEvents(input.userId, c, m, to, input.now)));
      }
      return { lastReadSeq: to, unread, pts: await this.pts(input.userId), deliveries };
    });
  }

  /**
   * Receipts go to whoever needs them: the senders of the messages just read, if they are
   * still members. Groups at or above the inbox threshold get none (N members reading would
   * be N² events); their messages show no read count.
   */
  private async receiptEvents(readerId: string, c: ConversationRow, m: MembershipRow, to: number, now: number): Promise<Delivery[]> {
    if (c.kind === 'group' && c.member_count >= this.s.inboxFanoutMax) return [];
    const firstSeq = Math.max(1, m.join_seq);
    const from = Math.max(m.receipt_seq, firstSeq - 1);
    const senders = await this.s.all<{ user_id: string }>(
      `SELECT uc.user_id FROM user_conversations uc
       WHERE uc.conversation_id = ? AND uc.left_seq IS NULL AND uc.user_id <> ?
         AND EXISTS (SELECT 1 FROM messages WHERE conversation_id = uc.conversation_id AND sender_id = uc.user_id
                     AND seq > ? AND seq <= ? AND system IS NULL)`,
      c.id,
      readerId,
      from,
      to,
    );
    const deliveries: Delivery[] = [];
    for (const { user_id: userId } of senders) {
      const pts = await this.s.appendInbox(userId, 'receipt', c.id, to, { userId: readerId, firstSeq }, now);
      deliveries.push({ userId, entry: { pts, event: { type: 'receipt', conversationId: c.id, userId: readerId, seq: to, firstSeq } } });
    }
    return deliveries;
  }

  markUnread(input: { userId: string; conversationId: string; seq: number; now: number }): Promise<ReadChange> {
    return this.s.transaction(async (): Promise<ReadChange> => {
      const { c, m } = await this.place(input.userId, input.conversationId);
      const head = visibleHead(c, m);
      const firstSeq = Math.max(1, m.join_seq);
      if (input.seq > head || input.seq < firstSeq) throw new TidingsError('not_found', 'No such message.');
      const to = input.seq - 1;
      if (to >= m.last_read_seq) {
        const unread = await this.unread(input.userId, input.conversationId, m.last_read_seq, head);
        return { lastReadSeq: m.last_read_seq, unread, pts: await this.pts(input.userId), deliveries: [] };
      }
      await this.s.run('UPDATE user_conversations SET last_read_seq = ? WHERE user_id = ? AND conversation_id = ?', to, input.userId, input.conversationId);
      const unread = await this.unread(input.userId, input.conversationId, to, head);
      const deliveries = [await this.readEvent(input.userId, input.conversationId, to, unread, input.now)];
      return { lastReadSeq: to, unread, pts: await this.pts(input.userId), deliveries };
    });
  }

  async receipts(conversationId: string): Promise<ReadReceipt[]> {
    const c = await this.s.conversationRow(conversationId);
    if (!c) throw new TidingsError('not_found', 'No such conversation.');
    if (c.kind === 'group' && c.member_count >= this.s.inboxFanoutMax) return [];
    const rows = await this.s.all<{ user_id: string; receipt_seq: number; join_seq: number }>(
      'SELECT user_id, receipt_seq, join_seq FROM user_conversations WHERE conversation_id = ? AND left_seq IS NULL AND receipt_seq > 0 ORDER BY user_id',
      conversationId,
    );
    return rows.map((r) => ({ userId: r.user_id, seq: r.receipt_seq, firstSeq: Math.max(1, r.join_seq) }));
  }

  /** The draft as stored on the membership row. */
  static draftOf(m: MembershipRow): Draft | null {
    return m.draft ? { text: m.draft, updatedAt: m.draft_at ?? 0 } : null;
  }

  saveDraft(input: { userId: string; conversationId: string; text: string; now: number }): Promise<{ draft: Draft | null; deliveries: Delivery[] }> {
    return this.s.transaction(async () => {
      const { m } = await this.place(input.userId, input.conversationId);
      if (m.left_seq !== null) throw new TidingsError('not_found', 'No such conversation.');
      return this.writeDraft(input.userId, input.conversationId, m, input.text, input.now);
    });
  }

  /**
   * Last writer wins: the draft is whatever arrived last. The event carries no text (the
   * inbox keeps events for weeks; the text is read from the row when the event is read).
   * @internal also used by a send, which clears the sender's draft in its own transaction.
   */
  async writeDraft(userId: string, conversationId: string, m: MembershipRow, text: string, now: number): Promise<{ draft: Draft | null; deliveries: Delivery[] }> {
    const draft = text === '' ? null : { text, updatedAt: now };
    if ((m.draft ?? '') === text) return { draft: SqlReadState.draftOf(m), deliveries: [] };
    await this.s.run(
      'UPDATE user_conversations SET draft = ?, draft_at = ? WHERE user_id = ? AND conversation_id = ?',
      draft?.text ?? null,
      draft ? now : null,
      userId,
      conversationId,
    );
    const pts = await this.s.appendInbox(userId, 'draft', conversationId, null, null, now);
    return { draft, deliveries: [{ userId, entry: { pts, event: { type: 'draft', conversationId, draft } } }] };
  }
}
