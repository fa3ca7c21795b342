import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboxEntry, Unread } from '../protocol';
import { openDb, type TidingsDb } from '../store/db';
import { applyEntry, eraseRecalled, storeMessages } from './apply';
import { loadsReceipts, ReadState, shownReceipts, unreadOf } from './read-state';
import { conversationEntry, CONV, ME, message, PEER, ScriptedTransport } from './testing/fakes';

let db: TidingsDb;
let server: ScriptedTransport;
let reads: ReadState;
let n = 0;

const conv = async () => {
  const c = await db.conversations.get(CONV);
  if (!c) throw new Error('no conversation');
  return c;
};
const unread = async () => unreadOf(db, await conv(), ME);
const apply = (entry: InboxEntry) => db.transaction('rw', [db.conversations, db.messages, db.outbox, db.users, db.meta, db.receipts], () => applyEntry(db, ME, entry));
const store = (...seqs: [number, string][]) =>
  db.transaction('rw', [db.conversations, db.messages, db.outbox], () => storeMessages(db, ME, CONV, seqs.map(([seq, sender]) => message(seq, sender))));
const readEvent = (pts: number, seq: number, u: Unread): InboxEntry => ({ pts, event: { type: 'read', conversationId: CONV, seq, unread: u } });

beforeEach(async () => {
  db = openDb(`read-state-test-${++n}`);
  server = new ScriptedTransport();
  reads = new ReadState(db, server);
  await apply(conversationEntry(1));
});

afterEach(async () => {
  await db.delete();
});

describe('unread on a device', () => {
  it('[UNREAD-1] counts held messages above the read position from others, not own, system or recalled ones', async () => {
    await store([1, PEER], [2, ME], [3, PEER], [4, PEER]);
    expect(await unread()).toBe(3);
    await db.messages.where('[conversationId+order]').equals([CONV, 4]).modify({ recalledBy: PEER, text: '' });
    expect(await unread()).toBe(2);
    await db.conversations.update(CONV, { lastReadSeq: 1 });
    expect(await unread()).toBe(1);
  });

  it('[UNREAD-2] takes the server’s count up to its head and adds what arrives above it (a new device holds nothing below)', async () => {
    // The server counted 7 unread up to seq 20 from read position 10; this device holds none of them.
    await apply(readEvent(2, 10, { count: 7, asOf: 20, readSeq: 10 }));
    expect(await unread()).toBe(7);
    await store([21, PEER], [22, ME]);
    expect(await unread()).toBe(8);
    // A message at or below the head the server counted is already in its number.
    await store([15, PEER]);
    expect(await unread()).toBe(8);
    // Reading here past that head: only what is held above the new position counts.
    await db.conversations.update(CONV, { lastReadSeq: 21 });
    expect(await unread()).toBe(0);
  });

  it('[UNREAD-3] a recall of a message the server counted takes one off, whether or not this device holds it', async () => {
    await apply(readEvent(2, 10, { count: 3, asOf: 20, readSeq: 10 }));
    await apply({ pts: 3, event: { type: 'recall', conversationId: CONV, seq: 12, by: PEER, senderId: PEER } });
    expect(await unread()).toBe(2);
    // One's own message was never counted; neither was one below the read position.
    await apply({ pts: 4, event: { type: 'recall', conversationId: CONV, seq: 13, by: ME, senderId: ME } });
    await apply({ pts: 5, event: { type: 'recall', conversationId: CONV, seq: 9, by: PEER, senderId: PEER } });
    expect(await unread()).toBe(2);
  });

  it('[UNREAD-4] a recall the server’s count was made after is not taken off again; a big group’s recall asks the server', async () => {
    // The count came with pts 5: the recall at pts 4 (pulled after it) is already in it.
    await apply(readEvent(5, 10, { count: 3, asOf: 20, readSeq: 10 }));
    await apply({ pts: 4, event: { type: 'recall', conversationId: CONV, seq: 12, by: PEER, senderId: PEER } });
    expect(await unread()).toBe(3);
    await apply({ pts: 6, event: { type: 'recall', conversationId: CONV, seq: 14, by: PEER, senderId: PEER } });
    expect(await unread()).toBe(2);
    // A room push has no place in the inbox order: the count is asked for, nothing is guessed.
    await db.transaction('rw', [db.conversations, db.messages], () => eraseRecalled(db, ME, CONV, 15, PEER, PEER, null));
    expect(await unread()).toBe(2);
    server.extra.read = () => ({ lastReadSeq: 10, unread: { count: 1, asOf: 20, readSeq: 10 }, pts: 7 });
    await reads.refreshUnread(CONV);
    expect(server.log.filter((r) => r.type === 'read')).toEqual([{ type: 'read', conversationId: CONV, seq: 10 }]);
    expect(await unread()).toBe(1);
  });
});

