/**
 * Settings that follow the user, against a real server: pin and notifications per conversation
 * and do not disturb reach only the user's own devices (pushed, or pulled as they are now),
 * devices are listed and signed out at once, @mentions keep only what holds when the message is
 * stored, and the @mention picker finds members by the start of their names.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PREFS, type ConversationSummary, type Mentions } from '../../src/protocol';
import { createAccount, signIn, signOut } from '../support/http';
import { connectRefused, handshakeAuth, requestError, type TestClient } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';

const h = new Harness();
let server: TestServer;
let alice: { userId: string; client: TestClient };
let alicePhone: TestClient;
let bob: { userId: string; client: TestClient };
let carol: { userId: string; client: TestClient };
let direct: string;
/** Alice owns it; Bob and Carol are members. */
let group: string;

const ptsOf = async (c: TestClient) => (await c.request({ type: 'bootstrap' })).pts;
const summaryOf = async (c: TestClient, conversationId: string): Promise<ConversationSummary> => {
  const found = (await c.request({ type: 'bootstrap' })).conversations.find((x) => x.id === conversationId);
  if (!found) throw new Error(`no ${conversationId} in the bootstrap`);
  return found;
};
const snapshot = () => dbSnapshot(server.config.dataFile);
const sendMentioning = (conversationId: string, text: string, mentions: Mentions) =>
  ({ type: 'send', conversationId, clientMsgId: randomUUID(), text, mentions }) as const;
/** Spins (≤ 1 ms, no timers) until the clock is past now: the next step gets a later millisecond. */
const nextMs = () => {
  const now = Date.now();
  while (Date.now() <= now) {
    // spin
  }
};
/** Waits for the `revoked` event and the server's disconnect. */
async function expectSignedOut(c: TestClient) {
  await c.waitUntil(() => c.revokedWith !== null, 'the revoked event');
  expect(c.revokedWith).toMatchObject({ code: 'unauthorized' });
  expect(await c.disconnected()).toBe('io server disconnect');
}

