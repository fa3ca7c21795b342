/** Storage contract: conversations, messages (seq, dedupe), history and delivered positions. */
import { beforeEach, describe, expect, it } from 'vitest';
import { directConversationId, InboxEntrySchema } from '../../../src/protocol';
import type { Storage } from '../storage';
import { ALICE, BOB, CAROL, DAN, expectCode, okPage, uuid, type StorageContractContext } from './fixtures';

export function messagesContract(t: StorageContractContext): void {
  let s: Storage;
  beforeEach(() => {
    s = t.storage();
  });
  const { withConversation, newMessage, sendMany } = t;

  // ------------------------------------------------------------------ conversations

  describe('conversations', () => {
    it('[STORE-CONV-1] openDirectConversation creates it once, with both members, and a conversation event for each', async () => {
      const { conversationId, opened } = await withConversation();
      expect(opened.created).toBe(true);
      expect(opened.deliveries.map((d) => d.userId).sort()).toEqual([ALICE, BOB]);
      for (const d of opened.deliveries) {
        InboxEntrySchema.parse(d.entry);
        expect(d.entry.pts).toBe(1);
        expect(d.entry.event.type).toBe('conversation');
        if (d.entry.event.type !== 'conversation') continue;
        expect(d.entry.event.conversation.id).toBe(conversationId);
        expect([...d.entry.event.conversation.memberIds].sort()).toEqual([ALICE, BOB]);
        expect(d.entry.event.users.map((u) => u.id).sort()).toEqual([ALICE, BOB]);
      }
      expect(await s.isMember(ALICE, conversationId)).toBe(true);
      expect(await s.isMember(BOB, conversationId)).toBe(true);
      expect(await s.isMember(CAROL, conversationId)).toBe(false);
      expect(await s.isMember(ALICE, directConversationId(ALICE, CAROL))).toBe(false);

      const again = await s.openDirectConversation(conversationId, [BOB, ALICE], 5_000);
      expect(again).toEqual({ created: false, deliveries: [] });
      expect(okPage(await s.syncInbox(ALICE, 0, 100)).pts).toBe(1);
    });

    it('[STORE-CONV-2] getConversationSummary describes the conversation to a member and to no one else', async () => {
      const { conversationId } = await withConversation();
      const empty = await s.getConversationSummary(ALICE, conversationId);
      expect(empty).toMatchObject({
        id: conversationId,
        kind: 'direct',
        lastSeq: 0,
        lastMessage: null,
        lastReadSeq: 0,
        peerDeliveredSeq: 0,
        createdAt: 1_000,
      });
      expect([...(empty?.memberIds ?? [])].sort()).toEqual([ALICE, BOB]);
      expect(await s.getConversationSummary(CAROL, conversationId)).toBeNull();
      expect(await s.getConversationSummary(ALICE, directConversationId(ALICE, CAROL))).toBeNull();

      const [, second] = await sendMany(conversationId, 2);
      await s.markDelivered(BOB, conversationId, 1);
      const after = await s.getConversationSummary(ALICE, conversationId);
      expect(after?.lastSeq).toBe(2);
      expect(after?.lastMessage).toEqual(second?.message);
      expect(after?.peerDeliveredSeq).toBe(1);
      // Bob's own summary reports Alice's delivered position, not his.
      expect((await s.getConversationSummary(BOB, conversationId))?.peerDeliveredSeq).toBe(0);
    });
  });

  // ------------------------------------------------------------------ messages

  describe('appendMessage', () => {
    it('[STORE-SEND-1] seq starts at 1 and is gapless; the stored message is returned as sent', async () => {
      const { conversationId } = await withConversation();
      const input = newMessage(conversationId, ALICE, { text: 'héllo 👋' });
      const first = await s.appendMessage(input);
      expect(first.duplicate).toBe(false);
      expect(first.message).toEqual({ ...input, seq: 1, system: null, recalledBy: null, replyTo: null, mentions: null });
      const rest = await sendMany(conversationId, 9);
      expect(rest.map((r) => r.message.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('[STORE-SEND-2] one message event per member (the sender too, for roaming), with each member pts + 1', async () => {
      const { conversationId } = await withConversation();
      const r = await s.appendMessage(newMessage(conversationId, ALICE));
      expect(r.deliveries.map((d) => d.userId).sort()).toEqual([ALICE, BOB]);
      for (const d of r.deliveries) {
        InboxEntrySchema.parse(d.entry);
        expect(d.entry).toEqual({ pts: 2, event: { type: 'message', message: r.message } });
      }
      const onlyBob = await s.appendMessage(newMessage(conversationId, BOB));
      expect(onlyBob.deliveries.map((d) => d.entry.pts)).toEqual([3, 3]);
    });

    it('[SEND-2] a replayed (sender, conversation, clientMsgId) returns the original message and writes nothing', async () => {
      const { conversationId } = await withConversation();
      const original = await s.appendMessage(newMessage(conversationId, ALICE, { clientMsgId: uuid(4242), text: 'first' }));
      const replay = await s.appendMessage(
        newMessage(conversationId, ALICE, { clientMsgId: uuid(4242), text: 'second try', msgId: '777777', serverTime: 9_999 }),
      );
      expect(replay).toMatchObject({ message: original.message, duplicate: true, deliveries: [] });
      const h = await s.history(conversationId, undefined, 50);
      expect(h).toEqual({ messages: [original.message], lastSeq: 1, firstSeq: 1 });
      expect(okPage(await s.syncInbox(BOB, 0, 100)).pts).toBe(2);
    });

    it('[SEND-3] the same clientMsgId from another sender or in another conversation is a new message', async () => {
      const { conversationId } = await withConversation();
      const other = directConversationId(ALICE, CAROL);
      await s.openDirectConversation(other, [ALICE, CAROL], 1_000);
      const id = uuid(31337);
      const a = await s.appendMessage(newMessage(conversationId, ALICE, { clientMsgId: id }));
      const b = await s.appendMessage(newMessage(conversationId, BOB, { clientMsgId: id }));
      const c = await s.appendMessage(newMessage(other, ALICE, { clientMsgId: id }));
      expect([a.duplicate, b.duplicate, c.duplicate]).toEqual([false, false, false]);
      expect([a.message.seq, b.message.seq, c.message.seq]).toEqual([1, 2, 1]);
    });

    it('[STORE-SEND-3] a message to a conversation that does not exist fails with not_found and writes nothing', async () => {
      await withConversation();
      const missing = directConversationId(CAROL, DAN);
      await expectCode(s.appendMessage(newMessage(missing, CAROL)), 'not_found');
      expect(okPage(await s.syncInbox(CAROL, 0, 100))).toEqual({ status: 'ok', entries: [], pts: 0, more: false });
    });

    it('[STORE-SEND-4] conversations count seq independently', async () => {
      const { conversationId } = await withConversation();
      const other = directConversationId(BOB, CAROL);
      await s.openDirectConversation(other, [BOB, CAROL], 1_000);
      await sendMany(conversationId, 3);
      const r = await s.appendMessage(newMessage(other, CAROL));
      expect(r.message.seq).toBe(1);
      expect(r.deliveries.find((d) => d.userId === BOB)?.entry.pts).toBe(1 + 1 + 3 + 1);
    });
  });


  // ------------------------------------------------------------------ history

  describe('history', () => {
    it('[HIST-1] the latest page by default, ascending, with the head seq', async () => {
      const { conversationId } = await withConversation();
      await sendMany(conversationId, 10);
      const h = await s.history(conversationId, undefined, 4);
      expect(h.lastSeq).toBe(10);
      expect(h.messages.map((m) => m.seq)).toEqual([7, 8, 9, 10]);
    });

    it('[HIST-2] beforeSeq pages backwards without overlap or holes, down to seq 1', async () => {
      const { conversationId } = await withConversation();
      const sent = await sendMany(conversationId, 10);
      const pages: number[][] = [];
      let before: number | undefined;
      for (;;) {
        const h = await s.history(conversationId, before, 3);
        if (h.messages.length === 0) break;
        pages.push(h.messages.map((m) => m.seq));
        before = h.messages[0]!.seq;
      }
      expect(pages).toEqual([[8, 9, 10], [5, 6, 7], [2, 3, 4], [1]]);
      expect((await s.history(conversationId, 4, 2)).messages).toEqual(sent.slice(1, 3).map((r) => r.message));
    });

    it('[HIST-3] an empty conversation has no messages and head 0; a missing one is not_found', async () => {
      const { conversationId } = await withConversation();
      expect(await s.history(conversationId, undefined, 10)).toEqual({ messages: [], lastSeq: 0, firstSeq: 1 });
      await expectCode(s.history(directConversationId(CAROL, DAN), undefined, 10), 'not_found');
    });
  });

  // ------------------------------------------------------------------ delivered

  describe('markDelivered', () => {
    it('[RCPT-1] moving the delivered position forward sends a delivered event to every other member', async () => {
      const { conversationId } = await withConversation();
      await sendMany(conversationId, 3); // Alice pts 4
      const d = await s.markDelivered(BOB, conversationId, 2);
      expect(d).toEqual([
        { userId: ALICE, entry: { pts: 5, event: { type: 'delivered', conversationId, userId: BOB, seq: 2 } } },
      ]);
      expect(okPage(await s.syncInbox(ALICE, 4, 10)).entries).toEqual([d[0]!.entry]);
      // Bob's own inbox gets nothing for his own receipt.
      expect(okPage(await s.syncInbox(BOB, 0, 10)).pts).toBe(4);
    });

    it('[RCPT-2] the delivered position never moves backwards, and a repeat writes nothing', async () => {
      const { conversationId } = await withConversation();
      await sendMany(conversationId, 5);
      expect(await s.markDelivered(BOB, conversationId, 4)).toHaveLength(1);
      expect(await s.markDelivered(BOB, conversationId, 4)).toEqual([]);
      expect(await s.markDelivered(BOB, conversationId, 2)).toEqual([]);
      expect((await s.getConversationSummary(ALICE, conversationId))?.peerDeliveredSeq).toBe(4);
      expect(await s.markDelivered(BOB, conversationId, 5)).toHaveLength(1);
      expect((await s.getConversationSummary(ALICE, conversationId))?.peerDeliveredSeq).toBe(5);
      expect(okPage(await s.syncInbox(ALICE, 0, 100)).pts).toBe(1 + 5 + 2);
    });

    it('[RCPT-3] a delivered position past the head is clamped to the head', async () => {
      const { conversationId } = await withConversation();
      await sendMany(conversationId, 2);
      const d = await s.markDelivered(BOB, conversationId, 1_000);
      expect(d.map((x) => x.entry.event)).toEqual([{ type: 'delivered', conversationId, userId: BOB, seq: 2 }]);
      expect(await s.markDelivered(BOB, conversationId, 1_000)).toEqual([]);
      // In an empty conversation there is nothing to be delivered.
      const empty = directConversationId(ALICE, CAROL);
      await s.openDirectConversation(empty, [ALICE, CAROL], 1_000);
      expect(await s.markDelivered(CAROL, empty, 3)).toEqual([]);
    });

    it('[RCPT-4] a missing conversation is not_found', async () => {
      await withConversation();
      await expectCode(s.markDelivered(CAROL, directConversationId(CAROL, DAN), 1), 'not_found');
    });
  });
}
