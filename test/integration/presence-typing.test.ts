/**
 * The ephemeral side of the socket against a real server: `hello` on every connection,
 * presence (online / away / offline with last seen) pushed to one-to-one peers and asked for by
 * those who share a conversation, and typing relayed to the other members' devices, never
 * stored. Nothing here sleeps: every step awaits the event it causes, and "nothing arrived"
 * is checked after a request round trip on the same socket (the server sends in order).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { AWAY_AFTER_MS, HelloSchema, PresenceSchema, SOCKET_EVENTS, TypingEventSchema, type Hello, type Presence, type TypingEvent } from '../../src/protocol';
import { createAccount, signIn } from '../support/http';
import { EVENT_TIMEOUT_MS, handshakeAuth, requestError, TestClient } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';
import { Waiters } from '../support/waiters';

const h = new Harness();
const opened: TestClient[] = [];
afterAll(async () => {
  for (const c of opened) c.close();
  await h.close();
});

/** What a socket heard outside the inbox, recorded from the moment it was created. */
class Heard {
  readonly hello: Hello[] = [];
  readonly typing: TypingEvent[] = [];
  readonly presence: Presence[] = [];
  private readonly waiters = new Waiters(EVENT_TIMEOUT_MS);

  constructor(socket: Socket) {
    socket.on(SOCKET_EVENTS.hello, (p: unknown) => this.add(this.hello, HelloSchema.parse(p)));
    socket.on(SOCKET_EVENTS.typing, (p: unknown) => this.add(this.typing, TypingEventSchema.parse(p)));
    socket.on(SOCKET_EVENTS.presence, (p: unknown) => this.add(this.presence, PresenceSchema.parse(p)));
  }

  private add<T>(list: T[], item: T): void {
    list.push(item);
    this.waiters.wake();
  }

  until(ready: () => boolean, what: string): Promise<void> {
    return this.waiters.until(ready, what);
  }
}

interface Device {
  client: TestClient;
  heard: Heard;
}

/** Connects a device whose listeners are in place before the handshake (so `hello` is caught). */
async function device(server: TestServer, token: string): Promise<Device> {
  const socket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: handshakeAuth(token) });
  const heard = new Heard(socket);
  const client = new TestClient(socket);
  opened.push(client);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { client, heard };
}

/** A request round trip: whatever the server sent this socket before it answered has arrived. */
const settled = async (d: Device) => {
  await d.client.request({ type: 'bootstrap' });
};
const ptsOf = async (d: Device) => (await d.client.request({ type: 'bootstrap' })).pts;

describe('hello', () => {
  it('[HELLO-1] every connection starts with hello: the recall window and the server\'s clock; it is not an inbox event', async () => {
    const server = await h.start({ recallWindowMs: 45_000 });
    const session = await createAccount(server.url, 'alice');
    for (let i = 0; i < 2; i++) {
      const before = Date.now();
      const d = await device(server, session.token);
      await d.heard.until(() => d.heard.hello.length >= 1, 'hello');
      expect(d.heard.hello).toEqual([{ recallWindowMs: 45_000, serverTime: expect.any(Number) }]);
      expect(d.heard.hello[0]!.serverTime).toBeGreaterThanOrEqual(before);
      expect(d.heard.hello[0]!.serverTime).toBeLessThanOrEqual(Date.now());
      expect(await ptsOf(d)).toBe(0);
      d.client.close(); // the next round is a new connection of the same device
      await d.client.disconnected();
    }
  });
});

