/**
 * Sending, pushing and pulling against a real server: acks, gapless seq, clientMsgId dedupe,
 * pts-tagged pushes to every device (roaming), gap fill by `sync`, and delivered receipts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxEntry, Message } from '../../src/protocol';
import type { TestClient } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';

const h = new Harness();
let server: TestServer;
let alice: { userId: string; client: TestClient };
let alice2: TestClient;
let bob: { userId: string; client: TestClient; token: string };
let carol: { userId: string; client: TestClient };
let conversationId: string;

/** The head pts of a device's user, as the server sees it. */
const ptsOf = async (c: TestClient) => (await c.request({ type: 'bootstrap' })).pts;

const messagesOf = (entries: readonly InboxEntry[]): Message[] =>
  entries.flatMap((e) => (e.event.type === 'message' ? [e.event.message] : []));

beforeAll(async () => {
  server = await h.start();
  alice = await h.user(server, 'alice');
  alice2 = (await h.otherDevice(server, 'alice')).client;
  const b = await h.user(server, 'bob');
  bob = { ...b, token: b.session.token };
  carol = await h.user(server, 'carol');
  const opened = await alice.client.request({ type: 'openDirect', username: 'bob' });
  conversationId = opened.conversation.id;
  // Both members learn about the conversation through their inbox (pts 1), on every device.
  for (const c of [alice.client, alice2, bob.client]) {
    const [p] = await c.pushesUntil(1);
    expect(p).toMatchObject({ pts: 1, event: { type: 'conversation', conversation: { id: conversationId } } });
  }
});
afterAll(() => h.close());

describe('send', () => {
  it('[SEND-1] the ack is {msgId, seq, serverTime, conversationId}; seq starts at 1', async () => {
    const before = Date.now();
    const ack = await alice.client.send(conversationId, 'hello bob');
    const after = Date.now();
    expect(Object.keys(ack).sort()).toEqual(['conversationId', 'msgId', 'seq', 'serverTime']);
    expect(ack.conversationId).toBe(conversationId);
    expect(ack.seq).toBe(1);
    expect(ack.msgId).toMatch(/^[0-9]{1,20}$/);
    expect(ack.serverTime).toBeGreaterThanOrEqual(before);
    expect(ack.serverTime).toBeLessThanOrEqual(after);
    const { messages } = await bob.client.request({ type: 'history', conversationId, limit: 10 });
    expect(messages).toEqual([
      { ...ack, senderId: alice.userId, clientMsgId: expect.any(String), text: 'hello bob', system: null, recalledBy: null, replyTo: null, mentions: null },
    ]);
  });

  it('[SEND-4] seq is gapless from 1, whoever sends, even when sends overlap', async () => {
    const sequential = [];
    for (let i = 0; i < 6; i++) sequential.push(await (i % 2 ? bob.client : alice.client).send(conversationId, `turn ${i}`));
    expect(sequential.map((a) => a.seq)).toEqual([2, 3, 4, 5, 6, 7]);
    const overlapping = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? bob.client : alice2).send(conversationId, `burst ${i}`)),
    );
    expect(overlapping.map((a) => a.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => 8 + i));
    expect(new Set(overlapping.map((a) => a.msgId)).size).toBe(20);
    const { messages, lastSeq } = await alice.client.request({ type: 'history', conversationId, limit: 200 });
    expect(lastSeq).toBe(27);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
  });

  it('[SEND-2] a replayed clientMsgId returns the original result, even with different text, and stores nothing new', async () => {
    const clientMsgId = randomUUID();
    const original = await alice.client.send(conversationId, 'the original', clientMsgId);
    const snapshot = dbSnapshot(server.config.dataFile);
    const bobHead = await ptsOf(bob.client);
    // A retry from the other device of the same user (after a lost ack), with other text and upper-case id.
    expect(await alice2.send(conversationId, 'edited before retry', clientMsgId.toUpperCase())).toEqual(original);
    expect(await alice.client.send(conversationId, 'the original', clientMsgId)).toEqual(original);
    expect(dbSnapshot(server.config.dataFile)).toEqual(snapshot);
    const { messages } = await bob.client.request({ type: 'history', conversationId, limit: 1 });
    expect(messages).toEqual([expect.objectContaining({ ...original, text: 'the original' })]);
    // No event was written for the replays: Bob's next pts is the next real message.
    expect(await ptsOf(bob.client)).toBe(bobHead);
    const next = await alice.client.send(conversationId, 'after the replays');
    const [p] = await bob.client.pushesFrom(bobHead, 1);
    expect(messagesOf([p!])[0]?.seq).toBe(next.seq);
  });

  it('[SEND-3] the same clientMsgId in another conversation is a new message', async () => {
    const other = (await alice.client.request({ type: 'openDirect', username: 'carol' })).conversation.id;
    const clientMsgId = randomUUID();
    const inFirst = await alice.client.send(conversationId, 'to bob', clientMsgId);
    const inOther = await alice.client.send(other, 'to carol', clientMsgId);
    expect(inOther.conversationId).toBe(other);
    expect(inOther.seq).toBe(1);
    expect(inOther.msgId).not.toBe(inFirst.msgId);
    // …and the same id from the other member of the conversation is a new message too.
    const fromBob = await bob.client.send(conversationId, 'from bob', clientMsgId);
    expect(fromBob.seq).toBe(inFirst.seq + 1);
  });

  it('[SEND-5] opening a direct conversation again returns the same one and pushes nothing new', async () => {
    const p = await ptsOf(bob.client);
    const again = await bob.client.request({ type: 'openDirect', username: 'alice' });
    expect(again.conversation.id).toBe(conversationId);
    expect(again.users.map((u) => u.username).sort()).toEqual(['alice', 'bob']);
    expect(await ptsOf(bob.client)).toBe(p);
  });
});

