/**
 * Storage contract: read positions, receipts, drafts and replies. The read position moves
 * forward by reading and back only by `Mark as unread`; receipts (what others see) only move
 * forward and go to the senders of what was read, none in groups at or above the inbox
 * threshold; unread is counted by the one shared rule. Drafts and replies are in
 * `drafts-replies-contract.ts`, run from here with the same helpers. Speaks only through the
 * `Storage` interface.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { directConversationId, InboxEntrySchema, type ConversationSummary, type InboxEntry, type ReadReceipt } from '../../../src/protocol';
import type { Delivery, Storage } from '../storage';
import { draftsRepliesContract } from './drafts-replies-contract';
import { ALICE, BOB, CAROL, DAN, expectCode, okPage, user, type StorageContractContext } from './fixtures';

/** The group the tests here work on. */
const G = 'g_7101';
/** Wide enough that every recall here is inside it: the window is not what these tests are about. */
const WINDOW = 1_000_000_000;

export interface ReadsContractOptions {
  /** The storage's inbox threshold: groups with at least this many members get no receipts. */
  inboxFanoutMax: number;
}

/** Helpers of this part of the contract, on the storage under test (fixed times and ids per test). */
export function readsKit(t: StorageContractContext) {
  const s = () => t.storage();
  let now = 50_000;
  let idCounter = 0;
  const tick = () => ++now;
  const ids = () => String(810_000 + ++idCounter);
  const summary = async (userId: string, conversationId: string): Promise<ConversationSummary> => {
    const c = await s().getConversationSummary(userId, conversationId);
    if (!c) throw new Error(`${userId} has no summary of ${conversationId}`);
    return c;
  };
  const ptsOf = async (userId: string) => okPage(await s().syncInbox(userId, 0, 1)).pts;
  return {
    /** The group id every group test uses. */
    G,
    reset() {
      now = 50_000;
      idCounter = 0;
    },
    /** The time the last `tick` gave out. */
    now: () => now,
    tick,
    ids,
    /** Alice, Bob, Carol (with Alice and Bob's one-to-one) and Dan; Alice owns G with `memberIds`. */
    async withGroup(memberIds: string[]) {
      await t.withConversation();
      await s().createUser(user(DAN, 'dan'));
      return s().createGroup({ conversationId: G, ownerId: ALICE, memberIds, name: 'Readers', now: tick(), ids });
    },
    send: (conversationId: string, senderId: string, extra: { text?: string; replyToSeq?: number } = {}) =>
      s().appendMessage(t.newMessage(conversationId, senderId, extra)),
    read: (userId: string, conversationId: string, seq: number) => s().markRead({ userId, conversationId, seq, now: tick() }),
    markUnread: (userId: string, conversationId: string, seq: number) => s().markUnread({ userId, conversationId, seq, now: tick() }),
    draft: (userId: string, conversationId: string, text: string) => s().saveDraft({ userId, conversationId, text, now: tick() }),
    recall: (conversationId: string, seq: number, actorId: string) =>
      s().recallMessage({ conversationId, seq, actorId, now: tick(), windowMs: WINDOW }),
    summary,
    ptsOf,
    recipients: (deliveries: readonly Delivery[], type?: string) =>
      deliveries.filter((d) => !type || d.entry.event.type === type).map((d) => d.userId).sort(),
    /** Who has read message `seq`, by the receipts: inside [firstSeq, seq] of their receipt. */
    readBy: (receipts: readonly ReadReceipt[], seq: number) =>
      receipts.filter((r) => r.firstSeq <= seq && seq <= r.seq).map((r) => r.userId).sort(),
    messagesIn: (entries: readonly InboxEntry[]) => entries.flatMap((e) => (e.event.type === 'message' ? [e.event.message] : [])),
    /** The observable state a refused request must leave untouched. */
    state: async (conversationId: string, userIds: readonly string[]) => ({
      pts: await Promise.all(userIds.map(ptsOf)),
      summaries: await Promise.all(userIds.map((u) => s().getConversationSummary(u, conversationId))),
      receipts: await s().receipts(conversationId),
      history: await s().history(conversationId, undefined, 200),
    }),
  };
}
export type ReadsKit = ReturnType<typeof readsKit>;

