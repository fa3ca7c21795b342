/**
 * Storage contract, with reads-contract.ts: drafts reach only their writer's devices and a send
 * clears them; a reply quotes its message as that message is now (cut to its first line, and
 * erased once that message is recalled). Speaks only through the `Storage` interface.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../storage';
import { ALICE, BOB, CAROL, DAN, expectCode, okPage, type StorageContractContext } from './fixtures';
import type { ReadsKit } from './reads-contract';

export function draftsRepliesContract(t: StorageContractContext, k: ReadsKit): void {
  let s: Storage;
  beforeEach(() => {
    s = t.storage();
  });
  const { withConversation, newMessage } = t;
  const { G, tick, ids, withGroup, send, draft, recall, summary, ptsOf, recipients, messagesIn, state } = k;

  describe('drafts', () => {
    it('[DRAFT-1] a draft is saved for its writer only; the same text writes nothing; \'\' clears it; the inbox reads it as it is now', async () => {
      const { conversationId } = await withConversation(); // Alice and Bob at pts 1
      const saved = await draft(ALICE, conversationId, 'half a thought');
      const first = { text: 'half a thought', updatedAt: k.now() };
      expect(saved).toEqual({ draft: first, deliveries: [{ userId: ALICE, entry: { pts: 2, event: { type: 'draft', conversationId, draft: first } } }] });
      expect(await ptsOf(BOB)).toBe(1);
      expect((await summary(ALICE, conversationId)).draft).toEqual(first);
      expect((await summary(BOB, conversationId)).draft).toBeNull();
      expect(await draft(ALICE, conversationId, 'half a thought')).toEqual({ draft: first, deliveries: [] });
      expect(await ptsOf(ALICE)).toBe(2);

      const newer = await draft(ALICE, conversationId, 'a whole thought');
      expect(newer.draft).toEqual({ text: 'a whole thought', updatedAt: k.now() });
      // Last writer wins, and the older event reads the draft as it is now.
      const pulled = okPage(await s.syncInbox(ALICE, 1, 10)).entries.map((e) => e.event);
      expect(pulled).toEqual([
        { type: 'draft', conversationId, draft: newer.draft },
        { type: 'draft', conversationId, draft: newer.draft },
      ]);
      expect((await s.bootstrap(ALICE)).conversations.find((c) => c.id === conversationId)?.draft).toEqual(newer.draft);

      const cleared = await draft(ALICE, conversationId, '');
      expect(cleared).toEqual({ draft: null, deliveries: [{ userId: ALICE, entry: { pts: 4, event: { type: 'draft', conversationId, draft: null } } }] });
      expect(await draft(ALICE, conversationId, '')).toEqual({ draft: null, deliveries: [] });
      expect((await summary(ALICE, conversationId)).draft).toBeNull();
      expect(okPage(await s.syncInbox(ALICE, 1, 10)).entries.map((e) => e.event)).toEqual(
        Array.from({ length: 3 }, () => ({ type: 'draft', conversationId, draft: null })),
      );
    });

    it('[DRAFT-2] sending clears the sender\'s draft in the same write, with a draft event; a replay does not', async () => {
      const { conversationId } = await withConversation();
      await draft(ALICE, conversationId, 'about to send'); // Alice pts 2
      await draft(BOB, conversationId, 'bob types too'); // Bob pts 2
      const sent = await send(conversationId, ALICE, { text: 'about to send' });
      expect(recipients(sent.deliveries, 'message')).toEqual([ALICE, BOB]);
      expect(sent.deliveries.filter((d) => d.entry.event.type === 'draft')).toEqual([
        { userId: ALICE, entry: { pts: 4, event: { type: 'draft', conversationId, draft: null } } },
      ]);
      expect(okPage(await s.syncInbox(ALICE, 2, 10)).entries).toEqual(sent.deliveries.filter((d) => d.userId === ALICE).map((d) => d.entry));
      expect((await summary(ALICE, conversationId)).draft).toBeNull();
      expect((await summary(BOB, conversationId)).draft).toMatchObject({ text: 'bob types too' });
      // No draft, no draft event.
      expect((await send(conversationId, ALICE)).deliveries.map((d) => d.entry.event.type)).toEqual(['message', 'message']);
      // A replay of the first send stores nothing, and leaves a new draft alone.
      await draft(ALICE, conversationId, 'next thought');
      const replay = await s.appendMessage({ ...newMessage(conversationId, ALICE), clientMsgId: sent.message.clientMsgId });
      expect(replay).toMatchObject({ duplicate: true, deliveries: [] });
      expect((await summary(ALICE, conversationId)).draft).toMatchObject({ text: 'next thought' });
    });

    it('[DRAFT-3] only a current member saves a draft; one who left has none; a refusal changes nothing', async () => {
      await withGroup([BOB, CAROL]);
      await draft(CAROL, G, 'before leaving');
      await s.removeMember({ conversationId: G, actorId: CAROL, userId: CAROL, now: tick(), ids });
      expect((await summary(CAROL, G)).draft).toBeNull();
      const drafts = okPage(await s.syncInbox(CAROL, 0, 50)).entries.filter((e) => e.event.type === 'draft');
      expect(drafts.map((e) => e.event)).toEqual([{ type: 'draft', conversationId: G, draft: null }]);
      const before = await state(G, [ALICE, BOB, CAROL, DAN]);
      await expectCode(draft(CAROL, G, 'after leaving'), 'not_found');
      await expectCode(draft(DAN, G, 'an outsider'), 'not_found');
      await expectCode(draft(ALICE, 'g_404', 'nowhere'), 'not_found');
      expect(await state(G, [ALICE, BOB, CAROL, DAN])).toEqual(before);
    });
  });

  describe('replies', () => {
    it('[REPLY-1] a reply carries its quote: the sender and the first line, cut to 120 characters with …, wherever it is read', async () => {
      const { conversationId } = await withConversation();
      const long = 'ab'.repeat(65); // 130 characters
      await send(conversationId, BOB, { text: `${long}\nsecond line` }); // 1
      await send(conversationId, BOB, { text: 'short one\nwith more' }); // 2
      await send(conversationId, BOB, { text: '😀'.repeat(120) }); // 3: 120 code points, 240 UTF-16 units
      await send(conversationId, BOB, { text: '😀'.repeat(121) }); // 4
      const quotes = [];
      for (const seq of [1, 2, 3, 4]) quotes.push((await send(conversationId, ALICE, { text: `re ${seq}`, replyToSeq: seq })).message);
      expect(quotes.map((m) => m.replyTo)).toEqual([
        { seq: 1, senderId: BOB, text: `${long.slice(0, 119)}…`, recalled: false },
        { seq: 2, senderId: BOB, text: 'short one', recalled: false },
        { seq: 3, senderId: BOB, text: '😀'.repeat(120), recalled: false },
        { seq: 4, senderId: BOB, text: `${'😀'.repeat(119)}…`, recalled: false },
      ]);
      // One's own message can be replied to as well.
      const own = await send(conversationId, ALICE, { replyToSeq: 5 });
      expect(own.message.replyTo).toMatchObject({ seq: 5, senderId: ALICE, text: 're 1' });
      const all = [...quotes, own.message];
      expect((await s.history(conversationId, undefined, 50)).messages.slice(4)).toEqual(all);
      expect(messagesIn(okPage(await s.syncInbox(BOB, 0, 50)).entries).slice(4)).toEqual(all);
      expect((await summary(BOB, conversationId)).lastMessage).toEqual(own.message);
    });

    it('[REPLY-2] a reply to a missing or unreadable message is not_found, to a system line or a recalled message bad_request; nothing is stored', async () => {
      await withGroup([BOB]); // 1
      await send(G, ALICE, { text: 'hello' }); // 2
      await send(G, BOB, { text: 'oops' }); // 3
      await recall(G, 3, BOB);
      await s.addMembers({ conversationId: G, actorId: ALICE, userIds: [CAROL], now: tick(), ids }); // 4
      await send(G, ALICE, { text: 'welcome' }); // 5
      await draft(CAROL, G, 'kept through a refusal');
      const before = await state(G, [ALICE, BOB, CAROL]);
      await expectCode(send(G, ALICE, { replyToSeq: 99 }), 'not_found');
      await expectCode(send(G, CAROL, { replyToSeq: 2 }), 'not_found'); // before Carol joined
      await expectCode(send(G, ALICE, { replyToSeq: 1 }), 'bad_request'); // a system line
      await expectCode(send(G, ALICE, { replyToSeq: 3 }), 'bad_request'); // recalled
      await expectCode(send(G, CAROL, { replyToSeq: 99 }), 'not_found');
      expect(await state(G, [ALICE, BOB, CAROL])).toEqual(before);
      // No seq was used up by the refusals.
      const ok = await send(G, CAROL, { replyToSeq: 5 });
      expect(ok.message).toMatchObject({ seq: 6, replyTo: { seq: 5, senderId: ALICE, text: 'welcome', recalled: false } });
    });

    it('[REPLY-3] once the quoted message is recalled, every reading of the reply says so and carries no text of it', async () => {
      const { conversationId } = await withConversation();
      await send(conversationId, BOB, { text: 'the secret plan' }); // 1
      const reply = await send(conversationId, ALICE, { text: 'sounds good', replyToSeq: 1 }); // 2
      expect(reply.message.replyTo).toMatchObject({ text: 'the secret plan', recalled: false });
      await recall(conversationId, 1, BOB);
      const erased = { seq: 1, senderId: BOB, text: '', recalled: true };
      const expected = { ...reply.message, replyTo: erased };
      expect((await s.history(conversationId, undefined, 10)).messages[1]).toEqual(expected);
      const pulled = okPage(await s.syncInbox(ALICE, 0, 50)).entries;
      expect(messagesIn(pulled).find((m) => m.seq === 2)).toEqual(expected);
      expect((await summary(BOB, conversationId)).lastMessage).toEqual(expected);
      expect(JSON.stringify([pulled, await s.bootstrap(BOB)])).not.toContain('secret plan');
    });

    it('[REPLY-4] a member who joined after the quoted line reads the reply without its quote; a recalled reply has none', async () => {
      await withGroup([BOB]); // 1
      await send(G, ALICE, { text: 'said before Carol came' }); // 2
      await s.addMembers({ conversationId: G, actorId: ALICE, userIds: [CAROL], now: tick(), ids }); // 3: Carol joins
      const reply = await send(G, BOB, { text: 'agreed', replyToSeq: 2 }); // 4
      const quote = { seq: 2, senderId: ALICE, text: 'said before Carol came', recalled: false };
      const pushed = (userId: string) => reply.deliveries.find((d) => d.userId === userId && d.entry.event.type === 'message')?.entry.event;
      expect(pushed(ALICE)).toMatchObject({ message: { seq: 4, replyTo: quote } });
      expect(pushed(CAROL)).toMatchObject({ message: { seq: 4, text: 'agreed', replyTo: null } });
      // Every other way Carol reads it: pulled, history within her bounds, the list's last line.
      const carolFirst = (await summary(CAROL, G)).firstSeq;
      expect(messagesIn(okPage(await s.syncInbox(CAROL, 0, 50)).entries).find((m) => m.seq === 4)?.replyTo).toBeNull();
      expect((await s.history(G, undefined, 50, { firstSeq: carolFirst, leftSeq: null })).messages.at(-1)).toMatchObject({ seq: 4, replyTo: null });
      expect((await summary(CAROL, G)).lastMessage).toMatchObject({ seq: 4, replyTo: null });
      expect(JSON.stringify([await s.syncInbox(CAROL, 0, 50), await s.bootstrap(CAROL)])).not.toContain('before Carol');
      // Those who were there see the quote.
      expect((await summary(BOB, G)).lastMessage?.replyTo).toEqual(quote);

      await recall(G, 4, BOB);
      expect((await s.history(G, undefined, 50)).messages.at(-1)).toMatchObject({ seq: 4, text: '', replyTo: null, recalledBy: BOB });
      expect((await summary(ALICE, G)).lastMessage).toMatchObject({ seq: 4, replyTo: null });
    });
  });
}
