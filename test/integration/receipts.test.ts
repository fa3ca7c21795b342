/**
 * Read positions, receipts, drafts and replies against a real server: every device of the
 * reader ends up at the same read position and unread count (pushed, or pulled after being
 * offline), senders hear receipts, a group's `Read by` comes from `receipts`, and drafts travel
 * between one user's devices only, until a send clears them.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unreadCount, type ConversationSummary, type InboxEntry, type Message, type ReadReceipt } from '../../src/protocol';
import { requestError, type TestClient } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';

const h = new Harness();
let server: TestServer;
let alice: { userId: string; client: TestClient };
let alicePhone: TestClient;
let aliceTablet: { client: TestClient; token: string };
let bob: { userId: string; client: TestClient };
let carol: { userId: string; client: TestClient };
let direct: string;

/** The head pts of a device's user, as the server sees it. */
const ptsOf = async (c: TestClient) => (await c.request({ type: 'bootstrap' })).pts;
const summaryOf = async (c: TestClient, conversationId: string): Promise<ConversationSummary> => {
  const found = (await c.request({ type: 'bootstrap' })).conversations.find((x) => x.id === conversationId);
  if (!found) throw new Error(`no ${conversationId} in the bootstrap`);
  return found;
};
const messagesOf = (entries: readonly InboxEntry[]): Message[] => entries.flatMap((e) => (e.event.type === 'message' ? [e.event.message] : []));
/** Who has read message `seq`, by the receipts (a member reads from their join on). */
const readBy = (receipts: readonly ReadReceipt[], seq: number) =>
  receipts.filter((r) => r.firstSeq <= seq && seq <= r.seq).map((r) => r.userId).sort();

