import { describe, expect, it } from 'vitest';
import type { StoredConversation, StoredMessage } from '../../store/db';
import { PENDING_BASE } from '../../store/db';
import { logItems, withDays } from './log-items';

const conv = (ranges: [number, number][], lastSeq: number): StoredConversation => ({
  id: 'd_1_2',
  kind: 'direct',
  name: null,
  announcement: '',
  memberIds: ['1', '2'],
  memberCount: 2,
  role: 'member',
  firstSeq: 1,
  leftSeq: null,
  inboxFanout: true,
  stateSeq: 0,
  lastSeq,
  lastMessage: null,
  lastReadSeq: 0,
  readReported: 0,
  unread: { count: 0, asOf: 0, readSeq: 0 },
  peerDeliveredSeq: 0,
  peerReadSeq: 0,
  draft: null,
  draftPending: false,
  maxOtherSeq: 0,
  deliveredReported: 0,
  ranges,
  activityAt: 0,
});

const msg = (seq: number | null, key = `k${seq}`, senderId = '1'): StoredMessage => ({
  key,
  conversationId: 'd_1_2',
  senderId,
  clientMsgId: key,
  text: key,
  msgId: null,
  seq,
  order: seq ?? PENDING_BASE,
  serverTime: null,
  createdAt: 0,
  system: null,
  recalledBy: null,
  replyTo: null,
  mentions: null,
});

const shape = (items: ReturnType<typeof logItems>) => items.map((i) => (i.kind === 'hole' ? `hole ${i.from}-${i.to}` : i.key));

describe('log rows', () => {
  it('[LOG-1] a hole between held ranges is a row of its own, never silently skipped', () => {
    const items = logItems(conv([[1, 2], [5, 6]], 6), [msg(1), msg(2), msg(5), msg(6)]);
    expect(shape(items)).toEqual(['k1', 'k2', 'hole 3-4', 'k5', 'k6']);
  });

  it('[LOG-2] a hole below the head goes after the newest held message and before pending ones', () => {
    const items = logItems(conv([[1, 2]], 4), [msg(1), msg(2), msg(null, 'pending')]);
    expect(shape(items)).toEqual(['k1', 'k2', 'hole 3-4', 'pending']);
  });

  it('[LOG-3] a device holding nothing of a non-empty conversation shows one hole for it', () => {
    expect(shape(logItems(conv([], 300), []))).toEqual(['hole 1-300']);
  });

  it('[LOG-4] history below the first shown message is not a hole row (the header loads it)', () => {
    expect(shape(logItems(conv([[250, 300]], 300), [msg(250), msg(251)]))).toEqual(['k250', 'k251']);
  });

  it('[LOG-5] a run of messages from one sender names them once; a system line or hole breaks the run', () => {
    const line = { ...msg(3, 'sys'), system: { type: 'left' as const } };
    const items = logItems(conv([[1, 5]], 5), [msg(1, 'a'), msg(2, 'b'), line, msg(4, 'c'), msg(5, 'd', '2')]);
    expect(items.map((i) => (i.kind === 'message' ? `${i.key}${i.first ? '*' : ''}` : i.kind))).toEqual(['a*', 'b', 'system', 'c*', 'd*']);
  });

  it('[LOG-6] the first line of each local day carries the day; holes do not start a day', () => {
    const at = (day: number, seq: number) => ({ ...msg(seq), serverTime: Date.UTC(2026, 10, day, 12) });
    const items = logItems(conv([[1, 2], [4, 5]], 5), [at(1, 1), at(1, 2), at(2, 4), at(3, 5)]);
    const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(withDays(items, utcDay).map((i) => (i.kind === 'hole' ? 'hole' : `${i.key}${i.day ? ` ${utcDay(i.day)}` : ''}`))).toEqual([
      'k1 2026-11-01',
      'k2',
      'hole',
      'k4 2026-11-02',
      'k5 2026-11-03',
    ]);
  });
});
