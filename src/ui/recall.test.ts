import { describe, expect, it } from 'vitest';
import type { StoredConversation, StoredMessage } from '../store/db';
import { canRecall } from './conversation/MessageActions';
import { previewText } from './previews';
import { recallText } from './system-lines';

/** The recall window the server says (TIDINGS_RECALL_WINDOW_S, 120 s by default). */
const W = 120_000;
const names: Record<string, string> = { '1': 'Alice', '2': 'Bob', '3': 'Owen' };
const nameOf = (id: string) => names[id] ?? 'Someone';

const conv = (kind: 'direct' | 'group', lastMessage: StoredConversation['lastMessage']) =>
  ({ id: 'c', kind, lastMessage }) as StoredConversation;

const msg = (over: Partial<StoredMessage> = {}): StoredMessage => ({
  key: 'k',
  conversationId: 'c',
  senderId: '1',
  clientMsgId: 'k',
  text: 'hello',
  msgId: '9',
  seq: 4,
  order: 4,
  serverTime: 1_000_000,
  createdAt: 1_000_000,
  system: null,
  recalledBy: null,
  replyTo: null,
  mentions: null,
  ...over,
});

describe('recall', () => {
  it('[RECALL-UI-1] says who recalled: "You" for the current user, else their name', () => {
    expect(recallText('1', '1', nameOf)).toBe('You recalled a message');
    expect(recallText('1', '2', nameOf)).toBe('Alice recalled a message');
    expect(recallText('3', '1', nameOf)).toBe('Owen recalled a message');
  });

  it('[RECALL-UI-2] the list preview of a recalled last message says the same words, never the text', () => {
    const last = { text: '', senderId: '1', serverTime: 1, seq: 4, recalledBy: '1' };
    expect(previewText(conv('direct', last), null, '2', nameOf)).toBe('Alice recalled a message');
    expect(previewText(conv('direct', last), null, '1', nameOf)).toBe('You recalled a message');
    expect(previewText(conv('group', { ...last, recalledBy: '3' }), null, '1', nameOf)).toBe('Owen recalled a message');
    expect(previewText(conv('group', { ...last, text: 'x', recalledBy: null }), null, '2', nameOf)).toBe('Alice: x');
  });

  it('[RECALL-UI-3] Recall is offered for own sent messages inside the window, and to group moderators', () => {
    const now = 1_000_000 + 60_000;
    expect(canRecall(msg(), true, false, now, W)).toBe(true);
    expect(canRecall(msg(), true, false, 1_000_000 + 121_000, W)).toBe(false);
    expect(canRecall(msg(), false, false, now, W)).toBe(false);
    expect(canRecall(msg({ seq: null, serverTime: null }), true, false, now, W)).toBe(false);
    expect(canRecall(msg({ recalledBy: '1', text: '' }), true, true, now, W)).toBe(false);
    expect(canRecall(msg(), false, true, 1_000_000 + 10_000_000, W)).toBe(true);
    expect(canRecall(msg({ system: { type: 'left' } }), false, true, now, W)).toBe(false);
  });
});