/** Whether any inbox row of the server's file holds `text` (drafts must not be kept there). */
function inboxHolds(text: string): boolean {
  const db = new Database(server.config.dataFile, { readonly: true });
  try {
    return db.prepare('SELECT 1 FROM inbox WHERE payload LIKE ?').all(`%${text}%`).length > 0;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  server = await h.start();
  alice = await h.user(server, 'alice');
  alicePhone = (await h.otherDevice(server, 'alice')).client;
  const tablet = await h.otherDevice(server, 'alice');
  aliceTablet = { client: tablet.client, token: tablet.session.token };
  bob = await h.user(server, 'bob');
  carol = await h.user(server, 'carol');
  direct = (await alice.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
});
afterAll(() => h.close());

describe('read positions across devices', () => {
  it('[READ-7] every device of the reader ends at the same read position and unread count, the one that was offline too', async () => {
    for (let i = 0; i < 3; i++) await bob.client.send(direct, `news ${i}`); // seq 1..3
    const tabletPts = await ptsOf(aliceTablet.client);
    aliceTablet.client.close();
    await aliceTablet.client.disconnected();
    const alicePts = await ptsOf(alice.client);
    const bobPts = await ptsOf(bob.client);

    const read = await alice.client.request({ type: 'read', conversationId: direct, seq: 2 });
    expect(read).toEqual({ lastReadSeq: 2, unread: { count: 1, asOf: 3, readSeq: 2 }, pts: alicePts + 1 });
    const [onPhone] = await alicePhone.pushesFrom(alicePts, 1);
    expect(onPhone?.event).toEqual({ type: 'read', conversationId: direct, seq: 2, unread: read.unread });
    const [receipt] = await bob.client.pushesFrom(bobPts, 1);
    expect(receipt?.event).toEqual({ type: 'receipt', conversationId: direct, userId: alice.userId, seq: 2, firstSeq: 1 });

    // The phone marks the first message unread: Alice's devices hear of it, Bob does not.
    const back = await alicePhone.request({ type: 'markUnread', conversationId: direct, seq: 1 });
    expect(back).toEqual({ lastReadSeq: 0, unread: { count: 3, asOf: 3, readSeq: 0 }, pts: alicePts + 2 });
    const [onLaptop] = await alice.client.pushesFrom(alicePts + 1, 1);
    expect(onLaptop?.event).toEqual({ type: 'read', conversationId: direct, seq: 0, unread: back.unread });
    expect(await ptsOf(bob.client)).toBe(bobPts + 1);
    expect((await summaryOf(bob.client, direct)).peerReadSeq).toBe(2);

    const fourth = await bob.client.send(direct, 'news 3');
    expect(await alice.client.request({ type: 'read', conversationId: direct, seq: 99 })).toEqual({
      lastReadSeq: fourth.seq,
      unread: { count: 0, asOf: fourth.seq, readSeq: fourth.seq },
      pts: alicePts + 4, // read, read, message 4, read
    });
    const [, again] = await bob.client.pushesFrom(bobPts + 1, 2);
    expect(again?.event).toEqual({ type: 'receipt', conversationId: direct, userId: alice.userId, seq: 4, firstSeq: 1 });
    await bob.client.send(direct, 'news 4'); // seq 5: unread on every device of Alice's

    // The tablet comes back and pulls what it missed.
    const tablet = await h.connect(server, aliceTablet.token);
    const page = await tablet.request({ type: 'sync', sincePts: tabletPts });
    if (page.status !== 'ok') throw new Error('expected ok');
    expect(page.entries.map((e) => e.event.type)).toEqual(['read', 'read', 'message', 'read', 'message']);
    const lastRead = page.entries.filter((e) => e.event.type === 'read').at(-1)?.event;
    if (lastRead?.type !== 'read') throw new Error('no read event pulled');
    expect(lastRead).toMatchObject({ seq: 4, unread: { count: 0, asOf: 4, readSeq: 4 } });
    // A device counts what arrives after `asOf` with the shared rule: it lands where the server is.
    const above = messagesOf(page.entries).filter((m) => m.seq > lastRead.unread.asOf);
    const counted = lastRead.unread.count + unreadCount(above, alice.userId, lastRead.seq);
    const laptop = await summaryOf(alice.client, direct);
    expect(laptop).toMatchObject({ lastReadSeq: 4, unread: { count: 1, asOf: 5, readSeq: 4 } });
    expect(counted).toBe(laptop.unread.count);
    expect(await summaryOf(tablet, direct)).toEqual(laptop);
    expect(tablet.pushes).toEqual([]);
    aliceTablet.client = tablet;
    expect((await summaryOf(bob.client, direct)).peerReadSeq).toBe(4);
  });
});

describe('group receipts', () => {
  it('[RECEIPT-2] `Read by` in a group comes from `receipts`: who read what, from their join on; outsiders get not_found', async () => {
    const group = (await alice.client.request({ type: 'createGroup', name: 'Book club', usernames: ['bob', 'carol'] })).conversation.id;
    const first = await alice.client.send(group, 'chapter one?'); // 2
    const second = await alice.client.send(group, 'or two'); // 3
    const alicePts = await ptsOf(alice.client);
    await bob.client.request({ type: 'read', conversationId: group, seq: second.seq });
    const [onPhone] = await alicePhone.pushesFrom(alicePts, 1);
    expect(onPhone?.event).toEqual({ type: 'receipt', conversationId: group, userId: bob.userId, seq: second.seq, firstSeq: 1 });
    await carol.client.request({ type: 'read', conversationId: group, seq: first.seq });

    const dan = await h.user(server, 'dan');
    await alice.client.request({ type: 'addMembers', conversationId: group, usernames: ['dan'] }); // 4
    await dan.client.request({ type: 'read', conversationId: group, seq: 4 });
    const { receipts } = await alicePhone.request({ type: 'receipts', conversationId: group });
    expect(readBy(receipts, first.seq)).toEqual([bob.userId, carol.userId].sort());
    expect(readBy(receipts, second.seq)).toEqual([bob.userId]);
    expect(receipts.find((r) => r.userId === dan.userId)?.firstSeq).toBe(4);
    expect((await summaryOf(alice.client, group)).peerReadSeq).toBe(0);

    const eve = await h.user(server, 'eve');
    expect((await requestError(eve.client.socket, { type: 'receipts', conversationId: group })).code).toBe('not_found');
    await carol.client.request({ type: 'leaveGroup', conversationId: group });
    expect((await requestError(carol.client.socket, { type: 'receipts', conversationId: group })).code).toBe('not_found');
    const after = (await bob.client.request({ type: 'receipts', conversationId: group })).receipts;
    expect(readBy(after, first.seq)).toEqual([bob.userId]);
  });

  it('[RECEIPT-3] at or above the inbox threshold a read tells only the reader\'s devices, and `receipts` is empty', async () => {
    const big = await h.start({ inboxFanoutMax: 2 });
    const owner = await h.user(big, 'owner');
    const member = await h.user(big, 'member');
    const group = (await owner.client.request({ type: 'createGroup', name: 'Big', usernames: ['member'] })).conversation.id;
    const { seq } = await owner.client.send(group, 'to the room');
    const ownerPts = await ptsOf(owner.client);
    const memberPts = await ptsOf(member.client);
    expect(await member.client.request({ type: 'read', conversationId: group, seq })).toEqual({ lastReadSeq: seq, unread: { count: 0, asOf: seq, readSeq: seq }, pts: memberPts + 1 });
    const [own] = await member.client.pushesFrom(memberPts, 1);
    expect(own?.event).toMatchObject({ type: 'read', conversationId: group, seq });
    expect(await ptsOf(owner.client)).toBe(ownerPts);
    expect(await owner.client.request({ type: 'receipts', conversationId: group })).toEqual({ receipts: [] });
  });
});

describe('drafts', () => {
  it('[DRAFT-1] a draft reaches the writer\'s other devices only; the same text again writes nothing; the inbox keeps no text', async () => {
    const alicePts = await ptsOf(alice.client);
    const bobPts = await ptsOf(bob.client);
    const saved = await alice.client.request({ type: 'draft', conversationId: direct, text: 'meet at the lighthouse' });
    expect(saved.draft).toEqual({ text: 'meet at the lighthouse', updatedAt: expect.any(Number) });
    for (const c of [alice.client, alicePhone, aliceTablet.client]) {
      const [p] = await c.pushesFrom(alicePts, 1);
      expect(p?.event).toEqual({ type: 'draft', conversationId: direct, draft: saved.draft });
    }
    expect(await alicePhone.request({ type: 'draft', conversationId: direct, text: 'meet at the lighthouse' })).toEqual(saved);
    expect(await ptsOf(alice.client)).toBe(alicePts + 1);
    expect(await ptsOf(bob.client)).toBe(bobPts);
    expect((await summaryOf(alicePhone, direct)).draft).toEqual(saved.draft);
    expect((await summaryOf(bob.client, direct)).draft).toBeNull();
    expect(inboxHolds('lighthouse')).toBe(false);
  });

  it('[DRAFT-2] a send from another device clears the draft on every device of the sender', async () => {
    const alicePts = await ptsOf(alice.client);
    const bobPts = await ptsOf(bob.client);
    const ack = await alicePhone.send(direct, 'meet at the lighthouse');
    const pushes = await alice.client.pushesFrom(alicePts, 2);
    expect(pushes.map((p) => p.event)).toEqual([
      { type: 'message', message: expect.objectContaining({ seq: ack.seq, senderId: alice.userId }) },
      { type: 'draft', conversationId: direct, draft: null },
    ]);
    const [toBob] = await bob.client.pushesFrom(bobPts, 1);
    expect(toBob?.event.type).toBe('message');
    expect(await ptsOf(bob.client)).toBe(bobPts + 1);
    expect((await summaryOf(alice.client, direct)).draft).toBeNull();
  });
});

describe('replies', () => {
  const sendReply = (conversationId: string, text: string, replyToSeq: number) =>
    ({ type: 'send', conversationId, clientMsgId: randomUUID(), text, replyToSeq }) as const;

  it('[REPLY-1] a reply reaches the other member with its quote: the sender and the first line', async () => {
    const quoted = await alice.client.send(direct, 'Lunch on Friday?\nThe usual place.');
    const bobPts = await ptsOf(bob.client);
    const reply = await alicePhone.request(sendReply(direct, 'and bring Carol', quoted.seq));
    const [p] = await bob.client.pushesFrom(bobPts, 1);
    expect(p?.event).toMatchObject({
      type: 'message',
      message: { seq: reply.seq, text: 'and bring Carol', replyTo: { seq: quoted.seq, senderId: alice.userId, text: 'Lunch on Friday?', recalled: false } },
    });
  });

  it('[REPLY-2] a reply to a system line or to nothing is refused with a typed error and stores nothing', async () => {
    const group = (await bob.client.request({ type: 'createGroup', name: 'Lunch', usernames: ['alice'] })).conversation.id;
    const snapshot = dbSnapshot(server.config.dataFile);
    expect((await requestError(alice.client.socket, sendReply(group, 'hm', 1))).code).toBe('bad_request');
    expect((await requestError(alice.client.socket, sendReply(group, 'hm', 9))).code).toBe('not_found');
    expect(dbSnapshot(server.config.dataFile)).toEqual(snapshot);
  });
});