describe('push', () => {
  it('[PUSH-1] the recipient gets each message as a push {pts, event}, pts rising by exactly 1', async () => {
    const start = await ptsOf(bob.client);
    const acks = [];
    for (let i = 0; i < 5; i++) acks.push(await alice.client.send(conversationId, `push ${i}`));
    const pushes = await bob.client.pushesFrom(start, 5);
    expect(pushes.map((p) => p.pts)).toEqual([1, 2, 3, 4, 5].map((d) => start + d));
    expect(messagesOf(pushes).map(({ msgId, seq, serverTime, conversationId: c }) => ({ msgId, seq, serverTime, conversationId: c }))).toEqual(
      acks,
    );
    expect(messagesOf(pushes).map((m) => m.text)).toEqual(['push 0', 'push 1', 'push 2', 'push 3', 'push 4']);
  });

  it('[PUSH-2] the sender\'s other device gets the message too (roaming), and so does the sending device', async () => {
    const head = await ptsOf(alice.client);
    const ack = await alice.client.send(conversationId, 'seen on all my devices');
    const [onSender] = await alice.client.pushesFrom(head, 1);
    const [onOther] = await alice2.pushesFrom(head, 1);
    expect(onOther).toEqual(onSender);
    expect(onOther?.event).toMatchObject({ type: 'message', message: { ...ack, senderId: alice.userId } });
  });

  it('[PUSH-3] a user outside the conversation gets no push for it', async () => {
    const carolPts = await ptsOf(carol.client);
    await alice.client.send(conversationId, 'not for carol');
    expect(await ptsOf(carol.client)).toBe(carolPts);
    // Events Carol must get, written after: they are the next pts she sees.
    const other = (await carol.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    await bob.client.send(other, 'hi carol');
    const pushes = await carol.client.pushesFrom(carolPts, 2);
    expect(pushes.map((p) => p.event.type)).toEqual(['conversation', 'message']);
    expect(messagesOf(pushes)[0]?.conversationId).toBe(other);
    expect(messagesOf(carol.client.pushes).some((m) => m.conversationId === conversationId)).toBe(false);
  });

  it('[PUSH-4] every device connected from the start saw every pts once, in order, matching sync', async () => {
    for (const [c, who] of [
      [alice.client, 'alice'],
      [alice2, 'alice 2'],
      [bob.client, 'bob'],
    ] as const) {
      const head = await ptsOf(c);
      await c.pushWithPts(head);
      const pushes = c.pushes;
      expect(pushes.map((p) => p.pts), who).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      const synced = await c.request({ type: 'sync', sincePts: 0, limit: 500 });
      if (synced.status !== 'ok') throw new Error('expected ok');
      expect(synced.entries.map((e) => [e.pts, e.event.type]), who).toEqual(pushes.map((p) => [p.pts, p.event.type]));
      expect(messagesOf(synced.entries), who).toEqual(messagesOf(pushes));
    }
  });
});

describe('sync fills the gap after missed pushes', () => {
  it('[INBOX-1][INBOX-2] a device that was offline pulls exactly the missed events, in pts order, in pages', async () => {
    const second = await h.otherDevice(server, 'bob');
    const offlinePts = await ptsOf(second.client);
    second.client.close();
    await second.client.disconnected();

    const acks = [];
    for (let i = 0; i < 7; i++) acks.push(await alice.client.send(conversationId, `while you were away ${i}`));
    const onlinePushes = await bob.client.pushesFrom(offlinePts, 7);

    const back = await h.connect(server, second.session.token);
    const pages: { pts: number[]; more: boolean }[] = [];
    const pulled: InboxEntry[] = [];
    let since = offlinePts;
    for (;;) {
      const page = await back.request({ type: 'sync', sincePts: since, limit: 3 });
      if (page.status !== 'ok') throw new Error('expected ok');
      expect(page.pts).toBe(offlinePts + 7);
      pages.push({ pts: page.entries.map((e) => e.pts), more: page.more });
      pulled.push(...page.entries);
      if (!page.more) break;
      since = page.entries.at(-1)!.pts;
    }
    const p = offlinePts;
    expect(pages).toEqual([
      { pts: [p + 1, p + 2, p + 3], more: true },
      { pts: [p + 4, p + 5, p + 6], more: true },
      { pts: [p + 7], more: false },
    ]);
    expect(pulled).toEqual(onlinePushes);
    expect(messagesOf(pulled).map((m) => m.seq)).toEqual(acks.map((a) => a.seq));
    // The reconnected device got no pushes for what it missed.
    expect(back.pushes).toEqual([]);
  });

  it('[INBOX-2] sync at the head is empty; without a limit it returns everything after sincePts', async () => {
    const head = await ptsOf(bob.client);
    expect(await bob.client.request({ type: 'sync', sincePts: head })).toEqual({ status: 'ok', entries: [], pts: head, more: false });
    const all = await bob.client.request({ type: 'sync', sincePts: 0 });
    if (all.status !== 'ok') throw new Error('expected ok');
    expect(all.entries.map((e) => e.pts)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  });
});

describe('delivered receipts', () => {
  it('[RCPT-1] the recipient\'s delivered reaches every device of the sender as a `delivered` event', async () => {
    const ack = await alice.client.send(conversationId, 'did you get this?');
    const head = await ptsOf(alice.client);
    const bobHead = await ptsOf(bob.client);
    expect(await bob.client.request({ type: 'delivered', conversationId, seq: ack.seq })).toEqual({});
    const expected = { type: 'delivered', conversationId, userId: bob.userId, seq: ack.seq };
    const [a1] = await alice.client.pushesFrom(head, 1);
    const [a2] = await alice2.pushesFrom(head, 1);
    // The recipient's own devices get no receipt for their own delivery.
    expect(await ptsOf(bob.client)).toBe(bobHead);
    expect(bob.client.pushes.some((p) => p.event.type === 'delivered')).toBe(false);
    expect(a1?.event).toEqual(expected);
    expect(a2).toEqual(a1);
    const boot = await alice.client.request({ type: 'bootstrap' });
    expect(boot.conversations.find((c) => c.id === conversationId)?.peerDeliveredSeq).toBe(ack.seq);
  });

  it('[RCPT-2] delivered never moves backwards: an older or equal seq is accepted but changes and pushes nothing', async () => {
    const { lastSeq } = await bob.client.request({ type: 'history', conversationId, limit: 1 });
    const before = await ptsOf(alice.client);
    const snapshot = dbSnapshot(server.config.dataFile);
    expect(await bob.client.request({ type: 'delivered', conversationId, seq: lastSeq - 3 })).toEqual({});
    expect(await bob.client.request({ type: 'delivered', conversationId, seq: lastSeq })).toEqual({});
    expect(dbSnapshot(server.config.dataFile)).toEqual(snapshot);
    expect(await ptsOf(alice.client)).toBe(before);
    // The next thing Alice hears is the next real event.
    const next = await alice.client.send(conversationId, 'one more');
    await bob.client.request({ type: 'delivered', conversationId, seq: next.seq + 50 });
    const pushes = await alice.client.pushesFrom(before, 2);
    expect(pushes.map((p) => p.event.type)).toEqual(['message', 'delivered']);
    // A position past the head is clamped to the head.
    expect(pushes[1]?.event).toEqual({ type: 'delivered', conversationId, userId: bob.userId, seq: next.seq });
    const boot = await alice.client.request({ type: 'bootstrap' });
    expect(boot.conversations.find((c) => c.id === conversationId)?.peerDeliveredSeq).toBe(next.seq);
  });
});
