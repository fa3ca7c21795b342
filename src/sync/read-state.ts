/**
 * The device's side of read positions, unread counts, receipts and drafts. A read or a draft
 * is written to the store at once (the screen follows at once, offline too) and reported to the
 * server when connected; the server's `read` and `draft` events then bring every device of the
 * user to the same state (apply.ts).
 */
import { unreadCount, type ResultOf } from '../protocol';
import { PENDING_BASE, type StoredConversation, type StoredReceipt, type TidingsDb } from '../store/db';
import { Flusher } from './flusher';
import { refusalIsFinal, type Transport } from './transport';

type ReadAnswer = ResultOf<'read'>;

/**
 * The unread number of a conversation: the server's count up to the head it was made at (if
 * it was made from the read position this device has), plus what this device holds above it.
 */
export async function unreadOf(db: TidingsDb, c: StoredConversation, me: string): Promise<number> {
  const base = c.unread;
  const useBase = base.readSeq === c.lastReadSeq && base.asOf > c.lastReadSeq;
  const from = Math.max(useBase ? base.asOf : c.lastReadSeq, c.firstSeq - 1);
  // Nothing known above what was counted (the usual case): no need to look at the messages.
  if (c.lastSeq <= from) return useBase ? base.count : 0;
  const held = await db.messages
    .where('[conversationId+order]')
    .between([c.id, from + 1], [c.id, PENDING_BASE], true, false)
    .toArray();
  return (useBase ? base.count : 0) + unreadCount(held, me, from);
}

/** Groups below the inbox threshold have receipts (`Read by N`); one-to-one and big groups none. */
const hasReceipts = (c: StoredConversation | undefined): c is StoredConversation => c?.kind === 'group' && c.inboxFanout;

/** Whether this device asks the server for a group's receipts: members only (others get `not_found`). */
export function loadsReceipts(c: StoredConversation | undefined): boolean {
  return hasReceipts(c) && c.leftSeq === null;
}

/**
 * The receipts a group's messages show: those this device holds, which `receipt` events keep
 * current while the user is a member. One who left or was removed keeps what the device last
 * knew: the people who read their messages read them all the same ("Read by 2" does not fall
 * back to "Sent").
 */
export async function shownReceipts(db: TidingsDb, c: StoredConversation | undefined): Promise<StoredReceipt[]> {
  return hasReceipts(c) ? db.receipts.where('conversationId').equals(c.id).toArray() : [];
}

export class ReadState {
  private readonly reporter = new Flusher(() => this.reportRound());
  private readonly drafts = new Flusher(() => this.draftsRound());

  constructor(
    private readonly db: TidingsDb,
    private readonly transport: Transport,
  ) {}

  /** The person has seen the conversation up to `seq`: moves forward only. */
  async markRead(conversationId: string, seq: number): Promise<void> {
    const moved = await this.db.transaction('rw', this.db.conversations, async () => {
      const c = await this.db.conversations.get(conversationId);
      if (!c || seq <= c.lastReadSeq) return false;
      await this.db.conversations.update(conversationId, { lastReadSeq: seq });
      return true;
    });
    if (moved) await this.report();
  }

  /** Tells the server of reads it has not heard of (after reading offline, too). */
  report(): Promise<void> {
    return this.reporter.flush();
  }

  private async reportRound(): Promise<void> {
    for (;;) {
      if (!this.transport.connected) return;
      const due = await this.db.conversations.filter((c) => c.lastReadSeq > c.readReported).first();
      if (!due) return;
      const seq = due.lastReadSeq;
      let answer: ReadAnswer | null = null;
      // A refusal will not change by asking again: the server's events have the last word.
      await refusalIsFinal(
        this.transport.request({ type: 'read', conversationId: due.id, seq }).then((r) => {
          answer = r;
        }),
      );
      await this.applyAnswer(due.id, seq, answer);
    }
  }

  /**
   * The server's answer to a read (or to a refresh): its position and count are current as of
   * its pts, so older events' read state is ignored from now on. A read made here meanwhile
   * (further than what was asked) stays ahead until it is reported.
   */
  private async applyAnswer(conversationId: string, asked: number, r: ReadAnswer | null): Promise<void> {
    await this.db.conversations
      .where('id')
      .equals(conversationId)
      .modify((c) => {
        c.readReported = Math.max(c.readReported, asked);
        if (!r || r.pts < (c.readPts ?? 0)) return;
        if (!(c.lastReadSeq > asked && c.lastReadSeq > r.lastReadSeq)) c.lastReadSeq = r.lastReadSeq;
        c.readReported = Math.max(c.readReported, r.lastReadSeq);
        c.unread = r.unread;
        c.readPts = r.pts;
      });
  }

  /**
   * Asks the server for the current unread count without moving anything: a big group's recall
   * comes as a room push, in no order with the inbox, so this device cannot tell whether the
   * count it holds included the recalled message.
   */
  async refreshUnread(conversationId: string): Promise<void> {
    const c = await this.db.conversations.get(conversationId);
    if (!c || !this.transport.connected) return;
    const r = await this.transport.request({ type: 'read', conversationId, seq: c.lastReadSeq });
    await this.applyAnswer(conversationId, c.lastReadSeq, r);
  }

  /** `Mark as unread`: the read position goes back to just before `seq`, on every device. */
  async markUnread(conversationId: string, seq: number): Promise<void> {
    const r = await this.transport.request({ type: 'markUnread', conversationId, seq });
    await this.db.conversations
      .where('id')
      .equals(conversationId)
      .modify((c) => {
        if (r.pts < (c.readPts ?? 0)) return;
        c.lastReadSeq = r.lastReadSeq;
        c.readReported = r.lastReadSeq;
        c.unread = r.unread;
        c.readPts = r.pts;
      });
  }

  /** Members' receipts, replacing what this device held (the events keep it current after). */
  async loadReceipts(conversationId: string): Promise<void> {
    const { receipts } = await this.transport.request({ type: 'receipts', conversationId });
    await this.db.transaction('rw', this.db.receipts, async () => {
      await this.db.receipts.where('conversationId').equals(conversationId).delete();
      await this.db.receipts.bulkPut(receipts.map((r) => ({ ...r, conversationId })));
    });
  }

  /** The text typed in a conversation and not sent; synced to the user's other devices. */
  async saveDraft(conversationId: string, text: string, now = Date.now()): Promise<void> {
    const c = await this.db.conversations.get(conversationId);
    if (!c || (c.draft?.text ?? '') === text) return;
    await this.db.conversations.update(conversationId, { draft: text === '' ? null : { text, updatedAt: now }, draftPending: true });
    await this.flushDrafts();
  }

  /** Sends drafts changed here (while offline, too) to the server. */
  flushDrafts(): Promise<void> {
    return this.drafts.flush();
  }

  private async draftsRound(): Promise<void> {
    for (;;) {
      if (!this.transport.connected) return;
      const due = await this.db.conversations.filter((c) => c.draftPending).first();
      if (!due) return;
      const text = due.draft?.text ?? '';
      await refusalIsFinal(this.transport.request({ type: 'draft', conversationId: due.id, text }));
      // Typed on meanwhile: that newer text goes in the next round.
      await this.db.conversations
        .where('id')
        .equals(due.id)
        .modify((c) => {
          if ((c.draft?.text ?? '') === text) c.draftPending = false;
        });
    }
  }
}