beforeAll(async () => {
  // Many accounts here; and no sweep during the tests, so only connecting notes a device active.
  server = await h.start({ authPerMinute: 1_000, sessionSweepMs: 3_600_000 });
  alice = await h.user(server, 'alice');
  alicePhone = (await h.otherDevice(server, 'alice')).client;
  bob = await h.user(server, 'bob');
  carol = await h.user(server, 'carol');
  direct = (await alice.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
  group = (await alice.client.request({ type: 'createGroup', name: 'Settings', usernames: ['bob', 'carol'] })).conversation.id;
});
afterAll(() => h.close());

describe('conversation settings', () => {
  it('[SET-1] a change reaches the user\'s own devices as a `settings` event with the current values; other members see nothing', async () => {
    const [alicePts, bobPts, carolPts] = await Promise.all([alice.client, bob.client, carol.client].map(ptsOf));
    expect(await alicePhone.request({ type: 'conversationSettings', conversationId: group, pinned: true })).toEqual({});
    const pinned = { type: 'settings', conversationId: group, pinned: true, notify: 'all' };
    for (const c of [alice.client, alicePhone]) expect((await c.pushesFrom(alicePts!, 1)).map((p) => p.event)).toEqual([pinned]);
    await alice.client.request({ type: 'conversationSettings', conversationId: group, notify: 'mentions' });
    const [next] = await alicePhone.pushesFrom(alicePts! + 1, 1);
    expect(next?.event).toEqual({ ...pinned, notify: 'mentions' });
    expect(await Promise.all([bob.client, carol.client].map(ptsOf))).toEqual([bobPts, carolPts]);
    for (const c of [bob.client, carol.client]) expect(await summaryOf(c, group)).toMatchObject({ pinned: false, notify: 'all' });
    expect(await summaryOf(alicePhone, group)).toMatchObject({ pinned: true, notify: 'mentions' });
  });

  it('[SET-2] omitted fields stay, unchanged values write nothing, and nothing to change is bad_request', async () => {
    const alicePts = await ptsOf(alice.client);
    await alice.client.request({ type: 'conversationSettings', conversationId: direct, notify: 'muted' });
    await alicePhone.request({ type: 'conversationSettings', conversationId: direct, pinned: true });
    expect((await alice.client.pushesFrom(alicePts, 2)).map((p) => p.event)).toEqual([
      { type: 'settings', conversationId: direct, pinned: false, notify: 'muted' },
      { type: 'settings', conversationId: direct, pinned: true, notify: 'muted' },
    ]);
    const before = snapshot();
    for (const same of [{ pinned: true }, { notify: 'muted' as const }, { pinned: true, notify: 'muted' as const }]) {
      expect(await alicePhone.request({ type: 'conversationSettings', conversationId: direct, ...same })).toEqual({});
    }
    expect((await requestError(alice.client.socket, { type: 'conversationSettings', conversationId: direct })).code).toBe('bad_request');
    expect((await requestError(alice.client.socket, { type: 'conversationSettings', conversationId: direct, notify: 'loud' })).code).toBe('bad_request');
    expect(snapshot()).toEqual(before);
    expect(await ptsOf(alice.client)).toBe(alicePts + 2);
  });

  it('[SET-3] only a current member changes settings: others get not_found and nothing changes', async () => {
    const left = (await alice.client.request({ type: 'createGroup', name: 'Leavers', usernames: ['carol'] })).conversation.id;
    await carol.client.request({ type: 'leaveGroup', conversationId: left });
    const before = snapshot();
    for (const [c, conversationId] of [[carol.client, left], [carol.client, direct], [carol.client, 'g_404']] as const) {
      expect((await requestError(c.socket, { type: 'conversationSettings', conversationId, pinned: true })).code).toBe('not_found');
    }
    expect(snapshot()).toEqual(before);
  });

  it('[SET-4] pulled `settings` and `conversation` events read the settings as they are now; bootstrap and openDirect carry them', async () => {
    await alice.client.request({ type: 'conversationSettings', conversationId: direct, pinned: true, notify: 'muted' });
    const alicePts = await ptsOf(alice.client);
    for (const change of [{ notify: 'all' }, { pinned: false }, { notify: 'mentions' }] as const) {
      await alicePhone.request({ type: 'conversationSettings', conversationId: group, ...change });
    }
    const now = { [group]: { pinned: false, notify: 'mentions' }, [direct]: { pinned: true, notify: 'muted' } };
    const fresh = (await h.otherDevice(server, 'alice')).client;
    const page = await fresh.request({ type: 'sync', sincePts: 0 });
    if (page.status !== 'ok') throw new Error('expected ok');
    const late = page.entries.filter((e) => e.pts > alicePts).map((e) => e.event);
    expect(late).toEqual(Array.from({ length: 3 }, () => ({ type: 'settings', conversationId: group, ...now[group] })));
    const joined = page.entries.flatMap((e) => (e.event.type === 'conversation' ? [e.event.conversation] : []));
    for (const id of [group, direct]) expect(joined.find((c) => c.id === id)).toMatchObject(now[id]!);
    for (const id of [group, direct]) expect(await summaryOf(fresh, id)).toMatchObject(now[id]!);
    expect((await alicePhone.request({ type: 'openDirect', username: 'bob' })).conversation).toMatchObject({ id: direct, ...now[direct] });
    expect((await bob.client.request({ type: 'openDirect', username: 'alice' })).conversation).toMatchObject({ id: direct, pinned: false, notify: 'all' });
  });
});

describe('prefs', () => {
  it('[PREFS-1] prefs are replaced whole and reach the user\'s devices; unchanged writes nothing; bootstrap and pulls read them as they are now', async () => {
    const [alicePts, bobPts] = await Promise.all([alice.client, bob.client].map(ptsOf));
    expect((await alicePhone.request({ type: 'bootstrap' })).prefs).toEqual(DEFAULT_PREFS);
    const night = { dnd: { on: true, from: '22:00', to: '07:00' } };
    expect(await alicePhone.request({ type: 'prefs', prefs: night })).toEqual({});
    for (const c of [alice.client, alicePhone]) expect((await c.pushesFrom(alicePts!, 1)).map((p) => p.event)).toEqual([{ type: 'prefs', prefs: night }]);
    await alice.client.request({ type: 'prefs', prefs: night });
    expect(await ptsOf(alice.client)).toBe(alicePts! + 1);
    expect((await alice.client.request({ type: 'bootstrap' })).prefs).toEqual(night);
    const always = { dnd: { on: true, from: null, to: null } };
    await alice.client.request({ type: 'prefs', prefs: always });
    const [replaced] = await alicePhone.pushesFrom(alicePts! + 1, 1);
    expect(replaced?.event).toEqual({ type: 'prefs', prefs: always });
    const page = await alicePhone.request({ type: 'sync', sincePts: alicePts! });
    expect(page).toMatchObject({ status: 'ok', entries: [{ event: { type: 'prefs', prefs: always } }, { event: { type: 'prefs', prefs: always } }] });
    expect(await ptsOf(bob.client)).toBe(bobPts);
    expect((await bob.client.request({ type: 'bootstrap' })).prefs).toEqual(DEFAULT_PREFS);
  });

  it('[PREFS-2] times that are not HH:MM (24 h) are bad_request and change nothing', async () => {
    const before = snapshot();
    const prefs = (await alice.client.request({ type: 'bootstrap' })).prefs;
    for (const bad of ['24:00', '7:00', '07:60', '07:5', '07:00:00', '0700', ' 07:00', '']) {
      for (const dnd of [{ on: true, from: bad, to: '07:00' }, { on: true, from: '22:00', to: bad }]) {
        expect((await requestError(alice.client.socket, { type: 'prefs', prefs: { dnd } })).code, JSON.stringify(dnd)).toBe('bad_request');
      }
    }
    expect((await requestError(alice.client.socket, { type: 'prefs', prefs: { dnd: { on: true, from: '22:00' } } })).code).toBe('bad_request');
    expect(snapshot()).toEqual(before);
    expect((await alicePhone.request({ type: 'bootstrap' })).prefs).toEqual(prefs);
  });
});

describe('profile', () => {
  it('[PROFILE-2] a new display name reaches the user\'s other devices and the people they chat with at once; a bad one or the sixth in a minute changes nothing', async () => {
    const own = await h.user(server, 'gus');
    const pal = await h.user(server, 'hal');
    const stranger = await h.user(server, 'ivy');
    await own.client.request({ type: 'openDirect', username: 'hal' });
    const [palPts, strangerPts] = [await ptsOf(pal.client), await ptsOf(stranger.client)];
    const answer = await own.client.request({ type: 'profile', displayName: '  Gus the Great  ' });
    const renamed = { id: own.userId, username: 'gus', displayName: 'Gus the Great' };
    expect(answer).toEqual({ user: renamed });
    const [told] = await pal.client.pushesFrom(palPts, 1);
    expect(told?.event).toEqual({ type: 'user', user: renamed });
    expect(await ptsOf(stranger.client)).toBe(strangerPts);
    expect((await stranger.client.request({ type: 'users', ids: [own.userId] })).users).toEqual([renamed]);

    const before = snapshot();
    for (const displayName of ['a\u202eb', 'x'.repeat(65), 'zero\u200bwidth']) {
      expect((await requestError(own.client.socket, { type: 'profile', displayName })).code).toBe('bad_request');
    }
    expect(snapshot()).toEqual(before);
    // Each change tells everyone sharing a conversation: five a minute, then a typed refusal.
    for (const n of [2, 3, 4, 5]) await own.client.request({ type: 'profile', displayName: `Gus ${n}` });
    const limited = snapshot();
    expect(await requestError(own.client.socket, { type: 'profile', displayName: 'Gus 6' })).toMatchObject({ code: 'rate_limited' });
    expect(snapshot()).toEqual(limited);
  });
});

describe('devices', () => {
  type Device = { token: string; deviceId: string };
  let dora: { laptop: Device & { client: TestClient }; phone: Device & { client: TestClient }; tablet: Device };

  it('[DEV-1] `devices` lists the sessions neither revoked nor expired, most recently active first, `current` for the asking device', async () => {
    const laptop = await createAccount(server.url, 'dora', { deviceName: 'Laptop' });
    const laptopClient = await h.connect(server, laptop.token);
    nextMs();
    const phone = await signIn(server.url, 'dora', { deviceName: 'Phone' });
    const phoneClient = await h.connect(server, phone.token);
    nextMs();
    const tablet = await signIn(server.url, 'dora', { deviceName: 'Tablet' }); // signed in, never connected
    const gone = await signIn(server.url, 'dora', { deviceName: 'Signed out' });
    expect((await signOut(server.url, gone.token)).status).toBe(204);
    dora = { laptop: { ...laptop, client: laptopClient }, phone: { ...phone, client: phoneClient }, tablet };

    const fromPhone = (await phoneClient.request({ type: 'devices' })).devices;
    expect(fromPhone.map((d) => [d.name, d.current])).toEqual([['Tablet', false], ['Phone', true], ['Laptop', false]]);
    expect(fromPhone.map((d) => d.id)).toEqual([tablet.deviceId, phone.deviceId, laptop.deviceId]);
    const times = fromPhone.map((d) => d.lastActiveAt);
    expect(times[0]).toBeGreaterThan(times[1]!);
    expect(times[1]).toBeGreaterThan(times[2]!);
    expect(fromPhone[0]?.lastActiveAt).toBe(fromPhone[0]?.createdAt);
    const fromLaptop = (await laptopClient.request({ type: 'devices' })).devices;
    expect(fromLaptop.filter((d) => d.current).map((d) => d.id)).toEqual([laptop.deviceId]);
    expect((await alice.client.request({ type: 'devices' })).devices.map((d) => d.id)).not.toContain(phone.deviceId);
  });

  it('[DEV-2] connecting notes the device active: its lastActiveAt moves to the connection and it comes first', async () => {
    const before = (await dora.phone.client.request({ type: 'devices' })).devices;
    nextMs();
    const connectedAt = Date.now();
    const tablet = await h.connect(server, dora.tablet.token);
    const after = (await tablet.request({ type: 'devices' })).devices;
    expect(after[0]).toMatchObject({ id: dora.tablet.deviceId, current: true });
    expect(after[0]?.lastActiveAt).toBeGreaterThanOrEqual(connectedAt);
    expect(after[0]?.lastActiveAt).toBeGreaterThan(before[0]!.lastActiveAt);
    nextMs();
    const again = Date.now();
    await h.connect(server, dora.laptop.token); // the laptop opens a second window
    const latest = (await dora.phone.client.request({ type: 'devices' })).devices;
    expect(latest.map((d) => d.id)).toEqual([dora.laptop.deviceId, dora.tablet.deviceId, dora.phone.deviceId]);
    expect(latest[0]?.lastActiveAt).toBeGreaterThanOrEqual(again);
  });

  it('[DEV-2] the session sweep notes connected devices active too', async () => {
    const swept = await h.start({ sessionSweepMs: 50 });
    const { client } = await h.user(swept, 'sweeper');
    const [first] = (await client.request({ type: 'devices' })).devices;
    await vi.waitFor(
      async () => expect((await client.request({ type: 'devices' })).devices[0]?.lastActiveAt).toBeGreaterThan(first!.lastActiveAt),
      { timeout: 5_000, interval: 20 },
    );
  });

  it('[DEV-3] only one\'s own devices can be revoked: another user\'s device is not_found and nothing changes', async () => {
    const before = snapshot();
    for (const deviceId of [dora.laptop.deviceId, '424242']) {
      expect((await requestError(alice.client.socket, { type: 'revokeDevice', deviceId })).code).toBe('not_found');
    }
    expect(snapshot()).toEqual(before);
    expect((await dora.laptop.client.request({ type: 'devices' })).devices).toHaveLength(3);
    expect(dora.laptop.client.revokedWith).toBeNull();
  });

  it('[DEV-4] a revoked device\'s sockets are told and closed at once, and its token is refused; the other devices stay', async () => {
    // Two windows of the phone; the sweep is an hour away, so only the revocation can close them.
    const phoneSession = await signIn(server.url, 'dora', { deviceName: 'Phone 2' });
    const windows = [await h.connect(server, phoneSession.token), await h.connect(server, phoneSession.token)];
    expect(await dora.laptop.client.request({ type: 'revokeDevice', deviceId: phoneSession.deviceId })).toEqual({});
    for (const w of windows) await expectSignedOut(w);
    expect(await connectRefused(server.url, { auth: handshakeAuth(phoneSession.token) })).toMatchObject({ code: 'unauthorized' });
    const left = (await dora.laptop.client.request({ type: 'devices' })).devices.map((d) => d.id);
    expect(left).not.toContain(phoneSession.deviceId);
    expect(left).toHaveLength(3);
    expect([dora.laptop.client.revokedWith, dora.phone.client.revokedWith]).toEqual([null, null]);
  });

  it('[DEV-6][DEV-7] a device is renamed from any of the account\'s devices; another user\'s or a bad name is refused and nothing changes', async () => {
    expect(await dora.laptop.client.request({ type: 'renameDevice', deviceId: dora.phone.deviceId, name: '  Dora’s phone  ' })).toEqual({});
    const listed = (await dora.phone.client.request({ type: 'devices' })).devices.find((d) => d.id === dora.phone.deviceId);
    expect(listed).toMatchObject({ name: 'Dora’s phone', current: true });
    const before = snapshot();
    expect((await requestError(alice.client.socket, { type: 'renameDevice', deviceId: dora.laptop.deviceId, name: 'Mine' })).code).toBe('not_found');
    for (const name of ['', '   ', 'a\u0000b', 'x'.repeat(101)]) {
      expect((await requestError(dora.laptop.client.socket, { type: 'renameDevice', deviceId: dora.laptop.deviceId, name })).code).toBe('bad_request');
    }
    expect(snapshot()).toEqual(before);
  });

  it('[DEV-5] revoking the asking device works too: it is answered, then told and disconnected', async () => {
    const own = await signIn(server.url, 'dora', { deviceName: 'Borrowed' });
    const client = await h.connect(server, own.token);
    expect(await client.request({ type: 'revokeDevice', deviceId: own.deviceId })).toEqual({});
    await expectSignedOut(client);
    expect(await connectRefused(server.url, { auth: handshakeAuth(own.token) })).toMatchObject({ code: 'unauthorized' });
    expect((await dora.phone.client.request({ type: 'devices' })).devices.map((d) => d.id)).not.toContain(own.deviceId);
  });
});

describe('mentions', () => {
  it('[MENTION-SRV-1] mentions in a one-to-one conversation are bad_request and nothing is stored', async () => {
    const before = snapshot();
    const err = await requestError(alice.client.socket, sendMentioning(direct, 'hi @bob', { userIds: [bob.userId], all: false }));
    expect(err.code).toBe('bad_request');
    expect(snapshot()).toEqual(before);
  });

  it('[MENTION-SRV-2] only current members stay mentioned, once each and sorted; others are dropped silently', async () => {
    const dan = await h.user(server, 'dan');
    const ivan = await createAccount(server.url, 'ivan'); // never in the group
    await alice.client.request({ type: 'addMembers', conversationId: group, usernames: ['dan'] });
    await dan.client.request({ type: 'leaveGroup', conversationId: group });
    const bobPts = await ptsOf(bob.client);
    const ids = [bob.userId, dan.userId, ivan.user.id, alice.userId, bob.userId, carol.userId];
    const ack = await carol.client.request(sendMentioning(group, '@bob @alice look', { userIds: ids, all: false }));
    const kept = { userIds: [alice.userId, bob.userId, carol.userId].sort(), all: false };
    const [pushed] = await bob.client.pushesFrom(bobPts, 1);
    expect(pushed?.event).toMatchObject({ type: 'message', message: { seq: ack.seq, mentions: kept } });
    const { messages } = await alice.client.request({ type: 'history', conversationId: group, limit: 5 });
    expect(messages.at(-1)).toMatchObject({ seq: ack.seq, mentions: kept });
  });

  it('[MENTION-SRV-3] `all` stays only from the owner or an admin; a plain member\'s message is stored without it (null when nobody is left)', async () => {
    await alice.client.request({ type: 'setRole', conversationId: group, userId: bob.userId, role: 'admin' });
    const owner = await alice.client.request(sendMentioning(group, '@all hello', { userIds: [], all: true }));
    const admin = await bob.client.request(sendMentioning(group, '@all @carol', { userIds: [carol.userId], all: true }));
    const member = await carol.client.request(sendMentioning(group, '@all @bob', { userIds: [bob.userId], all: true }));
    const nobody = await carol.client.request(sendMentioning(group, '@all anyone?', { userIds: [], all: true }));
    expect([admin.seq, member.seq, nobody.seq]).toEqual([owner.seq + 1, owner.seq + 2, owner.seq + 3]);
    const { messages } = await bob.client.request({ type: 'history', conversationId: group, limit: 4 });
    expect(messages.map((m) => [m.seq, m.text, m.mentions])).toEqual([
      [owner.seq, '@all hello', { userIds: [], all: true }],
      [admin.seq, '@all @carol', { userIds: [carol.userId], all: true }],
      [member.seq, '@all @bob', { userIds: [bob.userId], all: false }],
      [nobody.seq, '@all anyone?', null],
    ]);
  });

  it('[MENTION-SRV-4] a recall erases the mentions along with the text, pushed and pulled', async () => {
    const carolPts = await ptsOf(carol.client);
    const ack = await bob.client.request(sendMentioning(group, '@carol the secret', { userIds: [carol.userId], all: false }));
    const [pushed] = await carol.client.pushesFrom(carolPts, 1);
    expect(pushed?.event).toMatchObject({ message: { seq: ack.seq, mentions: { userIds: [carol.userId], all: false } } });
    await bob.client.request({ type: 'recall', conversationId: group, seq: ack.seq });
    const [told] = await carol.client.pushesFrom(carolPts + 1, 1);
    expect(told?.event).toEqual({ type: 'recall', conversationId: group, seq: ack.seq, by: bob.userId, senderId: bob.userId });
    const erased = { seq: ack.seq, text: '', recalledBy: bob.userId, mentions: null };
    expect((await carol.client.request({ type: 'history', conversationId: group, limit: 1 })).messages).toMatchObject([erased]);
    const page = await carol.client.request({ type: 'sync', sincePts: carolPts });
    expect(page).toMatchObject({ status: 'ok', entries: [{ event: { type: 'message', message: erased } }, { event: { type: 'recall' } }] });
  });
});

describe('member lookup', () => {
  it('[MEMBERS-Q-1] members whose user name or display name starts with the query, any case; % and _ are literal; outsiders get not_found', async () => {
    const people = [['ann_lee', 'Zed'], ['annxlee', 'Ann Other'], ['percy', '100% Percy'], ['pat', '1000 Pat']] as const;
    for (const [username, displayName] of people) await createAccount(server.url, username, { displayName });
    const g = (await alice.client.request({ type: 'createGroup', name: 'Pickers', usernames: people.map((p) => p[0]) })).conversation.id;
    const find = async (query: string) => (await alice.client.request({ type: 'members', conversationId: g, query })).members.map((m) => m.user.username).sort();
    expect(await find('ANN')).toEqual(['ann_lee', 'annxlee']);
    expect(await find('ann_')).toEqual(['ann_lee']);
    expect(await find('_')).toEqual([]);
    expect(await find('zE')).toEqual(['ann_lee']);
    expect(await find('100%')).toEqual(['percy']);
    expect(await find('%')).toEqual([]);
    expect(await find('lee')).toEqual([]);
    expect(await find('bo')).toEqual([]); // Bob is not in this group
    const [percy] = (await alice.client.request({ type: 'members', conversationId: g, query: 'PE' })).members;
    expect(percy).toMatchObject({ user: { username: 'percy', displayName: '100% Percy' }, role: 'member' });
    expect((await requestError(bob.client.socket, { type: 'members', conversationId: g, query: 'a' })).code).toBe('not_found');
  });
});
