import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDb } from './db';

describe('local store migrations', () => {
  it('[STORE-DEXIE-1] a store made before groups is upgraded with one-to-one defaults', async () => {
    const name = 'migration-test-v1';
    const old = new Dexie(name);
    old.version(1).stores({ conversations: 'id, activityAt', messages: 'key, [conversationId+order], msgId', outbox: '++id, messageKey', users: 'id, username', meta: 'key' });
    await old.table('conversations').put({ id: 'd_1_2', kind: 'direct', memberIds: ['1', '2'], lastSeq: 3, ranges: [[1, 3]], activityAt: 5 });
    await old.table('messages').put({ key: 'k', conversationId: 'd_1_2', order: 1, seq: 1, text: 'hi' });
    old.close();

    const db = openDb(name);
    const c = await db.conversations.get('d_1_2');
    expect(c).toMatchObject({ kind: 'direct', name: null, announcement: '', memberCount: 2, role: 'member', firstSeq: 1, leftSeq: null, inboxFanout: true, stateSeq: 0, lastSeq: 3 });
    expect(await db.messages.get('k')).toMatchObject({ text: 'hi', system: null });
    await db.delete();
  });
});
