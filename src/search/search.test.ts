import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboxEntry, Message } from '../protocol';
import { openDb, PENDING_BASE, type StoredConversation, type TidingsDb } from '../store/db';
import { applyEntry, eraseRecalled, storeMessages } from '../sync/apply';
import { conversationEntry, CONV, ME, message, PEER, ScriptedTransport } from '../sync/testing/fakes';
import { backfillState, backfillTokens } from './backfill';
import { downloadOlderHistory } from './download-history';
import { NOT_SEARCHED } from './message-tokens';
import { lacksOlderHistory, searchCoverage, searchMessages } from './search';

let db: TidingsDb;
let n = 0;

const apply = (entry: InboxEntry) => db.transaction('rw', [db.conversations, db.messages, db.outbox, db.users, db.meta, db.receipts], () => applyEntry(db, ME, entry));
const store = (messages: Message[], cover?: { from: number; to: number }) =>
  db.transaction('rw', [db.conversations, db.messages, db.outbox], () => storeMessages(db, ME, CONV, messages, cover));
const texts = async (query: string) => (await searchMessages(db, query)).messages.map((m) => m.text);
const storedTokens = async () => (await db.messages.toArray()).flatMap((m) => m.tokens ?? []);

beforeEach(async () => {
  db = openDb(`search-test-${++n}`);
  await apply(conversationEntry(1));
});

afterEach(async () => {
  await db.delete();
});

