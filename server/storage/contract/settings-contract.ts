/**
 * Storage contract: what follows the user. Per conversation the pin and which messages notify,
 * and the user's own prefs (do not disturb): a change is one inbox event for the user's own
 * devices, read from the row when pulled (the inbox keeps no values, so the last write wins).
 * Also the devices list, @mentions in group messages (kept only as far as they hold when the
 * message is stored) and the member lookup by name prefix. Speaks only through `Storage`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREFS, directConversationId, InboxEntrySchema, type Mentions, type Notify, type Prefs } from '../../../src/protocol';
import type { DeviceRecord, Storage } from '../storage';
import { ALICE, BOB, CAROL, DAN, device, expectCode, okPage, user, type StorageContractContext } from './fixtures';
import { readsKit } from './reads-contract';

type Change = { pinned?: boolean; notify?: Notify };

/** A device as the storage gives it back (the token's hash stays inside). */
const stored = (d: DeviceRecord & { tokenHash: string }): DeviceRecord => {
  const { tokenHash: _hash, ...rest } = d;
  return rest;
};

export function settingsContract(t: StorageContractContext): void {
  describe('settings, prefs, devices, mentions and member lookup', () => {
    const k = readsKit(t);
    let s: Storage;
    beforeEach(() => {
      s = t.storage();
      k.reset();
    });
    const { withConversation } = t;
    const { G, tick, ids, withGroup, summary, ptsOf, recipients, messagesIn, state } = k;
    const settings = (userId: string, conversationId: string, change: Change) => s.setConversationSettings({ userId, conversationId, ...change, now: tick() });
    const mention = (senderId: string, conversationId: string, mentions: Mentions) => s.appendMessage(t.newMessage(conversationId, senderId, { mentions }));

    describe('conversation settings', () => {
      it('[SET-1] a change writes one `settings` event with the current values for the user\'s own devices; other members see nothing', async () => {
        await withGroup([BOB, CAROL]); // also Alice and Bob's one-to-one
        const direct = directConversationId(ALICE, BOB);
        const pts = await Promise.all([ALICE, BOB, CAROL].map(ptsOf));
        expect(await summary(BOB, G)).toMatchObject({ pinned: false, notify: 'all' });
        const pinned = await settings(BOB, G, { pinned: true });
        expect(pinned).toEqual([{ userId: BOB, entry: { pts: pts[1]! + 1, event: { type: 'settings', conversationId: G, pinned: true, notify: 'all' } } }]);
        InboxEntrySchema.parse(pinned[0]!.entry);
        const both = await settings(BOB, G, { pinned: false, notify: 'mentions' });
        expect(both.map((d) => [d.userId, d.entry])).toEqual([[BOB, { pts: pts[1]! + 2, event: { type: 'settings', conversationId: G, pinned: false, notify: 'mentions' } }]]);
        expect(await summary(BOB, G)).toMatchObject({ pinned: false, notify: 'mentions' });
        // Per user and per conversation: nobody else's, and none of Bob's other conversations, moved.
        expect(await Promise.all([ALICE, BOB, CAROL].map(ptsOf))).toEqual([pts[0], pts[1]! + 2, pts[2]]);
        for (const u of [ALICE, CAROL]) expect(await summary(u, G)).toMatchObject({ pinned: false, notify: 'all' });
        expect(await summary(BOB, direct)).toMatchObject({ pinned: false, notify: 'all' });
        expect(recipients(await settings(ALICE, G, { notify: 'muted' }))).toEqual([ALICE]);
        expect(await summary(BOB, G)).toMatchObject({ pinned: false, notify: 'mentions' });
      });

      it('[SET-2] omitted fields stay; unchanged values write nothing', async () => {
        const { conversationId } = await withConversation(); // Alice and Bob at pts 1
        await settings(ALICE, conversationId, { notify: 'muted' }); // 2
        const event = (pinned: boolean, notify: Notify) => ({ type: 'settings', conversationId, pinned, notify });
        expect((await settings(ALICE, conversationId, { pinned: true })).map((d) => d.entry)).toEqual([{ pts: 3, event: event(true, 'muted') }]);
        expect((await settings(ALICE, conversationId, { notify: 'all' })).map((d) => d.entry)).toEqual([{ pts: 4, event: event(true, 'all') }]);
        const before = await state(conversationId, [ALICE, BOB]);
        const unchanged: Change[] = [{ pinned: true }, { notify: 'all' }, { pinned: true, notify: 'all' }, {}];
        for (const change of unchanged) expect(await settings(ALICE, conversationId, change)).toEqual([]);
        expect(await state(conversationId, [ALICE, BOB])).toEqual(before);
        expect(await summary(ALICE, conversationId)).toMatchObject({ pinned: true, notify: 'all' });
      });

      it('[SET-3] only a current member changes their settings; a refusal is not_found and changes nothing', async () => {
        await withGroup([BOB, CAROL]);
        await s.removeMember({ conversationId: G, actorId: CAROL, userId: CAROL, now: tick(), ids });
        const direct = directConversationId(ALICE, BOB);
        const everyone = [ALICE, BOB, CAROL, DAN];
        const before = { group: await state(G, everyone), direct: await state(direct, everyone) };
        await expectCode(settings(CAROL, G, { pinned: true }), 'not_found'); // left
        await expectCode(settings(DAN, G, { notify: 'muted' }), 'not_found'); // never a member
        await expectCode(settings(CAROL, direct, { pinned: true }), 'not_found'); // someone else's one-to-one
        await expectCode(settings(ALICE, 'g_404', { pinned: true }), 'not_found');
        expect({ group: await state(G, everyone), direct: await state(direct, everyone) }).toEqual(before);
      });

      it('[SET-4] pulled `settings` and `conversation` events read the settings as they are now; summaries carry them', async () => {
        const { conversationId, opened } = await withConversation(); // pts 1: the `conversation` event
        const told = opened.deliveries.find((d) => d.userId === ALICE)?.entry.event;
        expect(told).toMatchObject({ type: 'conversation', conversation: { pinned: false, notify: 'all' } });
        await settings(ALICE, conversationId, { pinned: true }); // 2
        await settings(ALICE, conversationId, { notify: 'muted' }); // 3
        await settings(ALICE, conversationId, { pinned: false, notify: 'mentions' }); // 4
        const now = { pinned: false, notify: 'mentions' };
        const pulled = okPage(await s.syncInbox(ALICE, 0, 10)).entries;
        expect(pulled.map((e) => e.pts)).toEqual([1, 2, 3, 4]);
        expect(pulled[0]?.event).toMatchObject({ type: 'conversation', conversation: { id: conversationId, ...now } });
        expect(pulled.slice(1).map((e) => e.event)).toEqual(Array.from({ length: 3 }, () => ({ type: 'settings', conversationId, ...now })));
        expect((await s.bootstrap(ALICE)).conversations.find((c) => c.id === conversationId)).toMatchObject(now);
        expect(await summary(ALICE, conversationId)).toMatchObject(now);
        expect(await summary(BOB, conversationId)).toMatchObject({ pinned: false, notify: 'all' });
      });
    });

    describe('prefs', () => {
      const night: Prefs = { dnd: { on: true, from: '22:00', to: '07:30' } };

      it('[PREFS-1] prefs are replaced whole; a change writes a `prefs` event for the user only, an unchanged one nothing; bootstrap returns them', async () => {
        await withConversation(); // Alice and Bob at pts 1
        expect((await s.bootstrap(ALICE)).prefs).toEqual(DEFAULT_PREFS);
        const set = await s.setPrefs(ALICE, night, tick());
        expect(set).toEqual([{ userId: ALICE, entry: { pts: 2, event: { type: 'prefs', prefs: night } } }]);
        InboxEntrySchema.parse(set[0]!.entry);
        expect((await s.bootstrap(ALICE)).prefs).toEqual(night);
        expect(await s.setPrefs(ALICE, { dnd: { on: true, from: '22:00', to: '07:30' } }, tick())).toEqual([]); // an equal copy
        const always: Prefs = { dnd: { on: true, from: null, to: null } };
        expect((await s.setPrefs(ALICE, always, tick())).map((d) => d.entry)).toEqual([{ pts: 3, event: { type: 'prefs', prefs: always } }]);
        expect((await s.bootstrap(ALICE)).prefs).toEqual(always);
        expect((await s.setPrefs(ALICE, DEFAULT_PREFS, tick())).map((d) => d.entry.pts)).toEqual([4]);
        expect((await s.bootstrap(ALICE)).prefs).toEqual(DEFAULT_PREFS);
        expect(await ptsOf(BOB)).toBe(1);
        expect((await s.bootstrap(BOB)).prefs).toEqual(DEFAULT_PREFS);
      });

      it('[PREFS-2] a pulled `prefs` event reads the prefs as they are now', async () => {
        await withConversation();
        await s.setPrefs(ALICE, night, tick()); // 2
        const late: Prefs = { dnd: { on: false, from: '23:00', to: '06:00' } };
        await s.setPrefs(ALICE, late, tick()); // 3
        expect(okPage(await s.syncInbox(ALICE, 1, 10)).entries).toEqual([
          { pts: 2, event: { type: 'prefs', prefs: late } },
          { pts: 3, event: { type: 'prefs', prefs: late } },
        ]);
      });
    });

    describe('profile', () => {
      it('[PROFILE-1] a new display name writes one `user` event for the user and each person sharing a conversation now; those who left hear nothing; the same name writes nothing', async () => {
        await withGroup([BOB, CAROL]); // Alice, Bob and Carol in G; Alice and Bob also one-to-one
        await s.removeMember({ conversationId: G, actorId: CAROL, userId: CAROL, now: tick(), ids }); // Carol leaves
        const bobPts = await ptsOf(BOB);
        const carolPts = await ptsOf(CAROL);
        const renamed = { id: ALICE, username: 'alice', displayName: 'Alice Liddell' };
        const r = await s.setDisplayName({ userId: ALICE, displayName: 'Alice Liddell', now: tick() });
        expect(r.user).toEqual(renamed);
        // Once each, though Bob shares two conversations with her.
        expect(r.deliveries.map((d) => d.userId).sort()).toEqual([ALICE, BOB]);
        for (const d of r.deliveries) expect(InboxEntrySchema.parse(d.entry).event).toEqual({ type: 'user', user: renamed });
        expect(await ptsOf(CAROL)).toBe(carolPts);
        expect(await s.getUsers([ALICE])).toEqual([renamed]);
        expect(await s.setDisplayName({ userId: ALICE, displayName: 'Alice Liddell', now: tick() })).toEqual({ user: renamed, deliveries: [] });
        expect(await ptsOf(BOB)).toBe(bobPts + 1);
        // Pulled later, each event reads the profile as it is now; so does a bootstrap.
        await s.setDisplayName({ userId: ALICE, displayName: 'Al', now: tick() });
        const now = { ...renamed, displayName: 'Al' };
        expect(okPage(await s.syncInbox(BOB, bobPts, 10)).entries.map((e) => e.event)).toEqual([
          { type: 'user', user: now },
          { type: 'user', user: now },
        ]);
        expect((await s.bootstrap(BOB)).users.find((u) => u.id === ALICE)).toEqual(now);
      });
    });

    describe('devices', () => {
      const phone = device('501', ALICE, { name: 'Phone', lastActiveAt: 3_000 });
      const laptop = device('502', ALICE, { name: 'Laptop', lastActiveAt: 5_000 });
      const tablet = device('503', ALICE, { name: 'Tablet', lastActiveAt: 4_000 });
      const expiring = device('504', ALICE, { lastActiveAt: 6_000, expiresAt: 7_000 });
      const revoked = device('505', ALICE, { lastActiveAt: 6_500 });
      const bobs = device('506', BOB, { lastActiveAt: 9_000 });
      const listed = async (userId: string, now: number) => (await s.activeDevices(userId, now)).map((d) => d.id);
      beforeEach(async () => {
        await withConversation();
        for (const d of [phone, laptop, tablet, expiring, revoked, bobs]) await s.createDevice(d);
        await s.revokeDevice(revoked.id, 6_600);
      });

      it('[DEV-1] the user\'s devices neither revoked nor expired, most recently active first', async () => {
        expect(await s.activeDevices(ALICE, 6_900)).toEqual([expiring, laptop, tablet, phone].map(stored));
        // Expired at `now` exactly: the same rule that refuses its token.
        expect(await listed(ALICE, 7_000)).toEqual([laptop.id, tablet.id, phone.id]);
        expect(await s.findActiveDeviceByTokenHash(expiring.tokenHash, 7_000)).toBeNull();
        expect(await listed(BOB, 7_000)).toEqual([bobs.id]);
        expect(await listed(CAROL, 7_000)).toEqual([]);
      });

      it('[DEV-2] noting a device active moves its lastActiveAt, and the list follows', async () => {
        await s.touchDevice(phone.id, 8_000);
        expect(await listed(ALICE, 6_900)).toEqual([phone.id, expiring.id, laptop.id, tablet.id]);
        expect(await s.getDevice(phone.id)).toEqual({ ...stored(phone), lastActiveAt: 8_000 });
      });

      it('[DEV-6] the user renames any of their signed-in devices; another\'s, a revoked or an expired one is not_found and nothing changes', async () => {
        await s.renameDevice({ userId: ALICE, deviceId: phone.id, name: 'Work phone', now: 6_900 });
        expect(await s.getDevice(phone.id)).toEqual({ ...stored(phone), name: 'Work phone' });
        expect((await s.activeDevices(ALICE, 6_900)).find((d) => d.id === phone.id)?.name).toBe('Work phone');
        const before = await Promise.all([phone, laptop, expiring, revoked, bobs].map((d) => s.getDevice(d.id)));
        await expectCode(s.renameDevice({ userId: BOB, deviceId: laptop.id, name: 'Mine now', now: 6_900 }), 'not_found');
        await expectCode(s.renameDevice({ userId: ALICE, deviceId: revoked.id, name: 'Back', now: 6_900 }), 'not_found');
        await expectCode(s.renameDevice({ userId: ALICE, deviceId: expiring.id, name: 'Late', now: 7_000 }), 'not_found');
        await expectCode(s.renameDevice({ userId: ALICE, deviceId: '999', name: 'Nobody', now: 6_900 }), 'not_found');
        expect(await Promise.all([phone, laptop, expiring, revoked, bobs].map((d) => s.getDevice(d.id)))).toEqual(before);
      });

      it('[DEV-4] a revoked device leaves the list and its token is refused; the user\'s other devices stay', async () => {
        expect(await s.findActiveDeviceByTokenHash(laptop.tokenHash, 6_900)).toEqual(stored(laptop));
        await s.revokeDevice(laptop.id, 6_700);
        expect(await s.findActiveDeviceByTokenHash(laptop.tokenHash, 6_900)).toBeNull();
        expect(await s.getDevice(laptop.id)).toMatchObject({ revokedAt: 6_700 });
        expect(await listed(ALICE, 6_900)).toEqual([expiring.id, tablet.id, phone.id]);
        expect(await s.findActiveDeviceByTokenHash(tablet.tokenHash, 6_900)).toEqual(stored(tablet));
      });
    });

    describe('mentions', () => {
      it('[MENTION-SRV-1] mentions are for groups: in a one-to-one conversation they are bad_request and nothing is stored', async () => {
        const { conversationId } = await withConversation();
        await k.send(conversationId, ALICE); // 1
        const before = await state(conversationId, [ALICE, BOB]);
        await expectCode(mention(ALICE, conversationId, { userIds: [BOB], all: false }), 'bad_request');
        await expectCode(mention(BOB, conversationId, { userIds: [], all: true }), 'bad_request');
        expect(await state(conversationId, [ALICE, BOB])).toEqual(before);
        expect((await k.send(conversationId, BOB)).message).toMatchObject({ seq: 2, mentions: null }); // no seq used up
      });

      it('[MENTION-SRV-2] only current members stay mentioned, once each and sorted; the others are dropped silently', async () => {
        await withGroup([BOB, CAROL]); // 1
        await s.addMembers({ conversationId: G, actorId: ALICE, userIds: [DAN], now: tick(), ids }); // 2
        await s.removeMember({ conversationId: G, actorId: DAN, userId: DAN, now: tick(), ids }); // 3: Dan left
        const sent = await mention(BOB, G, { userIds: [CAROL, DAN, '9999', CAROL, ALICE, BOB], all: false }); // 4
        const kept = { userIds: [ALICE, BOB, CAROL], all: false };
        expect(sent.message).toMatchObject({ seq: 4, mentions: kept });
        expect(recipients(sent.deliveries)).toEqual([ALICE, BOB, CAROL]);
        for (const d of sent.deliveries) expect(d.entry.event).toMatchObject({ type: 'message', message: { mentions: kept } });
        expect((await s.history(G, undefined, 10)).messages.at(-1)?.mentions).toEqual(kept);
        expect(messagesIn(okPage(await s.syncInbox(CAROL, 0, 50)).entries).at(-1)?.mentions).toEqual(kept);
        const nobody = await mention(BOB, G, { userIds: [DAN, '9999'], all: false });
        expect(nobody.message).toMatchObject({ seq: 5, mentions: null });
      });

      it('[MENTION-SRV-3] `all` stays only from the owner or an admin as they are when it is sent; a plain member\'s message is stored without it', async () => {
        await withGroup([BOB, CAROL]); // 1
        await s.setRole({ conversationId: G, actorId: ALICE, userId: BOB, role: 'admin', now: tick(), ids }); // 2
        expect((await mention(ALICE, G, { userIds: [], all: true })).message.mentions).toEqual({ userIds: [], all: true }); // 3
        expect((await mention(BOB, G, { userIds: [CAROL], all: true })).message.mentions).toEqual({ userIds: [CAROL], all: true }); // 4
        expect((await mention(CAROL, G, { userIds: [BOB], all: true })).message).toMatchObject({ seq: 5, mentions: { userIds: [BOB], all: false } });
        const nobody = await mention(CAROL, G, { userIds: [], all: true }); // 6
        expect(nobody.message).toMatchObject({ seq: 6, senderId: CAROL, mentions: null });
        expect(recipients(nobody.deliveries)).toEqual([ALICE, BOB, CAROL]);
        await s.setRole({ conversationId: G, actorId: ALICE, userId: BOB, role: 'member', now: tick(), ids }); // 7
        expect((await mention(BOB, G, { userIds: [], all: true })).message).toMatchObject({ seq: 8, mentions: null });
      });

      it('[MENTION-SRV-4] a recall erases the mentions with the text, wherever the message is read', async () => {
        await withGroup([BOB, CAROL]); // 1
        await mention(BOB, G, { userIds: [CAROL], all: false }); // 2
        const recalled = await k.recall(G, 2, BOB);
        const erased = { seq: 2, text: '', recalledBy: BOB, mentions: null };
        expect(recalled.message).toMatchObject(erased);
        expect((await s.history(G, undefined, 10)).messages.at(-1)).toMatchObject(erased);
        expect(messagesIn(okPage(await s.syncInbox(CAROL, 0, 50)).entries).at(-1)).toMatchObject(erased);
        expect((await summary(CAROL, G)).lastMessage).toMatchObject(erased);
      });
    });

    it('[MEMBERS-Q-1] a query finds current members whose user name, or a word of whose display name, starts with it, any case; % and _ are literal', async () => {
      await withGroup([BOB, CAROL]); // Dan exists but is not a member
      const people = [['1011', 'ann_lee', 'Zed'], ['1012', 'annxlee', 'Ann Other'], ['1013', 'percy', '100% Percy'], ['1014', 'pat', '1000 Pat']] as const;
      for (const [id, username, displayName] of people) await s.createUser({ ...user(id, username), displayName });
      await s.addMembers({ conversationId: G, actorId: ALICE, userIds: people.map((p) => p[0]), now: tick(), ids });
      const names = async (query: string) => (await s.members(G, 0, 50, query)).members.map((m) => m.user.username).sort();
      expect(await names('ANN')).toEqual(['ann_lee', 'annxlee']);
      expect(await names('ann_')).toEqual(['ann_lee']);
      expect(await names('_')).toEqual([]);
      expect(await names('zE')).toEqual(['ann_lee']); // by display name
      expect(await names('ann o')).toEqual(['annxlee']);
      expect(await names('100%')).toEqual(['percy']);
      expect(await names('%')).toEqual([]);
      expect(await names('\\')).toEqual([]);
      expect(await names('lee')).toEqual([]); // the start only
      expect(await names('OTH')).toEqual(['annxlee']); // a later word of the display name
      expect(await names('pat')).toEqual(['pat']); // once, though both names match
      expect(await names('er')).toEqual([]); // inside a word is not a start
      expect(await names('d')).toEqual([]); // Dan is no member
      expect((await s.members(G, 0, 50, 'al')).members).toEqual([{ user: { id: ALICE, username: 'alice', displayName: 'ALICE' }, role: 'owner' }]);
      await s.removeMember({ conversationId: G, actorId: CAROL, userId: CAROL, now: tick(), ids });
      expect(await names('car')).toEqual([]);
      expect((await s.members(G, 0, 50)).members).toHaveLength(6); // without a query: everyone
      await expectCode(s.members('g_404', 0, 50, 'a'), 'not_found');
    });
  });
}
