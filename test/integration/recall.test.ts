/**
 * Recall (消息撤回): the sender within the window, a group owner/admin at any time; the body is
 * erased from the server's tables (not flagged) and from every member's devices, online or not.
 */
import 'fake-indexeddb/auto';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TidingsClient } from '../../src/sync/client';
import '../support/quiet-logs';
import { signIn } from '../support/http';
import { requestError } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';
import { until } from '../support/until';

/** The recall window in these tests is 20 ms: waiting it out is the point. */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const h = new Harness();
afterAll(() => h.close());

/** Every text column of the server's file, to prove a body is gone (not merely hidden). */
function serverHolds(server: TestServer, text: string): boolean {
  const db = new Database(server.config.dataFile, { readonly: true });
  try {
    const hit = (sql: string) => (db.prepare(sql).all(`%${text}%`) as unknown[]).length > 0;
    return hit('SELECT 1 FROM messages WHERE content LIKE ?') || hit('SELECT 1 FROM inbox WHERE payload LIKE ?');
  } finally {
    db.close();
  }
}


describe('recall', () => {
  it('[RECALL-1] the sender recalls within the window: the body is erased on the server and every device hears of it', async () => {
    const server = await h.start();
    const alice = await h.user(server, 'alice');
    const bob = await h.user(server, 'bob');
    const alicePhone = await h.otherDevice(server, 'alice');
    const conversationId = (await alice.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    const secret = 'meet me at the old mill';
    const { seq } = await alice.client.send(conversationId, secret);
    expect(serverHolds(server, 'old mill')).toBe(true);
    const heads = await Promise.all([bob.client, alicePhone.client].map(async (c) => ({ c, pts: (await c.request({ type: 'bootstrap' })).pts })));

    expect(await alice.client.request({ type: 'recall', conversationId, seq })).toEqual({});
    // Pushed as an inbox event to every member device, the sender's other device included.
    for (const { c, pts } of heads) {
      const push = await c.pushWithPts(pts + 1);
      expect(push.event).toMatchObject({ type: 'recall', conversationId, seq, by: alice.userId });
    }
    expect(serverHolds(server, 'old mill')).toBe(false);
    // Not in a free page of the file either (secure_delete), once the WAL is checkpointed.
    const file = new Database(server.config.dataFile);
    file.pragma('wal_checkpoint(TRUNCATE)');
    file.close();
    expect(readFileSync(server.config.dataFile).includes('old mill')).toBe(false);
    const page = await bob.client.request({ type: 'history', conversationId, limit: 10 });
    expect(page.messages.find((m) => m.seq === seq)).toMatchObject({ text: '', recalledBy: alice.userId });
    // An old message event read by sync now comes erased as well.
    const sync = await bob.client.request({ type: 'sync', sincePts: 0 });
    expect(JSON.stringify(sync)).not.toContain('old mill');
    // Recalling again changes nothing.
    const snap = dbSnapshot(server.config.dataFile);
    expect(await alice.client.request({ type: 'recall', conversationId, seq })).toEqual({});
    expect(dbSnapshot(server.config.dataFile)).toEqual(snap);
  });

  it('[RECALL-2] past the window the sender is refused with a typed error and nothing changes', async () => {
    const server = await h.start({ recallWindowMs: 20 });
    const alice = await h.user(server, 'alice');
    await h.user(server, 'bob');
    const conversationId = (await alice.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    const { seq } = await alice.client.send(conversationId, 'too late to take back');
    await pause(60);
    const snap = dbSnapshot(server.config.dataFile);
    const err = await requestError(alice.client.socket, { type: 'recall', conversationId, seq });
    expect(err.code).toBe('forbidden');
    expect(err.message).toMatch(/recalled for/);
    expect(dbSnapshot(server.config.dataFile)).toEqual(snap);
  });

  it('[RECALL-3] nobody recalls someone else\'s message in a one-to-one chat; outsiders get not_found; system lines stay', async () => {
    const server = await h.start();
    const alice = await h.user(server, 'alice');
    const bob = await h.user(server, 'bob');
    const eve = await h.user(server, 'eve');
    const conversationId = (await alice.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    const { seq } = await alice.client.send(conversationId, 'mine to recall');
    const snap = dbSnapshot(server.config.dataFile);
    expect((await requestError(bob.client.socket, { type: 'recall', conversationId, seq })).code).toBe('forbidden');
    expect((await requestError(eve.client.socket, { type: 'recall', conversationId, seq })).code).toBe('not_found');
    expect((await requestError(alice.client.socket, { type: 'recall', conversationId, seq: seq + 5 })).code).toBe('not_found');
    expect(dbSnapshot(server.config.dataFile)).toEqual(snap);
    const group = (await alice.client.request({ type: 'createGroup', name: 'G', usernames: ['bob'] })).conversation.id;
    expect((await requestError(alice.client.socket, { type: 'recall', conversationId: group, seq: 1 })).code).toBe('bad_request');
  });

  it('[RECALL-4] a group owner or admin recalls any message at any time; a plain member only their own', async () => {
    const server = await h.start({ recallWindowMs: 20 });
    const owner = await h.user(server, 'owner');
    const admin = await h.user(server, 'admin');
    const member = await h.user(server, 'member');
    const group = (await owner.client.request({ type: 'createGroup', name: 'Club', usernames: ['admin', 'member'] })).conversation.id;
    await owner.client.request({ type: 'setRole', conversationId: group, userId: admin.userId, role: 'admin' });
    const a = await member.client.send(group, 'spam one');
    const b = await member.client.send(group, 'spam two');
    const c = await owner.client.send(group, 'owner speaks');
    await pause(60);
    expect((await requestError(member.client.socket, { type: 'recall', conversationId: group, seq: c.seq })).code).toBe('forbidden');
    expect(await admin.client.request({ type: 'recall', conversationId: group, seq: a.seq })).toEqual({});
    expect(await owner.client.request({ type: 'recall', conversationId: group, seq: b.seq })).toEqual({});
    expect(serverHolds(server, 'spam')).toBe(false);
    const page = await member.client.request({ type: 'history', conversationId: group, limit: 20 });
    expect(page.messages.filter((m) => m.recalledBy).map((m) => [m.seq, m.recalledBy])).toEqual([
      [a.seq, admin.userId],
      [b.seq, owner.userId],
    ]);
  });

  it('[RECALL-5] in a group above the fan-out threshold the erased message goes out on the room', async () => {
    const server = await h.start({ inboxFanoutMax: 2 });
    const owner = await h.user(server, 'owner');
    const member = await h.user(server, 'member');
    const group = (await owner.client.request({ type: 'createGroup', name: 'Big', usernames: ['member'] })).conversation.id;
    const rooms: unknown[] = [];
    member.client.socket.on('room', (m: unknown) => rooms.push(m));
    // The member's socket joins the group's room when the group is created.
    const bySeq = (seq: number) => rooms.filter((m) => (m as { seq?: number }).seq === seq) as { text: string; recalledBy: string | null }[];
    const { seq } = await owner.client.send(group, 'room-path secret');
    await until('the message on the room', async () => bySeq(seq).length >= 1);
    expect(bySeq(seq)[0]).toMatchObject({ text: 'room-path secret', recalledBy: null });
    await owner.client.request({ type: 'recall', conversationId: group, seq });
    await until('the erased message on the room', async () => bySeq(seq).length >= 2);
    expect(bySeq(seq)[1]).toMatchObject({ conversationId: group, seq, text: '', recalledBy: owner.userId });
  });

  it('[RECALL-6] a device that was offline erases the body from its own store when it reconnects', async () => {
    const server = await h.start();
    const alice = await h.user(server, 'alice');
    await h.user(server, 'bob');
    const conversationId = (await alice.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    const bobSession = await signIn(server.url, 'bob');
    const device = new TidingsClient({ ...bobSession, serverUrl: server.url }, { dbName: `recall-${Date.now()}`, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
    try {
      // A new device starts from the current pts: it must be live before the message is sent.
      await until('the device live', async () => device.engine.currentStatus === 'live');
      const { seq } = await alice.client.send(conversationId, 'the password is swordfish');
      const stored = () => device.db.messages.filter((m) => m.seq === seq && m.conversationId === conversationId).first();
      await until('the message on the device', async () => (await stored())?.text === 'the password is swordfish');
      device.disconnect();
      await alice.client.request({ type: 'recall', conversationId, seq });
      device.connect();
      await until('the recall applied', async () => (await stored())?.recalledBy === alice.userId);
      expect((await stored())?.text).toBe('');
      const anywhere = await device.db.messages.filter((m) => m.text.includes('swordfish')).count();
      expect(anywhere).toBe(0);
      expect((await device.db.conversations.get(conversationId))?.lastMessage).toMatchObject({ text: '', recalledBy: alice.userId });
    } finally {
      device.close();
    }
  });

  /** A device of `username` on the project's own client, live before it returns. */
  async function liveDevice(server: TestServer, username: string): Promise<TidingsClient> {
    const session = await signIn(server.url, username);
    const device = new TidingsClient(
      { ...session, serverUrl: server.url },
      { dbName: `recall-${username}-${Date.now()}-${Math.random()}`, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } },
    );
    await until('the device live', async () => device.engine.currentStatus === 'live');
    return device;
  }

  const heldText = (device: TidingsClient, conversationId: string, seq: number) =>
    device.db.messages.filter((m) => m.seq === seq && m.conversationId === conversationId).first().then((m) => m?.text);

  it('[RECALL-7] a big group\'s recall pushed on the room while a device was offline is erased there when it reconnects', async () => {
    // Room path: no inbox events, so no recall event to pull; the device catches up by number.
    const server = await h.start({ inboxFanoutMax: 2 });
    const owner = await h.user(server, 'owner');
    await h.user(server, 'member');
    const group = (await owner.client.request({ type: 'createGroup', name: 'Big', usernames: ['member'] })).conversation.id;
    const device = await liveDevice(server, 'member');
    try {
      const kept = await owner.client.send(group, 'this one stays');
      const gone = await owner.client.send(group, 'the vault code is 4711');
      const other = await owner.client.send(group, 'and so is this');
      await until('both messages on the device', async () => (await heldText(device, group, other.seq)) === 'and so is this');
      device.disconnect();
      await owner.client.request({ type: 'recall', conversationId: group, seq: gone.seq });
      await owner.client.request({ type: 'recall', conversationId: group, seq: other.seq });
      device.connect();
      await until('the recalls erased on the device', async () => (await heldText(device, group, other.seq)) === '');
      expect(await heldText(device, group, gone.seq)).toBe('');
      expect(await heldText(device, group, kept.seq)).toBe('this one stays');
      expect(await device.db.messages.filter((m) => m.text.includes('4711')).count()).toBe(0);
      // The search index no longer finds it, and the list preview is erased.
      expect(await device.db.messages.where('tokens').startsWith('4711').count()).toBe(0);
      const conv = await device.db.conversations.get(group);
      expect(conv?.lastMessage).toMatchObject({ seq: other.seq, text: '', recalledBy: owner.userId });
      expect(conv?.recallsSeen).toBe(2);
    } finally {
      device.close();
    }
  });

  it('[RECALL-7] a member added back erases what was recalled while they were out, on a device online all along', async () => {
    const server = await h.start();
    const owner = await h.user(server, 'owner');
    await h.user(server, 'carol');
    const group = (await owner.client.request({ type: 'createGroup', name: 'Club', usernames: ['carol'] })).conversation.id;
    const device = await liveDevice(server, 'carol');
    try {
      const { seq } = await owner.client.send(group, 'the safe is behind the painting');
      await until('the message on her device', async () => (await heldText(device, group, seq)) === 'the safe is behind the painting');
      const carolId = (await device.db.users.where('username').equals('carol').first())?.id ?? device.me;
      await owner.client.request({ type: 'removeMember', conversationId: group, userId: carolId });
      await until('her removal on her device', async () => (await device.db.conversations.get(group))?.leftSeq != null);
      // Recalled while she is out: no recall event is hers.
      await owner.client.request({ type: 'recall', conversationId: group, seq });
      await owner.client.request({ type: 'addMembers', conversationId: group, usernames: ['carol'] });
      await until('the text erased on her device', async () => (await heldText(device, group, seq)) === '');
      expect(await device.db.messages.filter((m) => m.text.includes('painting')).count()).toBe(0);
    } finally {
      device.close();
    }
  });

  it('[RECALL-7] a device whose inbox expired while it was away erases what was recalled meanwhile', async () => {
    const server = await h.start();
    const alice = await h.user(server, 'alice');
    await h.user(server, 'bob');
    const conversationId = (await alice.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    const device = await liveDevice(server, 'bob');
    try {
      const { seq } = await alice.client.send(conversationId, 'the ferry leaves at dawn');
      await until('the message on the device', async () => (await heldText(device, conversationId, seq)) === 'the ferry leaves at dawn');
      device.disconnect();
      await alice.client.request({ type: 'recall', conversationId, seq });
      // Every event the device has not pulled, the recall's among them, passes the retention.
      expect(await server.storage.pruneInbox(Date.now() + 1)).toBeGreaterThan(0);
      device.connect();
      await until('the recall erased on the device', async () => (await heldText(device, conversationId, seq)) === '');
      expect(await device.db.messages.filter((m) => m.text.includes('ferry')).count()).toBe(0);
      expect((await device.db.conversations.get(conversationId))?.lastMessage).toMatchObject({ text: '', recalledBy: alice.userId });
    } finally {
      device.close();
    }
  });
});