describe('read position on a device', () => {
  it('[READ-DEV-1] a read shows at once, is reported once connected, and a read event from another device moves it (back too)', async () => {
    await store([1, PEER], [2, PEER], [3, PEER]);
    server.connected = false;
    await reads.markRead(CONV, 2);
    expect((await conv()).lastReadSeq).toBe(2);
    expect(await unread()).toBe(1);
    expect(server.log.filter((r) => r.type === 'read')).toEqual([]);

    server.connected = true;
    server.extra.read = () => ({ lastReadSeq: 2, unread: { count: 1, asOf: 3, readSeq: 2 }, pts: 1 });
    await reads.report();
    expect(server.log.filter((r) => r.type === 'read')).toEqual([{ type: 'read', conversationId: CONV, seq: 2 }]);
    await reads.report();
    expect(server.log.filter((r) => r.type === 'read')).toHaveLength(1);

    // Another device chose `Mark as unread` at seq 1: the position goes back, with the server's count.
    await apply(readEvent(2, 0, { count: 3, asOf: 3, readSeq: 0 }));
    expect((await conv()).lastReadSeq).toBe(0);
    expect(await unread()).toBe(3);
  });

  it('[READ-DEV-2] a read made here and not yet reported is not undone by an older read event', async () => {
    await store([1, PEER], [2, PEER], [3, PEER]);
    server.connected = false;
    await reads.markRead(CONV, 3);
    await apply(readEvent(2, 1, { count: 2, asOf: 3, readSeq: 1 }));
    expect((await conv()).lastReadSeq).toBe(3);
    expect(await unread()).toBe(0);
  });

  it('[READ-DEV-3] the answer to a read is the newest word: read events older than it change nothing, newer ones do', async () => {
    await store([1, PEER], [2, PEER], [3, PEER]);
    server.extra.read = () => ({ lastReadSeq: 3, unread: { count: 0, asOf: 3, readSeq: 3 }, pts: 5 });
    await reads.markRead(CONV, 3);
    await reads.report();
    expect(await conv()).toMatchObject({ lastReadSeq: 3, readReported: 3, readPts: 5 });
    // Another device's earlier read (pts 4) arrives late, after the answer: it is older.
    await apply(readEvent(4, 1, { count: 2, asOf: 3, readSeq: 1 }));
    expect((await conv()).lastReadSeq).toBe(3);
    expect(await unread()).toBe(0);
    // `Mark as unread` on the phone after it (pts 6) does move it back.
    await apply(readEvent(6, 1, { count: 2, asOf: 3, readSeq: 1 }));
    expect((await conv()).lastReadSeq).toBe(1);
    expect(await unread()).toBe(2);
  });

  it('[RECEIPT-DEV-2] a member who was removed keeps showing the receipts the device last knew, and stops asking for them', async () => {
    const GROUP = 'g_9';
    const group = conversationEntry(2);
    if (group.event.type !== 'conversation') throw new Error('not a conversation entry');
    await apply({ pts: 2, event: { ...group.event, conversation: { ...group.event.conversation, id: GROUP, kind: 'group', name: 'Team' } } });
    await apply({ pts: 3, event: { type: 'message', message: { ...message(1, ME), conversationId: GROUP } } });
    await apply({ pts: 4, event: { type: 'receipt', conversationId: GROUP, userId: PEER, seq: 1, firstSeq: 1 } });
    const member = await db.conversations.get(GROUP);
    expect(loadsReceipts(member)).toBe(true);
    expect(await shownReceipts(db, member)).toMatchObject([{ userId: PEER, seq: 1 }]);

    await apply({ pts: 5, event: { type: 'message', message: { ...message(2, PEER, ''), conversationId: GROUP, system: { type: 'removed', userId: ME } } } });
    const removed = await db.conversations.get(GROUP);
    expect(removed?.leftSeq).toBe(2);
    expect(loadsReceipts(removed)).toBe(false);
    expect(await shownReceipts(db, removed)).toMatchObject([{ userId: PEER, seq: 1 }]);
    // One-to-one has no group receipts to show.
    expect(await shownReceipts(db, await conv())).toEqual([]);
  });

  it('[RECEIPT-DEV-1] receipts are kept per member; one-to-one they move the peer’s read position forward only', async () => {
    await apply({ pts: 2, event: { type: 'receipt', conversationId: CONV, userId: PEER, seq: 5, firstSeq: 1 } });
    await apply({ pts: 3, event: { type: 'receipt', conversationId: CONV, userId: PEER, seq: 4, firstSeq: 1 } });
    expect((await conv()).peerReadSeq).toBe(5);
    expect(await db.receipts.get([CONV, PEER])).toMatchObject({ seq: 5, firstSeq: 1 });
  });
});