describe('presence', () => {
  it('[PRES-1] online, away (idle on every device), offline with last seen: each change pushed to one-to-one peers only', async () => {
    const server = await h.start();
    const alice = await createAccount(server.url, 'alice');
    const bob = await device(server, (await createAccount(server.url, 'bob')).token);
    const carol = await device(server, (await createAccount(server.url, 'carol')).token);
    await bob.client.request({ type: 'openDirect', username: 'alice' });
    await carol.client.request({ type: 'createGroup', name: 'Walkers', usernames: ['alice'] }); // a group only
    const ofAlice = (d: Device) => d.heard.presence.filter((p) => p.userId === alice.user.id);
    const nth = async (n: number) => {
      await bob.heard.until(() => ofAlice(bob).length >= n, `presence change #${n}`);
      return ofAlice(bob)[n - 1]!;
    };

    const connecting = Date.now();
    const laptop = await device(server, alice.token);
    const online = await nth(1);
    expect(online).toEqual({ userId: alice.user.id, state: 'online', lastSeenAt: expect.any(Number) });
    expect(online.lastSeenAt).toBeGreaterThanOrEqual(connecting);
    // A second device, and idle on one of two: still online, nothing pushed.
    const phone = await device(server, (await signIn(server.url, 'alice')).token);
    await laptop.client.request({ type: 'activity', active: false });
    const idle = Date.now();
    await phone.client.request({ type: 'activity', active: false });
    const away = await nth(2);
    expect(away.state).toBe('away');
    expect(away.lastSeenAt).toBeGreaterThanOrEqual(idle - AWAY_AFTER_MS);
    expect(away.lastSeenAt).toBeLessThanOrEqual(Date.now());
    await phone.client.request({ type: 'activity', active: true });
    expect((await nth(3)).state).toBe('online');
    // The active device goes: the idle one left makes her away.
    phone.client.close();
    expect((await nth(4)).state).toBe('away');
    await laptop.client.request({ type: 'activity', active: true });
    expect((await nth(5)).state).toBe('online');
    const leaving = Date.now();
    laptop.client.close();
    const offline = await nth(6);
    expect(offline).toMatchObject({ userId: alice.user.id, state: 'offline' });
    expect(offline.lastSeenAt).toBeGreaterThanOrEqual(leaving);
    expect(offline.lastSeenAt).toBeLessThanOrEqual(Date.now());
    expect(ofAlice(bob).map((p) => p.state)).toEqual(['online', 'away', 'online', 'away', 'online', 'offline']);
    // Asked for, it says the same; someone who shares only a group was not pushed any of it.
    expect(await bob.client.request({ type: 'presence', userIds: [alice.user.id] })).toEqual({ presence: [offline] });
    await settled(carol);
    expect(ofAlice(carol)).toEqual([]);
    expect(ofAlice(bob)).toHaveLength(6);
  });

  it('[PRES-2] a presence request answers only for people who share a conversation with the caller; others are left out', async () => {
    const server = await h.start();
    const [alice, bob, carol, dave, eve] = await Promise.all(['alice', 'bob', 'carol', 'dave', 'eve'].map((n) => createAccount(server.url, n)));
    const a = await device(server, alice!.token);
    const b = await device(server, bob!.token);
    const d = await device(server, dave!.token);
    await device(server, eve!.token);
    await a.client.request({ type: 'openDirect', username: 'bob' });
    const group = (await a.client.request({ type: 'createGroup', name: 'Trio', usernames: ['carol', 'eve'] })).conversation.id;
    await a.client.request({ type: 'removeMember', conversationId: group, userId: eve!.user.id });

    const asked = [bob, carol, dave, eve].map((u) => u!.user.id).concat('99999');
    const { presence } = await a.client.request({ type: 'presence', userIds: asked });
    expect([...presence].sort((x, y) => x.userId.localeCompare(y.userId))).toEqual([
      { userId: bob!.user.id, state: 'online', lastSeenAt: expect.any(Number) },
      { userId: carol!.user.id, state: 'offline', lastSeenAt: null }, // never connected
    ]);
    expect(await d.client.request({ type: 'presence', userIds: [alice!.user.id, bob!.user.id] })).toEqual({ presence: [] });
    expect((await b.client.request({ type: 'presence', userIds: [alice!.user.id] })).presence.map((p) => p.state)).toEqual(['online']);
  });
});

describe('typing', () => {
  it('[TYPING-1] typing reaches every device of the other member, not the typist\'s own devices, and is never stored', async () => {
    const server = await h.start();
    const alice = await createAccount(server.url, 'alice');
    const bob = await createAccount(server.url, 'bob');
    const laptop = await device(server, alice.token);
    const phone = await device(server, (await signIn(server.url, 'alice')).token);
    const bobs = [await device(server, bob.token), await device(server, (await signIn(server.url, 'bob')).token)];
    const carol = await device(server, (await createAccount(server.url, 'carol')).token);
    const conversationId = (await laptop.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    const pts = await Promise.all([laptop, bobs[0]!].map(ptsOf));
    const snapshot = dbSnapshot(server.config.dataFile);

    expect(await laptop.client.request({ type: 'typing', conversationId })).toEqual({});
    for (const b of bobs) {
      await b.heard.until(() => b.heard.typing.length >= 1, 'typing');
      expect(b.heard.typing).toEqual([{ conversationId, userId: alice.user.id }]);
    }
    for (const own of [laptop, phone]) {
      await settled(own);
      expect(own.heard.typing).toEqual([]);
    }
    expect(await Promise.all([laptop, bobs[0]!].map(ptsOf))).toEqual(pts);
    expect(bobs[0]!.client.pushes.filter((p) => p.pts > pts[1]!)).toEqual([]);
    expect(dbSnapshot(server.config.dataFile)).toEqual(snapshot);

    // An outsider is refused, and nobody hears of it.
    expect((await requestError(carol.client.socket, { type: 'typing', conversationId })).code).toBe('not_found');
    await settled(bobs[0]!);
    expect(bobs[0]!.heard.typing).toHaveLength(1);
  });

  it('[TYPING-2] in a group typing reaches the other members\' devices; the typist\'s, outsiders\' and removed members\' hear nothing', async () => {
    const server = await h.start();
    const names = ['owner', 'ann', 'ben', 'out', 'gone'];
    const sessions = await Promise.all(names.map((n) => createAccount(server.url, n)));
    const [owner, ann, ben, out, gone] = await Promise.all(sessions.map((s) => device(server, s.token)));
    const ownerPhone = await device(server, (await signIn(server.url, 'owner')).token);
    const group = (await owner!.client.request({ type: 'createGroup', name: 'Crew', usernames: ['ann', 'ben', 'gone'] })).conversation.id;
    await owner!.client.request({ type: 'removeMember', conversationId: group, userId: sessions[4]!.user.id });

    await ann!.client.request({ type: 'typing', conversationId: group });
    const expected = [{ conversationId: group, userId: sessions[1]!.user.id }];
    for (const d of [owner!, ownerPhone, ben!]) {
      await d.heard.until(() => d.heard.typing.length >= 1, 'typing in the group');
      expect(d.heard.typing).toEqual(expected);
    }
    for (const d of [ann!, out!, gone!]) {
      await settled(d);
      expect(d.heard.typing).toEqual([]);
    }
    expect((await requestError(out!.client.socket, { type: 'typing', conversationId: group })).code).toBe('not_found');
    expect((await requestError(gone!.client.socket, { type: 'typing', conversationId: group })).code).toBe('not_found');
    await settled(ben!);
    expect(ben!.heard.typing).toEqual(expected);
  });
});
