/** Storage contract: the per-user inbox (pts): sync, paging, pruning, bootstrap. */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREFS, directConversationId, InboxEntrySchema, type InboxEntry } from '../../../src/protocol';
import type { Storage } from '../storage';
import { ALICE, BOB, CAROL, DAN, expectCode, okPage, user, type StorageContractContext } from './fixtures';

export function inboxContract(t: StorageContractContext): void {
  let s: Storage;
  beforeEach(() => {
    s = t.storage();
  });
  const { withConversation, newMessage, sendMany } = t;

  // ------------------------------------------------------------------ inbox (pts)

  describe('syncInbox', () => {
    it('[INBOX-1] returns exactly the events after sincePts, ascending, equal to what was delivered', async () => {
      const { conversationId, opened } = await withConversation();
      const sent = await sendMany(conversationId, 5);
      const delivered: InboxEntry[] = [
        ...opened.deliveries.filter((d) => d.userId === BOB).map((d) => d.entry),
        ...sent.flatMap((r) => r.deliveries.filter((d) => d.userId === BOB).map((d) => d.entry)),
      ];
      const all = okPage(await s.syncInbox(BOB, 0, 100));
      expect(all.pts).toBe(6);
      expect(all.more).toBe(false);
      for (const e of all.entries) InboxEntrySchema.parse(e);
      // Message events read back exactly as pushed. A conversation event may describe the
      // conversation as it is now (its head moved on since), but keeps its pts and id.
      expect(all.entries.slice(1)).toEqual(delivered.slice(1));
      expect(all.entries[0]).toMatchObject({ pts: 1, event: { type: 'conversation', conversation: { id: conversationId } } });
      expect(okPage(await s.syncInbox(BOB, 4, 100)).entries).toEqual(delivered.slice(4));
      expect(okPage(await s.syncInbox(BOB, 6, 100))).toEqual({ status: 'ok', entries: [], pts: 6, more: false });
    });

    it('[INBOX-2] pages by limit with `more` until the head is reached', async () => {
      const { conversationId } = await withConversation();
      await sendMany(conversationId, 9); // pts 1..10 for Bob
      const seen: number[] = [];
      let since = 0;
      const mores: boolean[] = [];
      for (;;) {
        const page = okPage(await s.syncInbox(BOB, since, 3));
        expect(page.pts).toBe(10);
        expect(page.entries.length).toBeLessThanOrEqual(3);
        seen.push(...page.entries.map((e) => e.pts));
        mores.push(page.more);
        if (!page.more) break;
        since = page.entries.at(-1)!.pts;
      }
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(mores).toEqual([true, true, true, false]);
    });

    it('[INBOX-3] sincePts ahead of the inbox is a bad_request', async () => {
      const { conversationId } = await withConversation();
      await sendMany(conversationId, 2);
      await expectCode(s.syncInbox(BOB, 4, 10), 'bad_request');
    });

    it('[INBOX-4] an unknown user cannot sync', async () => {
      await withConversation();
      await expectCode(s.syncInbox('424242', 0, 10), 'unauthorized');
    });

    it('[INBOX-5] a message event reads back the message as stored', async () => {
      const { conversationId } = await withConversation();
      const [r] = await sendMany(conversationId, 1);
      const page = okPage(await s.syncInbox(ALICE, 1, 10));
      expect(page.entries).toEqual([{ pts: 2, event: { type: 'message', message: r!.message } }]);
    });
  });

  describe('pruneInbox', () => {
    it('[INBOX-6] pruning drops events older than the cutoff; a cursor behind the cut gets tooLong, one at or after it pages on', async () => {
      const { conversationId } = await withConversation(); // pts 1 at t=1000 for both
      // pts 2..5 for both, stored at t=2001..2004
      await sendMany(conversationId, 4);
      expect(await s.pruneInbox(1_000)).toBe(0); // strictly older than the cutoff only
      expect(okPage(await s.syncInbox(BOB, 0, 100)).entries).toHaveLength(5);

      // Drops pts 1 (t=1000), 2 (t=2001), 3 (t=2002) of both users.
      expect(await s.pruneInbox(2_003)).toBe(6);
      for (const who of [ALICE, BOB]) {
        expect(await s.syncInbox(who, 0, 100)).toEqual({ status: 'tooLong', pts: 5 });
        expect(await s.syncInbox(who, 2, 100)).toEqual({ status: 'tooLong', pts: 5 });
        const page = okPage(await s.syncInbox(who, 3, 100));
        expect(page.entries.map((e) => e.pts)).toEqual([4, 5]);
        expect(page.more).toBe(false);
      }
      // Pruning the same range again removes nothing and keeps the floor.
      expect(await s.pruneInbox(2_003)).toBe(0);
      expect(await s.syncInbox(BOB, 1, 100)).toEqual({ status: 'tooLong', pts: 5 });
    });

    it('[INBOX-7] after pruning, pts keeps counting from where it was (never reused)', async () => {
      const { conversationId } = await withConversation();
      await sendMany(conversationId, 2);
      await s.pruneInbox(Number.MAX_SAFE_INTEGER);
      expect(okPage(await s.syncInbox(BOB, 3, 100))).toEqual({ status: 'ok', entries: [], pts: 3, more: false });
      const [r] = await sendMany(conversationId, 1);
      expect(r!.deliveries.map((d) => d.entry.pts)).toEqual([4, 4]);
      expect(okPage(await s.syncInbox(BOB, 3, 100)).entries.map((e) => e.pts)).toEqual([4]);
    });

    it('[INBOX-8] pruning cuts each user at their own old events and leaves newer ones whole', async () => {
      const { conversationId } = await withConversation(); // Alice, Bob: pts 1 at t=1000
      await s.openDirectConversation(directConversationId(BOB, CAROL), [BOB, CAROL], 5_000); // Bob 2, Carol 1
      await s.appendMessage(newMessage(conversationId, ALICE, { serverTime: 6_000 })); // Alice 2, Bob 3
      expect(await s.pruneInbox(2_000)).toBe(2); // Alice 1, Bob 1
      expect(okPage(await s.syncInbox(CAROL, 0, 100)).entries.map((e) => e.pts)).toEqual([1]);
      expect(await s.syncInbox(BOB, 0, 100)).toEqual({ status: 'tooLong', pts: 3 });
      expect(okPage(await s.syncInbox(BOB, 1, 100)).entries.map((e) => e.pts)).toEqual([2, 3]);
      expect(okPage(await s.syncInbox(ALICE, 1, 100)).entries.map((e) => e.pts)).toEqual([2]);
    });
  });

  // ------------------------------------------------------------------ bootstrap

  describe('bootstrap', () => {
    it('[STORE-BOOT-1] returns the current pts, every conversation with its head, and the users in them', async () => {
      const { conversationId } = await withConversation();
      await s.openDirectConversation(directConversationId(ALICE, CAROL), [ALICE, CAROL], 1_000);
      await sendMany(conversationId, 3);
      const b = await s.bootstrap(ALICE);
      expect(b.pts).toBe(5);
      expect(b.conversations.map((c) => [c.id, c.lastSeq]).sort()).toEqual(
        [
          [conversationId, 3],
          [directConversationId(ALICE, CAROL), 0],
        ].sort(),
      );
      expect(b.users.map((u) => u.id).sort()).toEqual([ALICE, BOB, CAROL]);
      const forBob = await s.bootstrap(BOB);
      expect(forBob.conversations.map((c) => c.id)).toEqual([conversationId]);
      expect(forBob.users.map((u) => u.id).sort()).toEqual([ALICE, BOB]);
    });

    it('[STORE-BOOT-2] a user with nothing yet gets pts 0 and only themselves; an unknown user is refused', async () => {
      await s.createUser(user(DAN, 'dan'));
      expect(await s.bootstrap(DAN)).toEqual({
        pts: 0,
        prefs: DEFAULT_PREFS,
        conversations: [],
        users: [{ id: DAN, username: 'dan', displayName: 'DAN' }],
      });
      await expectCode(s.bootstrap('424242'), 'unauthorized');
    });
  });

}
