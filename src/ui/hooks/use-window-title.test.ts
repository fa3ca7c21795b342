import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboxEntry, Message, Notify } from '../../protocol';
import { openDb, type TidingsDb } from '../../store/db';
import { applyEntry, storeMessages } from '../../sync/apply';
import { conversationEntry, ME, message } from '../../sync/testing/fakes';
import { totalUnread } from './use-window-title';

let db: TidingsDb;
let n = 0;

beforeEach(() => {
  db = openDb(`window-title-test-${++n}`);
});
afterEach(async () => {
  await db.delete();
});

/** A one-to-one chat with `peer` set to `notify`, holding one message from them per text. */
async function chat(pts: number, peer: string, notify: Notify, texts: readonly string[]): Promise<void> {
  const base = conversationEntry(pts);
  if (base.event.type !== 'conversation') throw new Error('not a conversation event');
  const id = `d_${ME}_${peer}`;
  const entry: InboxEntry = { pts, event: { ...base.event, conversation: { ...base.event.conversation, id, memberIds: [ME, peer], notify } } };
  const messages: Message[] = texts.map((text, i) => ({ ...message(i + 1, peer, text), conversationId: id, msgId: `${peer}-${i + 1}` }));
  await db.transaction('rw', [db.conversations, db.messages, db.outbox, db.users, db.meta, db.receipts], async () => {
    await applyEntry(db, ME, entry);
    await storeMessages(db, ME, id, messages);
  });
}

describe('the unread total in the title and the badge', () => {
  it('[NOTIFY-10] adds every conversation’s unread except muted ones', async () => {
    expect(await totalUnread(db, ME)).toBe(0);
    await chat(1, '2', 'all', ['one', 'two']);
    await chat(2, '3', 'mentions', ['three', 'four', 'five']);
    await chat(3, '4', 'muted', ['quiet']);
    expect(await totalUnread(db, ME)).toBe(5);
    // Unmuting brings its count in; muting another takes that one's out.
    await db.conversations.update(`d_${ME}_4`, { notify: 'all' });
    await db.conversations.update(`d_${ME}_2`, { notify: 'muted' });
    expect(await totalUnread(db, ME)).toBe(4);
    // Each conversation adds its unread count, not its messages.
    await db.conversations.update(`d_${ME}_3`, { lastReadSeq: 2 });
    expect(await totalUnread(db, ME)).toBe(2);
  });
});