describe('local search over the Dexie index', () => {
  it('[SEARCH-20] finds stored messages by English prefix and by Chinese bigram, newest first', async () => {
    await store([
      message(1, PEER, 'Is the proxy server up?'),
      message(2, ME, '离线消息已送达'),
      message(3, PEER, '消防车来了'),
      message(4, ME, 'The PROXY settings moved'),
      message(5, PEER, 'Été à Paris'),
    ]);
    expect(await texts('prox')).toEqual(['The PROXY settings moved', 'Is the proxy server up?']);
    expect(await texts('消息')).toEqual(['离线消息已送达']);
    expect(await texts('éte')).toEqual(['Été à Paris']);
    expect(await texts('proxy serv')).toEqual(['Is the proxy server up?']);
    expect(await texts('nothing here')).toEqual([]);
    expect(await texts('')).toEqual([]);
  });

  it('[SEARCH-21] a recalled message is no longer found, and its words leave the index with its text', async () => {
    await store([message(1, PEER, 'the surprise party is on Friday'), message(2, PEER, 'see you at the party')]);
    expect(await texts('surprise')).toEqual(['the surprise party is on Friday']);
    await db.transaction('rw', [db.conversations, db.messages], () => eraseRecalled(db, ME, CONV, 1, PEER, PEER, 2));
    expect(await texts('surprise')).toEqual([]);
    expect(await texts('party')).toEqual(['see you at the party']);
    expect(await storedTokens()).not.toContain('surprise');
    // The same message arriving again from the server, already recalled, stays out too.
    await store([{ ...message(1, PEER, ''), recalledBy: PEER }]);
    expect(await texts('surprise')).toEqual([]);
  });

  it('[SEARCH-22] system lines have no words (only the mark no query finds); own messages still sending are found', async () => {
    await store([{ ...message(1, PEER, ''), system: { type: 'renamed', name: 'Proxy fans' } }]);
    expect(await storedTokens()).toEqual([NOT_SEARCHED]);
    expect(await texts(NOT_SEARCHED)).toEqual([]);
    expect(await texts('not searched')).toEqual([]);
    await db.messages.put({
      key: `${CONV}|${ME}|local-1`,
      conversationId: CONV,
      senderId: ME,
      clientMsgId: 'local-1',
      text: 'proxy note written offline',
      msgId: null,
      seq: null,
      order: PENDING_BASE + 1,
      serverTime: null,
      createdAt: 1_800_000_000_000,
      system: null,
      recalledBy: null,
      replyTo: null,
      pending: 'sending',
    });
    const found = (await searchMessages(db, 'proxy')).messages;
    expect(found.map((m) => [m.text, m.pending])).toEqual([['proxy note written offline', 'sending']]);
  });

  it('[SEARCH-23] lists the newest matches up to the limit and says there are more, also for a very common word', async () => {
    // `hello` in every message (common: walked newest first), `half` in every other one (too
    // many to read outright: found through the time index), `rare` in three.
    const text = (i: number) => `hello ${i % 700 === 0 ? 'rare' : 'there'} ${i % 2 ? 'half' : 'whole'} ${i < 1_000 ? 'early' : ''} ${i >= 990 ? 'late' : ''} ${i}`;
    await store(Array.from({ length: 2_100 }, (_, i) => message(i + 1, i % 2 ? ME : PEER, text(i))));
    const common = await searchMessages(db, 'hello', 50);
    expect(common.more).toBe(true);
    expect(common.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 2_100 - i));
    const half = await searchMessages(db, 'half', 50);
    expect(half.more).toBe(true);
    expect(half.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 2_100 - 2 * i));
    expect((await searchMessages(db, 'half 1999')).messages.map((m) => m.seq)).toEqual([2_000]);
    // With lower thresholds: two common words that rarely meet (the walk gives up and their
    // whole ranges are intersected), and many candidates found through the time index.
    const small = { cap: 100, readAll: 20, walkMax: 300 };
    expect((await searchMessages(db, 'early late', 50, small)).messages.map((m) => m.seq)).toEqual([1_000, 999, 998, 997, 996, 995, 994, 993, 992, 991]);
    expect((await searchMessages(db, 'there half', 5, small)).messages.map((m) => m.seq)).toEqual([2_100, 2_098, 2_096, 2_094, 2_092]);
    // Two terms: the rarer one decides the candidates; the other is checked on the rows.
    const both = await searchMessages(db, 'hello rare', 2);
    expect(both.messages.map((m) => m.seq)).toEqual([1_401, 701]);
    expect(both.more).toBe(true);
  });

  it('[SEARCH-24] the version 5 upgrade opens at once; messages stored before are indexed afterwards, resumably', async () => {
    const name = `search-upgrade-${n}`;
    const old = new Dexie(name);
    old.version(4).stores({
      conversations: 'id, activityAt',
      messages: 'key, [conversationId+order], msgId, [conversationId+replyTo.seq]',
      outbox: '++id, messageKey',
      users: 'id, username',
      meta: 'key',
      receipts: '[conversationId+userId], conversationId',
    });
    const row = { conversationId: CONV, senderId: PEER, serverTime: 1, createdAt: 1, system: null, replyTo: null, recalledBy: null };
    await old.table('messages').bulkPut([
      { ...row, key: 'a', clientMsgId: 'a', msgId: '1', seq: 1, order: 1, text: '离线消息已送达' },
      { ...row, key: 'b', clientMsgId: 'b', msgId: '2', seq: 2, order: 2, text: '', recalledBy: PEER },
      { ...row, key: 'c', clientMsgId: 'c', msgId: '3', seq: 3, order: 3, text: 'old proxy notes' },
    ]);
    old.close();
    const upgraded = openDb(name);
    try {
      expect(await backfillState(upgraded)).toEqual({ after: '', done: 0, total: 3 });
      expect((await searchMessages(upgraded, '消息')).messages).toEqual([]);
      // One chunk, then stopped (the app closed): the marker remembers where.
      await backfillTokens(upgraded, { chunk: 1, maxChunks: 1 });
      expect(await backfillState(upgraded)).toEqual({ after: 'a', done: 1, total: 3 });
      expect((await searchMessages(upgraded, '消息')).messages.map((m) => m.key)).toEqual(['a']);
      expect((await searchMessages(upgraded, 'proxy')).messages).toEqual([]);
      await backfillTokens(upgraded, { chunk: 1 });
      expect(await backfillState(upgraded)).toBeNull();
      expect((await searchMessages(upgraded, 'proxy')).messages.map((m) => m.key)).toEqual(['c']);
      expect((await upgraded.messages.get('b'))?.tokens).toEqual([NOT_SEARCHED]);
    } finally {
      await upgraded.delete();
    }
    // A store made at version 5 has nothing to index afterwards.
    expect(await backfillState(db)).toBeNull();
  });

  it('[SEARCH-25] says how many searchable messages are stored here and since when: not system lines or recalled ones', async () => {
    expect(await searchCoverage(db)).toEqual({ count: 0, since: null });
    await store([
      { ...message(6, PEER, ''), system: { type: 'renamed', name: 'Old friends' } },
      message(7),
      message(8, ME, '🎉'),
      { ...message(9, PEER, ''), recalledBy: PEER },
      message(10),
    ]);
    // The system line is the oldest row, but not a message searched.
    expect(await searchCoverage(db)).toEqual({ count: 3, since: 1_700_000_000_007 });
    await db.transaction('rw', [db.conversations, db.messages], () => eraseRecalled(db, ME, CONV, 7, PEER, PEER, 3));
    expect(await searchCoverage(db)).toEqual({ count: 2, since: 1_700_000_000_008 });
  });
});

