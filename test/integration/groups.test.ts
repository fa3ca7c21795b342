/**
 * Groups against a real server and real socket.io clients: creating with names that do not
 * exist, the join cursor for a late joiner, removed and leaving members cut off from the
 * moment of the line that says so (push, pull, history, sending), outsiders refused exactly
 * like a missing conversation, role rules, and rename/announcement lines. The same cut-off on
 * the room path of big groups (a low `inboxFanoutMax` keeps them small), including a device
 * that connects while it is being removed; and the size bounds (a low `groupMembersMax`).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, MessageSchema, SOCKET_EVENTS, type InboxEntry, type Message, type ProtocolError } from '../../src/protocol';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { EVENT_TIMEOUT_MS, requestError, type TestClient } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';
import { Waiters } from '../support/waiters';

const h = new Harness();
let server: TestServer;
type U = { userId: string; client: TestClient; name: string };
const users: Record<string, U> = {};
const u = (name: string) => users[name] as U;

beforeAll(async () => {
  server = await h.start();
  // Eight sign-ups stay under the per-address sign-up limit (20 a minute).
  for (const name of ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'mal', 'gus']) {
    const r = await h.user(server, name);
    users[name] = { ...r, name };
  }
});
afterAll(() => h.close());

const messagesIn = (entries: readonly InboxEntry[], conversationId: string): Message[] =>
  entries.flatMap((e) => (e.event.type === 'message' && e.event.message.conversationId === conversationId ? [e.event.message] : []));

/** Waits until the client has been pushed the group's line with this seq; returns it. */
async function pushedSeq(c: U, conversationId: string, seq: number): Promise<Message> {
  const find = () => messagesIn(c.client.pushes, conversationId).find((m) => m.seq === seq);
  await c.client.waitUntil(() => find() !== undefined, `${c.name} to be pushed ${conversationId}#${seq}`);
  return find() as Message;
}

/**
 * Everything the server pushed to `c` before this call has arrived once it returns: a
 * socket's frames arrive in the order the server wrote them, and the reply to this request
 * is written after any push emitted earlier.
 */
async function drained(c: U): Promise<void> {
  await c.client.request({ type: 'bootstrap' });
}

async function newGroup(owner: string, members: string[], name = 'Trip'): Promise<string> {
  const r = await u(owner).client.request({ type: 'createGroup', name, usernames: members });
  expect(r.conversation).toMatchObject({ kind: 'group', name, role: 'owner', memberCount: members.length + 1, inboxFanout: true });
  return r.conversation.id;
}

const NOT_FOUND = { code: 'not_found', message: expect.any(String) as unknown as string };