export function readsContract(t: StorageContractContext, options: ReadsContractOptions): void {
  describe('reads, receipts, drafts and replies', () => {
    const k = readsKit(t);
    let s: Storage;
    beforeEach(() => {
      s = t.storage();
      k.reset();
    });
    const { withConversation, sendMany } = t;
    const { tick, ids, withGroup, send, read, markUnread, recall, summary, ptsOf, recipients, readBy, state } = k;
    describe('read positions', () => {
      it('[READ-1] reading moves the read position forward, clamped to the head; the reader\'s devices get a `read` event with the new unread count', async () => {
        const { conversationId, opened } = await withConversation();
        const told = opened.deliveries.find((d) => d.userId === BOB)?.entry.event;
        expect(told).toMatchObject({ conversation: { lastReadSeq: 0, unread: { count: 0, asOf: 0, readSeq: 0 }, peerReadSeq: 0, draft: null } });
        await sendMany(conversationId, 5); // Alice: seq 1..5; Bob's pts 2..6
        expect((await summary(BOB, conversationId)).unread).toEqual({ count: 5, asOf: 5, readSeq: 0 });

        const r = await read(BOB, conversationId, 3);
        const unread = { count: 2, asOf: 5, readSeq: 3 };
        expect(r.lastReadSeq).toBe(3);
        expect(r.unread).toEqual(unread);
        expect(r.pts).toBe(7); // the reader's inbox position once the read is in it
        for (const d of r.deliveries) InboxEntrySchema.parse(d.entry);
        expect(recipients(r.deliveries)).toEqual([ALICE, BOB]); // his devices, and the sender's receipt
        const own = r.deliveries.filter((d) => d.userId === BOB);
        expect(own).toEqual([{ userId: BOB, entry: { pts: 7, event: { type: 'read', conversationId, seq: 3, unread } } }]);
        // What a device pulls is what was pushed.
        expect(okPage(await s.syncInbox(BOB, 6, 10)).entries).toEqual([own[0]!.entry]);
        expect(await summary(BOB, conversationId)).toMatchObject({ lastReadSeq: 3, unread });

        const all = await read(BOB, conversationId, 1_000);
        expect(all).toMatchObject({ lastReadSeq: 5, unread: { count: 0, asOf: 5, readSeq: 5 } });
        expect(all.deliveries.find((d) => d.userId === BOB)?.entry.event).toMatchObject({ type: 'read', seq: 5 });
        const boot = (await s.bootstrap(BOB)).conversations.find((c) => c.id === conversationId);
        expect(boot).toMatchObject({ lastReadSeq: 5, unread: { count: 0, asOf: 5, readSeq: 5 } });
      });

      it('[READ-2] reading at or below the read position is answered with the current one and writes nothing', async () => {
        const { conversationId } = await withConversation();
        await sendMany(conversationId, 4);
        await read(BOB, conversationId, 3);
        const before = await state(conversationId, [ALICE, BOB]);
        for (const seq of [3, 2, 0]) {
          // pts is where Bob's inbox stands: a device at or past it already holds this answer.
          expect(await read(BOB, conversationId, seq)).toEqual({ lastReadSeq: 3, unread: { count: 1, asOf: 4, readSeq: 3 }, pts: 6, deliveries: [] });
        }
        expect(await state(conversationId, [ALICE, BOB])).toEqual(before);
      });

      it('[READ-3] unread counts the messages above the read position from someone else, not recalled, not system lines', async () => {
        const created = await withGroup([BOB, CAROL]); // 1: created (a system line by Alice)
        const told = created.deliveries.find((d) => d.userId === BOB && d.entry.event.type === 'conversation')?.entry.event;
        expect(told).toMatchObject({ conversation: { lastSeq: 1, lastReadSeq: 0, unread: { count: 0, asOf: 1, readSeq: 0 }, peerReadSeq: 0, draft: null } });
        await send(G, ALICE); // 2
        await send(G, ALICE); // 3
        await send(G, BOB); // 4
        await send(G, CAROL); // 5
        await s.updateGroup({ conversationId: G, actorId: ALICE, name: 'Renamed', now: tick(), ids }); // 6: system
        await send(G, ALICE); // 7
        const recalled = await recall(G, 5, ALICE); // the owner recalls Carol's message
        // Devices that never held it still know whose it was, so whether they counted it.
        expect(recalled.deliveries.map((d) => d.entry.event)).toContainEqual({ type: 'recall', conversationId: G, seq: 5, by: ALICE, senderId: CAROL });

        expect((await summary(BOB, G)).unread).toEqual({ count: 3, asOf: 7, readSeq: 0 }); // 2, 3, 7
        expect((await summary(ALICE, G)).unread).toEqual({ count: 1, asOf: 7, readSeq: 0 }); // 4
        expect((await summary(CAROL, G)).unread).toEqual({ count: 4, asOf: 7, readSeq: 0 }); // 2, 3, 4, 7
        expect((await s.bootstrap(CAROL)).conversations.find((c) => c.id === G)?.unread).toEqual({ count: 4, asOf: 7, readSeq: 0 });
        expect((await read(CAROL, G, 3)).unread).toEqual({ count: 2, asOf: 7, readSeq: 3 }); // 4, 7
        expect((await read(BOB, G, 6)).unread).toEqual({ count: 1, asOf: 7, readSeq: 6 }); // 7
      });

      it('[READ-4] mark as unread moves the read position back to just before seq, tells only the caller\'s devices, and leaves receipts where they were', async () => {
        const { conversationId } = await withConversation();
        await sendMany(conversationId, 4); // Alice and Bob at pts 5
        await read(BOB, conversationId, 4); // Bob 6, Alice 6 (the receipt)
        expect((await summary(ALICE, conversationId)).peerReadSeq).toBe(4);

        const back = await markUnread(BOB, conversationId, 2);
        const unread = { count: 3, asOf: 4, readSeq: 1 };
        expect(back).toEqual({
          lastReadSeq: 1,
          unread,
          pts: 7,
          deliveries: [{ userId: BOB, entry: { pts: 7, event: { type: 'read', conversationId, seq: 1, unread } } }],
        });
        expect(await summary(BOB, conversationId)).toMatchObject({ lastReadSeq: 1, unread });
        // What the other side sees does not move back.
        expect(await ptsOf(ALICE)).toBe(6);
        expect((await summary(ALICE, conversationId)).peerReadSeq).toBe(4);
        expect(await s.receipts(conversationId)).toEqual([{ userId: BOB, seq: 4, firstSeq: 1 }]);
        // Only back: marking a later message unread changes nothing.
        expect(await markUnread(BOB, conversationId, 3)).toEqual({ lastReadSeq: 1, unread, pts: 7, deliveries: [] });
        // Reading again below and up to the receipt: his devices hear of it, the sender hears nothing new.
        for (const seq of [2, 4]) expect(recipients((await read(BOB, conversationId, seq)).deliveries)).toEqual([BOB]);
        expect(await ptsOf(ALICE)).toBe(6);
        expect((await summary(ALICE, conversationId)).peerReadSeq).toBe(4);
        expect(await markUnread(BOB, conversationId, 1)).toMatchObject({ lastReadSeq: 0, unread: { count: 4, asOf: 4, readSeq: 0 } });
      });

      it('[READ-5] reading or marking unread outside what the caller may read is not_found and changes nothing', async () => {
        const { conversationId } = await withConversation();
        await s.createUser(user(DAN, 'dan'));
        await sendMany(conversationId, 3);
        await read(BOB, conversationId, 2);
        await s.createGroup({ conversationId: G, ownerId: ALICE, memberIds: [BOB], name: 'Readers', now: tick(), ids }); // 1
        await send(G, ALICE); // 2
        await s.addMembers({ conversationId: G, actorId: ALICE, userIds: [CAROL], now: tick(), ids }); // 3: Carol joins
        await send(G, BOB); // 4
        const everyone = [ALICE, BOB, CAROL, DAN];
        const before = { direct: await state(conversationId, everyone), group: await state(G, everyone) };
        await expectCode(markUnread(BOB, conversationId, 4), 'not_found'); // past the head
        await expectCode(markUnread(CAROL, G, 2), 'not_found'); // before Carol joined
        await expectCode(markUnread(CAROL, conversationId, 1), 'not_found'); // not hers
        await expectCode(read(CAROL, conversationId, 1), 'not_found');
        await expectCode(read(DAN, G, 4), 'not_found');
        await expectCode(read(ALICE, 'g_404', 1), 'not_found');
        await expectCode(markUnread(CAROL, directConversationId(CAROL, DAN), 1), 'not_found');
        expect({ direct: await state(conversationId, everyone), group: await state(G, everyone) }).toEqual(before);
      });

      it('[READ-6] a member added later starts read up to their join; unread and receipts count only what came after it', async () => {
        await withGroup([BOB]); // 1
        await sendMany(G, 3, ALICE); // 2, 3, 4
        const added = await s.addMembers({ conversationId: G, actorId: ALICE, userIds: [CAROL], now: tick(), ids }); // 5
        const told = added.deliveries.find((d) => d.userId === CAROL && d.entry.event.type === 'conversation')?.entry.event;
        expect(told).toMatchObject({ conversation: { firstSeq: 5, lastSeq: 5, lastReadSeq: 4, unread: { count: 0, asOf: 5, readSeq: 4 } } });
        await send(G, ALICE); // 6
        await send(G, BOB); // 7
        expect(await summary(CAROL, G)).toMatchObject({ firstSeq: 5, lastReadSeq: 4, unread: { count: 2, asOf: 7, readSeq: 4 } });
        expect((await read(CAROL, G, 2)).deliveries).toEqual([]);
        // Her join line is a system line: only her own devices hear that she read it.
        expect(recipients((await read(CAROL, G, 5)).deliveries)).toEqual([CAROL]);
        const rest = await read(CAROL, G, 7);
        expect(rest.unread).toEqual({ count: 0, asOf: 7, readSeq: 7 });
        const receipt = { type: 'receipt', conversationId: G, userId: CAROL, seq: 7, firstSeq: 5 };
        expect(rest.deliveries.filter((d) => d.entry.event.type === 'receipt').map((d) => [d.userId, d.entry.event]).sort()).toEqual([
          [ALICE, receipt],
          [BOB, receipt],
        ]);
        const receipts = await s.receipts(G);
        expect(readBy(receipts, 4)).toEqual([]); // sent before she joined: not read by her
        expect(readBy(receipts, 6)).toEqual([CAROL]);
      });
    });

    describe('receipts', () => {
      it('[RECEIPT-1] reading sends a receipt to each sender of a person\'s message in the newly read range who is still a member, never the reader', async () => {
        await withGroup([BOB, CAROL, DAN]); // 1: created, by Alice
        await send(G, BOB); // 2
        await send(G, CAROL); // 3
        const first = await read(DAN, G, 2);
        expect(recipients(first.deliveries, 'receipt')).toEqual([BOB]); // Alice's only line is a system line
        expect(recipients(first.deliveries, 'read')).toEqual([DAN]);
        expect(first.deliveries.find((d) => d.entry.event.type === 'receipt')?.entry.event).toEqual({
          type: 'receipt', conversationId: G, userId: DAN, seq: 2, firstSeq: 1,
        });
        expect(recipients((await read(DAN, G, 3)).deliveries, 'receipt')).toEqual([CAROL]); // Bob heard already
        await send(G, DAN); // 4
        await send(G, ALICE); // 5
        expect(recipients((await read(BOB, G, 5)).deliveries, 'receipt')).toEqual([ALICE, CAROL, DAN]);
        await s.removeMember({ conversationId: G, actorId: CAROL, userId: CAROL, now: tick(), ids }); // 6: Carol leaves
        const alice = await read(ALICE, G, 6);
        expect(recipients(alice.deliveries, 'receipt')).toEqual([BOB, DAN]);
        for (const d of alice.deliveries) {
          InboxEntrySchema.parse(d.entry);
          expect(okPage(await s.syncInbox(d.userId, d.entry.pts - 1, 1)).entries).toEqual([d.entry]);
        }
        expect((await summary(ALICE, G)).peerReadSeq).toBe(0); // groups use `receipts`
      });

      it('[RECEIPT-2] `receipts` lists members\' receipt positions; a one-to-one summary carries the other\'s as peerReadSeq', async () => {
        const { conversationId } = await withConversation();
        expect(await s.receipts(conversationId)).toEqual([]);
        await sendMany(conversationId, 3, ALICE); // 1..3; Alice's pts 4
        await send(conversationId, BOB); // 4; Alice's pts 5
        const r = await read(BOB, conversationId, 3);
        expect(r.deliveries.filter((d) => d.userId === ALICE)).toEqual([
          { userId: ALICE, entry: { pts: 6, event: { type: 'receipt', conversationId, userId: BOB, seq: 3, firstSeq: 1 } } },
        ]);
        expect(await s.receipts(conversationId)).toEqual([{ userId: BOB, seq: 3, firstSeq: 1 }]);
        expect((await summary(ALICE, conversationId)).peerReadSeq).toBe(3);
        expect((await summary(BOB, conversationId)).peerReadSeq).toBe(0);
        await read(ALICE, conversationId, 4);
        const both = [...(await s.receipts(conversationId))].sort((a, b) => a.userId.localeCompare(b.userId));
        expect(both).toEqual([
          { userId: ALICE, seq: 4, firstSeq: 1 },
          { userId: BOB, seq: 3, firstSeq: 1 },
        ]);
        expect((await summary(BOB, conversationId)).peerReadSeq).toBe(4);
        expect(readBy(both, 3)).toEqual([ALICE, BOB]);
        expect(readBy(both, 4)).toEqual([ALICE]);
        await expectCode(s.receipts('g_404'), 'not_found');
      });

      it('[RECEIPT-3] at or above the inbox threshold reading writes only the reader\'s own event, and there are no receipts', async () => {
        const T = options.inboxFanoutMax;
        await withConversation();
        const extra: string[] = [];
        for (let i = 0; i < T - 1; i++) {
          const id = String(30_000 + i);
          await s.createUser(user(id, `reader${i}`));
          extra.push(id);
        }
        const big = await s.createGroup({ conversationId: G, ownerId: ALICE, memberIds: extra, name: 'Big', now: tick(), ids });
        expect(big.memberCount).toBe(T);
        await send(G, extra[0]!); // 2
        await send(G, extra[1]!); // 3
        const pts = await Promise.all([extra[0]!, extra[1]!].map(ptsOf));
        const r = await read(ALICE, G, 3);
        expect(r.unread).toEqual({ count: 0, asOf: 3, readSeq: 3 });
        expect(recipients(r.deliveries)).toEqual([ALICE]);
        expect(r.deliveries[0]?.entry.event).toEqual({ type: 'read', conversationId: G, seq: 3, unread: r.unread });
        expect(await Promise.all([extra[0]!, extra[1]!].map(ptsOf))).toEqual(pts);
        expect(await s.receipts(G)).toEqual([]);
      });
    });

    draftsRepliesContract(t, k);
  });
}