describe('downloading older history for search', () => {
  /** A server holding seqs 1..head of the conversation, answering history pages. */
  function serverWith(head: number): ScriptedTransport {
    const server = new ScriptedTransport();
    server.extra.history = (req) => {
      if (req.type !== 'history') throw new Error('not history');
      const top = req.beforeSeq ? req.beforeSeq - 1 : head;
      const from = Math.max(1, top - req.limit + 1);
      const messages = Array.from({ length: Math.max(0, top - from + 1) }, (_, i) => message(from + i, PEER, `old ${from + i}`));
      return { messages, lastSeq: head, firstSeq: 1 };
    };
    return server;
  }
  const conv = async (): Promise<StoredConversation> => {
    const c = await db.conversations.get(CONV);
    if (!c) throw new Error('no conversation');
    return c;
  };

  it('[SEARCH-26] a conversation lacks older history until its held ranges reach its first readable seq', async () => {
    expect(lacksOlderHistory(await conv())).toBe(false); // nothing sent yet
    await store([message(450), message(451)], { from: 450, to: 451 });
    await db.conversations.update(CONV, { lastSeq: 451 });
    expect(lacksOlderHistory(await conv())).toBe(true);
    await store([message(1)], { from: 1, to: 449 });
    expect(lacksOlderHistory(await conv())).toBe(false);
  });

  it('[SEARCH-27] Download older messages loads pages down to the beginning, bounded per call, with progress', async () => {
    const server = serverWith(500);
    await store([message(451, PEER, 'new'), message(500, PEER, 'newest')], { from: 451, to: 500 });
    await db.conversations.update(CONV, { lastSeq: 500 });
    const seen: number[] = [];
    const first = await downloadOlderHistory(db, ME, server, { pageSize: 200, maxPages: 1, onProgress: (p) => seen.push(p.messages) });
    expect(first).toMatchObject({ pages: 1, messages: 200, complete: false });
    expect(seen).toEqual([200]);
    expect(lacksOlderHistory(await conv())).toBe(true);
    expect((await conv()).ranges).toEqual([[251, 500]]);
    expect((await searchMessages(db, 'old 251')).messages.map((m) => m.seq)).toEqual([251]);

    const rest = await downloadOlderHistory(db, ME, server, { pageSize: 200 });
    expect(rest).toMatchObject({ pages: 2, messages: 250, complete: true });
    expect((await conv()).ranges).toEqual([[1, 500]]);
    expect(lacksOlderHistory(await conv())).toBe(false);
    expect(await searchCoverage(db)).toEqual({ count: 452, since: 1_700_000_000_001 });
  });
});