describe('groups over the socket', () => {
  it('[GROUP-1] GRP-IT-1: `New group` with an unknown name is not_found naming it, and creates nothing', async () => {
    const before = dbSnapshot(server.config.dataFile);
    const pushes = Object.values(users).map((x) => x.client.pushes.length);
    const err = await requestError(u('ann').client.socket, { type: 'createGroup', name: 'Ghosts', usernames: ['bob', 'nobody_here', 'cat'] });
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('nobody_here');
    expect(err.message).not.toContain('bob');
    const onlyUnknown = await requestError(u('ann').client.socket, { type: 'createGroup', name: 'Ghosts', usernames: ['nobody_here'] });
    expect(onlyUnknown.code).toBe('not_found');
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
    // Nobody was told anything either.
    for (const x of Object.values(users)) await drained(x);
    expect(Object.values(users).map((x) => x.client.pushes.length)).toEqual(pushes);
    expect((await u('bob').client.request({ type: 'bootstrap' })).conversations).toEqual([]);
  });

  it('[GROUP-3] GRP-IT-2: a late joiner sees the group only from their join line: history, sync and pushes', async () => {
    const g = await newGroup('ann', ['bob']);
    await pushedSeq(u('bob'), g, 1); // `created`
    await u('ann').client.send(g, 'before dan 1'); // seq 2
    await u('bob').client.send(g, 'before dan 2'); // seq 3
    const danPts = (await u('dan').client.request({ type: 'bootstrap' })).pts;
    await u('bob').client.request({ type: 'addMembers', conversationId: g, usernames: ['dan'] }); // seq 4
    const joined = await pushedSeq(u('dan'), g, 4);
    expect(joined.system).toEqual({ type: 'joined', userIds: [u('dan').userId] });
    const sent = await u('ann').client.send(g, 'welcome dan'); // seq 5
    expect(sent.seq).toBe(5);
    expect((await pushedSeq(u('dan'), g, 5)).text).toBe('welcome dan');
    await drained(u('dan'));

    // Pushes: the conversation, the join line and what followed; nothing from before.
    const pushedToDan = u('dan').client.pushes.filter((p) => p.pts > danPts);
    expect(messagesIn(pushedToDan, g).map((m) => m.seq)).toEqual([4, 5]);
    const told = pushedToDan.find((p) => p.event.type === 'conversation');
    expect(told?.event).toMatchObject({ type: 'conversation', conversation: { id: g, firstSeq: 4, role: 'member', memberCount: 3 } });
    // Pull: the same.
    const page = await u('dan').client.request({ type: 'sync', sincePts: danPts });
    expect(page.status).toBe('ok');
    if (page.status === 'ok') expect(messagesIn(page.entries, g).map((m) => m.seq)).toEqual([4, 5]);
    // History: from seq 4 on, however far back one asks.
    const latest = await u('dan').client.request({ type: 'history', conversationId: g, limit: 50 });
    expect(latest).toMatchObject({ firstSeq: 4, lastSeq: 5 });
    expect(latest.messages.map((m) => m.seq)).toEqual([4, 5]);
    expect((await u('dan').client.request({ type: 'history', conversationId: g, beforeSeq: 4, limit: 50 })).messages).toEqual([]);
    expect((await u('dan').client.request({ type: 'history', conversationId: g, beforeSeq: 3, limit: 50 })).messages).toEqual([]);
    // Bob, there from the start, reads it all.
    expect((await u('bob').client.request({ type: 'history', conversationId: g, limit: 50 })).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  /** After `who` is out of group `g` at `outSeq`: nothing reaches them, by any path. */
  async function cutOff(who: U, g: string, outSeq: number, ptsBefore: number) {
    const after = await u('ann').client.send(g, `after ${who.name} is out`);
    expect(after.seq).toBe(outSeq + 1);
    // Once another member holds it, the one fan-out chunk that carried it has run; then the
    // reply to `who`'s own request comes after anything pushed to them before it.
    await pushedSeq(u('bob'), g, after.seq);
    await drained(who);
    const pushed = messagesIn(who.client.pushes.filter((p) => p.pts > ptsBefore), g).map((m) => m.seq);
    expect(pushed).toEqual([outSeq]);
    expect(who.client.pushes.filter((p) => p.pts > ptsBefore).find((p) => p.event.type === 'conversation')?.event).toMatchObject({
      conversation: { id: g, leftSeq: outSeq, lastSeq: outSeq },
    });
    const page = await who.client.request({ type: 'sync', sincePts: ptsBefore });
    if (page.status !== 'ok') throw new Error('expected an ok page');
    expect(messagesIn(page.entries, g).map((m) => m.seq)).toEqual([outSeq]);
    // History stops at the line that put them out; asking past it changes nothing.
    const hist = await who.client.request({ type: 'history', conversationId: g, limit: 50 });
    expect(hist.lastSeq).toBe(outSeq);
    expect(hist.messages.at(-1)?.seq).toBe(outSeq);
    expect((await who.client.request({ type: 'history', conversationId: g, beforeSeq: after.seq + 1, limit: 50 })).messages.at(-1)?.seq).toBe(outSeq);
    // They can no longer send, list members or add anyone: not_found, and nothing is written.
    const before = dbSnapshot(server.config.dataFile);
    expect(await requestError(who.client.socket, { type: 'send', conversationId: g, clientMsgId: randomUUID(), text: 'still here?' })).toEqual(NOT_FOUND);
    expect(await requestError(who.client.socket, { type: 'members', conversationId: g })).toEqual(NOT_FOUND);
    expect(await requestError(who.client.socket, { type: 'addMembers', conversationId: g, usernames: ['gus'] })).toEqual(NOT_FOUND);
    expect(await requestError(who.client.socket, { type: 'leaveGroup', conversationId: g })).toEqual(NOT_FOUND);
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
    // Their bootstrap shows the group as it was when they went out.
    const conv = (await who.client.request({ type: 'bootstrap' })).conversations.find((c) => c.id === g);
    expect(conv).toMatchObject({ leftSeq: outSeq, lastSeq: outSeq });
  }

  it('[GROUP-3] GRP-IT-3: a removed member gets the line that removes them, then nothing: no push, no pull, no history, no sending', async () => {
    const g = await newGroup('ann', ['bob', 'eve']);
    await u('eve').client.send(g, 'hi from eve'); // 2
    await pushedSeq(u('eve'), g, 2);
    const evePts = (await u('eve').client.request({ type: 'bootstrap' })).pts;
    await u('ann').client.request({ type: 'removeMember', conversationId: g, userId: u('eve').userId }); // 3
    const line = await pushedSeq(u('eve'), g, 3);
    expect(line).toMatchObject({ senderId: u('ann').userId, system: { type: 'removed', userId: u('eve').userId } });
    await cutOff(u('eve'), g, 3, evePts);
    expect((await u('ann').client.request({ type: 'members', conversationId: g })).total).toBe(2);
  });

  it('[GROUP-3] GRP-IT-4: a member who leaves is cut off the same way', async () => {
    const g = await newGroup('ann', ['bob', 'fay']);
    await pushedSeq(u('fay'), g, 1);
    const fayPts = (await u('fay').client.request({ type: 'bootstrap' })).pts;
    await u('fay').client.request({ type: 'leaveGroup', conversationId: g }); // 2
    expect((await pushedSeq(u('fay'), g, 2)).system).toEqual({ type: 'left' });
    expect((await pushedSeq(u('bob'), g, 2)).senderId).toBe(u('fay').userId);
    await cutOff(u('fay'), g, 2, fayPts);
  });

  it('[AUTHZ-2] GRP-IT-5: outsiders are refused exactly as for a missing group: send, history, members, addMembers; nothing changes', async () => {
    const g = await newGroup('ann', ['bob']);
    const attempts = (id: string) => [
      { type: 'send', conversationId: id, clientMsgId: randomUUID(), text: 'let me in' },
      { type: 'history', conversationId: id, limit: 50 },
      { type: 'history', conversationId: id, beforeSeq: 2, limit: 50 },
      { type: 'members', conversationId: id },
      { type: 'addMembers', conversationId: id, usernames: ['mal'] },
      { type: 'removeMember', conversationId: id, userId: u('bob').userId },
      { type: 'setRole', conversationId: id, userId: u('bob').userId, role: 'admin' },
      { type: 'updateGroup', conversationId: id, name: 'Mine' },
      { type: 'leaveGroup', conversationId: id },
    ];
    const before = dbSnapshot(server.config.dataFile);
    const missing = 'g_123456789';
    for (const [i, req] of attempts(g).entries()) {
      const real = await requestError(u('mal').client.socket, req);
      expect(real, req.type).toEqual(NOT_FOUND);
      expect(await requestError(u('mal').client.socket, attempts(missing)[i]), req.type).toEqual(real);
    }
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
    expect((await u('mal').client.request({ type: 'bootstrap' })).conversations).toEqual([]);
    expect((await u('mal').client.request({ type: 'heads' })).heads).toEqual([]);
  });

  it('[GROUP-4] GRP-IT-6: role rules: members cannot remove, change or promote; admins cannot remove admins or the owner; only the owner sets roles', async () => {
    const g = await newGroup('ann', ['bob', 'cat', 'gus']);
    const ann = u('ann').client;
    const forbidden = async (c: U, req: Parameters<typeof requestError>[1]) => (await requestError(c.client.socket, req)).code;
    const before = dbSnapshot(server.config.dataFile);
    expect(await forbidden(u('bob'), { type: 'removeMember', conversationId: g, userId: u('cat').userId })).toBe('forbidden');
    expect(await forbidden(u('bob'), { type: 'removeMember', conversationId: g, userId: u('ann').userId })).toBe('forbidden');
    expect(await forbidden(u('bob'), { type: 'setRole', conversationId: g, userId: u('bob').userId, role: 'admin' })).toBe('forbidden');
    expect(await forbidden(u('bob'), { type: 'updateGroup', conversationId: g, name: 'Bob rules' })).toBe('forbidden');
    expect(await forbidden(u('bob'), { type: 'updateGroup', conversationId: g, announcement: 'hi' })).toBe('forbidden');
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);

    await ann.request({ type: 'setRole', conversationId: g, userId: u('bob').userId, role: 'admin' }); // 2
    await ann.request({ type: 'setRole', conversationId: g, userId: u('cat').userId, role: 'admin' }); // 3
    expect((await pushedSeq(u('gus'), g, 3)).system).toEqual({ type: 'role', userId: u('cat').userId, role: 'admin' });
    const mid = dbSnapshot(server.config.dataFile);
    expect(await forbidden(u('bob'), { type: 'removeMember', conversationId: g, userId: u('cat').userId })).toBe('forbidden');
    expect(await forbidden(u('bob'), { type: 'removeMember', conversationId: g, userId: u('ann').userId })).toBe('forbidden');
    expect(await forbidden(u('bob'), { type: 'setRole', conversationId: g, userId: u('gus').userId, role: 'admin' })).toBe('forbidden');
    expect(await forbidden(u('bob'), { type: 'setRole', conversationId: g, userId: u('cat').userId, role: 'member' })).toBe('forbidden');
    // The owner's own role is not for setting.
    expect(await forbidden(u('ann'), { type: 'setRole', conversationId: g, userId: u('ann').userId, role: 'member' })).toBe('bad_request');
    expect(dbSnapshot(server.config.dataFile)).toEqual(mid);

    // An admin removes a member; the owner removes an admin.
    await u('bob').client.request({ type: 'removeMember', conversationId: g, userId: u('gus').userId }); // 4
    await ann.request({ type: 'removeMember', conversationId: g, userId: u('cat').userId }); // 5
    const members = await ann.request({ type: 'members', conversationId: g });
    expect(members.total).toBe(2);
    expect(members.members.map((m) => [m.user.username, m.role])).toEqual([
      ['ann', 'owner'],
      ['bob', 'admin'],
    ]);
    // The owner leaves: the admin is the owner now and has the owner's powers.
    await ann.request({ type: 'leaveGroup', conversationId: g }); // 6
    expect((await u('bob').client.request({ type: 'bootstrap' })).conversations.find((c) => c.id === g)).toMatchObject({ role: 'owner', memberCount: 1 });
    await u('bob').client.request({ type: 'addMembers', conversationId: g, usernames: ['gus'] }); // 8 (7 says Bob is owner)
    await u('bob').client.request({ type: 'setRole', conversationId: g, userId: u('gus').userId, role: 'admin' }); // 9
    const lines = (await u('bob').client.request({ type: 'history', conversationId: g, limit: 50 })).messages;
    expect(lines.map((m) => m.system?.type)).toEqual(['created', 'role', 'role', 'removed', 'removed', 'left', 'role', 'joined', 'role']);
    // The hand-over is in the log, right after the owner's `left` line.
    expect(lines[6]?.system).toEqual({ type: 'role', userId: u('bob').userId, role: 'owner' });
  });

  it('[GROUP-2] GRP-IT-7: rename and announcement lines reach every member in seq order and change the group for everyone', async () => {
    const g = await newGroup('ann', ['bob', 'cat'], 'Old name');
    await u('ann').client.request({ type: 'setRole', conversationId: g, userId: u('bob').userId, role: 'admin' }); // 2
    await u('bob').client.request({ type: 'updateGroup', conversationId: g, name: 'New name', announcement: 'Bring boots' }); // 3, 4
    await u('cat').client.send(g, 'ok!'); // 5
    await u('ann').client.request({ type: 'updateGroup', conversationId: g, announcement: 'Bring boots' }); // unchanged: no line
    await u('ann').client.request({ type: 'updateGroup', conversationId: g, announcement: '' }); // 6: cleared
    for (const who of ['ann', 'bob', 'cat']) {
      await pushedSeq(u(who), g, 6);
      const seen = messagesIn(u(who).client.pushes, g);
      expect(seen.map((m) => m.seq), who).toEqual([1, 2, 3, 4, 5, 6]);
      expect(seen.slice(2, 6).map((m) => m.system ?? m.text)).toEqual([
        { type: 'renamed', name: 'New name' },
        { type: 'announcement', text: 'Bring boots' },
        'ok!',
        { type: 'announcement', text: '' },
      ]);
      expect(seen[2]?.senderId).toBe(u('bob').userId);
      const conv = (await u(who).client.request({ type: 'bootstrap' })).conversations.find((c) => c.id === g);
      expect(conv).toMatchObject({ name: 'New name', announcement: '', lastSeq: 6 });
    }
    const err: ProtocolError = await requestError(u('ann').client.socket, { type: 'updateGroup', conversationId: g });
    expect(err.code).toBe('bad_request');
  });
});

/**
 * For the socket-connect race: the real storage, except that the next
 * read of one user's groups (the one a connecting socket makes before joining their rooms) is
 * held after it has read, until the test lets it go. Nothing else differs.
 */
class PausingStorage extends SqliteStorage {
  private hold: { userId: string; reached: () => void; released: Promise<void> } | null = null;

  holdNextGroupRead(userId: string): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const released = new Promise<void>((r) => (release = r));
    this.hold = { userId, reached, released };
    return { reached: reachedP, release };
  }

  override async groupIds(userId: string): Promise<string[]> {
    const ids = await super.groupIds(userId);
    const hold = this.hold;
    if (hold?.userId === userId) {
      this.hold = null;
      hold.reached();
      await hold.released;
    }
    return ids;
  }
}

/** A device whose `room` pushes are recorded too (big groups push on the room, not the inbox). */
interface RoomDevice {
  client: TestClient;
  name: string;
  room: Message[];
  waiters: Waiters;
}

function watchRoom(client: TestClient, name: string): RoomDevice {
  const d: RoomDevice = { client, name, room: [], waiters: new Waiters(EVENT_TIMEOUT_MS) };
  client.socket.on(SOCKET_EVENTS.room, (payload: unknown) => {
    d.room.push(MessageSchema.parse(payload));
    d.waiters.wake();
  });
  return d;
}

const roomSeqs = (d: RoomDevice, g: string) => d.room.filter((m) => m.conversationId === g).map((m) => m.seq);
const gotByRoom = (d: RoomDevice, g: string, seq: number) => d.waiters.until(() => roomSeqs(d, g).includes(seq), `${d.name} to get ${g}#${seq} by room`);

describe('big groups (room path): out is out, on every device, however it connects', () => {
  const big = new Harness();
  let server: TestServer;
  let storage: PausingStorage;
  type BigUser = { userId: string; token: string; devices: RoomDevice[] };
  const people: Record<string, BigUser> = {};
  const p = (name: string) => people[name] as BigUser;

  beforeAll(async () => {
    // Three members is big here, so every group below takes the room path.
    server = await big.start({ inboxFanoutMax: 3 }, (config) => {
      storage = new PausingStorage(config.dataFile, { inboxFanoutMax: config.inboxFanoutMax });
      return storage;
    });
    for (const name of ['olga', 'pia', 'eve', 'fay']) {
      const r = await big.user(server, name);
      people[name] = { userId: r.userId, token: r.session.token, devices: [watchRoom(r.client, `${name}#1`)] };
    }
    // Those who will be put out have a second device, online throughout.
    for (const name of ['eve', 'fay']) p(name).devices.push(watchRoom((await big.otherDevice(server, name)).client, `${name}#2`));
  });
  afterAll(() => big.close());

  /** Four members: still big (3) once one is out. */
  async function bigGroup(): Promise<string> {
    const members = ['pia', 'eve', 'fay'];
    const r = await p('olga').devices[0]!.client.request({ type: 'createGroup', name: 'Big', usernames: members });
    expect(r.conversation).toMatchObject({ memberCount: 4, inboxFanout: false });
    for (const name of ['olga', ...members]) for (const d of p(name).devices) await gotByRoom(d, r.conversation.id, 1);
    return r.conversation.id;
  }

  /**
   * After `who` is out of `g` at `outSeq`: a line after it reaches Pia and none of `who`'s
   * devices by room; a device that connects afresh is not in the room, has no head for it, and
   * pulls and reads nothing past `outSeq`.
   */
  async function outOnRoomPath(who: BigUser, g: string, outSeq: number, ptsBefore: number) {
    for (const d of who.devices) await gotByRoom(d, g, outSeq);
    const after = await p('olga').devices[0]!.client.send(g, 'after they are out');
    expect(after.seq).toBe(outSeq + 1);
    // One chunk carries a line to the whole (small) room: once Pia has it, anything sent to
    // the others was written before the reply to their next request.
    await gotByRoom(p('pia').devices[0]!, g, after.seq);
    for (const d of who.devices) {
      await d.client.request({ type: 'bootstrap' });
      expect(roomSeqs(d, g).filter((s) => s > outSeq), d.name).toEqual([]);
    }

    // A device coming back (a reconnect is a new socket with the same session).
    const again = watchRoom(await big.connect(server, who.token), 'again');
    expect((await again.client.request({ type: 'heads' })).heads.map((h) => h.conversationId)).not.toContain(g);
    const page = await again.client.request({ type: 'sync', sincePts: ptsBefore });
    if (page.status !== 'ok') throw new Error('expected an ok page');
    const pulled = page.entries.flatMap((e) => (e.event.type === 'message' && e.event.message.conversationId === g ? [e.event.message.seq] : []));
    expect(pulled.every((s) => s <= outSeq)).toBe(true);
    const hist = await again.client.request({ type: 'history', conversationId: g, limit: 50 });
    expect(hist.lastSeq).toBe(outSeq);
    expect(hist.messages.at(-1)?.seq).toBe(outSeq);
    expect((await again.client.request({ type: 'history', conversationId: g, beforeSeq: after.seq + 5, limit: 50 })).messages.at(-1)?.seq).toBe(outSeq);
    const later = await p('pia').devices[0]!.client.send(g, 'later still');
    await gotByRoom(p('olga').devices[0]!, g, later.seq);
    await again.client.request({ type: 'bootstrap' });
    for (const d of [...who.devices, again]) expect(roomSeqs(d, g).filter((s) => s > outSeq), d.name).toEqual([]);
    expect(await requestError(again.client.socket, { type: 'send', conversationId: g, clientMsgId: randomUUID(), text: 'still here?' })).toEqual(NOT_FOUND);
    again.client.close();
  }

  it('[GROUP-3][GROUP-5] GRP-IT-8: on the room path a removed member gets the line that removes them, then nothing on any device: push, heads, pull, history, reconnect', async () => {
    const g = await bigGroup();
    await p('pia').devices[0]!.client.send(g, 'before eve is out'); // 2
    const evePts = (await p('eve').devices[0]!.client.request({ type: 'bootstrap' })).pts;
    await p('olga').devices[0]!.client.request({ type: 'removeMember', conversationId: g, userId: p('eve').userId }); // 3
    await outOnRoomPath(p('eve'), g, 3, evePts);
  });

  it('[GROUP-3][GROUP-5] GRP-IT-9: on the room path a member who leaves is cut off the same way', async () => {
    const g = await bigGroup();
    const fayPts = (await p('fay').devices[0]!.client.request({ type: 'bootstrap' })).pts;
    await p('fay').devices[1]!.client.request({ type: 'leaveGroup', conversationId: g }); // 2
    await outOnRoomPath(p('fay'), g, 2, fayPts);
  });

  it('[GROUP-8] GRP-IT-10: a removal that lands while a device is connecting (after it read its groups, before it joined their rooms) keeps it out of the room', async () => {
    const g = await bigGroup();
    const hold = storage.holdNextGroupRead(p('eve').userId);
    const connecting = big.connect(server, p('eve').token);
    await hold.reached; // the new socket has read "eve is in g" and not yet joined g's room
    await p('olga').devices[0]!.client.request({ type: 'removeMember', conversationId: g, userId: p('eve').userId }); // 2
    hold.release();
    const late = watchRoom(await connecting, 'eve#late');
    // The join runs as soon as the read is let go, before this request's reply.
    await late.client.request({ type: 'bootstrap' });
    const after = await p('olga').devices[0]!.client.send(g, 'after eve is out'); // 3
    await gotByRoom(p('pia').devices[0]!, g, after.seq);
    await late.client.request({ type: 'bootstrap' });
    expect(roomSeqs(late, g)).toEqual([]);
    for (const d of p('eve').devices) {
      await d.client.request({ type: 'bootstrap' });
      expect(roomSeqs(d, g), d.name).toEqual([1, 2]);
    }
  });
});

describe('size bounds', () => {
  const small = new Harness();
  let server: TestServer;
  const c: Record<string, { userId: string; client: TestClient }> = {};
  const cap = 3;

  beforeAll(async () => {
    server = await small.start({ groupMembersMax: cap });
    for (const name of ['ida', 'jon', 'kim', 'lee']) c[name] = await small.user(server, name);
  });
  afterAll(() => small.close());

  const ida = () => (c.ida as { client: TestClient }).client;

  /** `req` is refused with `bad_request` saying `words`, and the database and everyone's pushes are as they were. */
  async function refused(req: Parameters<typeof requestError>[1], words: string) {
    // Whatever an earlier step pushed has arrived once each device's next request is answered.
    for (const x of Object.values(c)) await x.client.request({ type: 'bootstrap' });
    const before = dbSnapshot(server.config.dataFile);
    const pushes = Object.values(c).map((x) => x.client.pushes.length);
    const err = await requestError(ida().socket, req);
    expect(err.code).toBe('bad_request');
    expect(err.message).toContain(words);
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
    for (const x of Object.values(c)) await x.client.request({ type: 'bootstrap' });
    expect(Object.values(c).map((x) => x.client.pushes.length)).toEqual(pushes);
  }

  it(`[GROUP-7] GRP-IT-11: a name past ${LIMITS.groupNameMax} characters, an announcement past ${LIMITS.announcementMax}, and members past the group cap are refused and change nothing`, async () => {
    const long = 'n'.repeat(LIMITS.groupNameMax + 1);
    await refused({ type: 'createGroup', name: long, usernames: ['jon'] }, `at most ${LIMITS.groupNameMax} characters`);
    // One past the cap: Ida and three others.
    await refused({ type: 'createGroup', name: 'Four', usernames: ['jon', 'kim', 'lee'] }, `at most ${cap} members`);

    const g = (await ida().request({ type: 'createGroup', name: 'Three', usernames: ['jon', 'kim'] })).conversation;
    expect(g.memberCount).toBe(cap); // at the cap is allowed
    await refused({ type: 'addMembers', conversationId: g.id, usernames: ['lee'] }, `at most ${cap} members`);
    await refused({ type: 'updateGroup', conversationId: g.id, name: long }, `at most ${LIMITS.groupNameMax} characters`);
    await refused({ type: 'updateGroup', conversationId: g.id, announcement: 'a'.repeat(LIMITS.announcementMax + 1) }, `at most ${LIMITS.announcementMax} characters`);
    // A change that names a bad field and a good one is refused whole.
    await refused({ type: 'updateGroup', conversationId: g.id, name: 'Fine', announcement: 'a'.repeat(LIMITS.announcementMax + 1) }, 'announcement');

    // Exactly at the bounds is fine, and makes its lines.
    await ida().request({ type: 'updateGroup', conversationId: g.id, name: 'n'.repeat(LIMITS.groupNameMax), announcement: 'a'.repeat(LIMITS.announcementMax) });
    const conv = (await ida().request({ type: 'bootstrap' })).conversations.find((x) => x.id === g.id);
    expect(conv).toMatchObject({ name: 'n'.repeat(LIMITS.groupNameMax), lastSeq: 3, memberCount: cap });
    // Someone leaving makes room again.
    await (c.kim as { client: TestClient }).client.request({ type: 'leaveGroup', conversationId: g.id });
    await ida().request({ type: 'addMembers', conversationId: g.id, usernames: ['lee'] });
    expect((await ida().request({ type: 'members', conversationId: g.id })).total).toBe(cap);
  });
});