describe('drafts on a device', () => {
  it('[DRAFT-DEV-1] a draft typed here is kept while offline, sent once connected, and not overwritten by the server meanwhile', async () => {
    server.connected = false;
    await reads.saveDraft(CONV, 'half a thought', 100);
    expect((await conv()).draft).toEqual({ text: 'half a thought', updatedAt: 100 });
    await apply({ pts: 2, event: { type: 'draft', conversationId: CONV, draft: { text: 'older, from the phone', updatedAt: 50 } } });
    expect((await conv()).draft?.text).toBe('half a thought');

    server.connected = true;
    server.extra.draft = () => ({ draft: { text: 'half a thought', updatedAt: 101 } });
    await reads.flushDrafts();
    expect(server.log.filter((r) => r.type === 'draft')).toEqual([{ type: 'draft', conversationId: CONV, text: 'half a thought' }]);
    expect((await conv()).draftPending).toBe(false);

    // Now the server's word counts: a send on the phone cleared it.
    await apply({ pts: 3, event: { type: 'draft', conversationId: CONV, draft: null } });
    expect((await conv()).draft).toBeNull();
  });
});

describe('profiles on a device', () => {
  it('[PROFILE-DEV-1] a `user` event replaces the stored profile, so every screen shows the new name', async () => {
    await apply({ pts: 2, event: { type: 'user', user: { id: PEER, username: 'bob', displayName: 'Bob' } } });
    await apply({ pts: 3, event: { type: 'user', user: { id: PEER, username: 'bob', displayName: 'Robert' } } });
    expect(await db.users.get(PEER)).toEqual({ id: PEER, username: 'bob', displayName: 'Robert' });
  });
});

describe('replies on a device', () => {
  it('[REPLY-DEV-1] when a quoted message is recalled, the quotes of it keep only that it was recalled', async () => {
    const quoted = { ...message(2, ME), replyTo: { seq: 1, senderId: PEER, text: 'the secret plan', recalled: false } };
    const other = { ...message(3, PEER), replyTo: { seq: 2, senderId: ME, text: 'm2', recalled: false } };
    await store([1, PEER]);
    await db.transaction('rw', [db.conversations, db.messages, db.outbox], () => storeMessages(db, ME, CONV, [quoted, other]));
    await apply({ pts: 2, event: { type: 'recall', conversationId: CONV, seq: 1, by: PEER, senderId: PEER } });
    const rows = await db.messages.where('[conversationId+order]').between([CONV, 1], [CONV, 3], true, true).toArray();
    expect(rows.map((r) => [r.seq, r.text, r.replyTo])).toEqual([
      [1, '', null],
      [2, 'm2', { seq: 1, senderId: PEER, text: '', recalled: true }],
      [3, 'm3', { seq: 2, senderId: ME, text: 'm2', recalled: false }],
    ]);
  });
});
