/**
 * The history checker's verdict on hand-made data: a clean fixture counts nothing, and each
 * kind of violation planted in it is counted, so the checker is shown able to fail.
 */
import { describe, expect, it } from 'vitest';
import { analyze, COUNT_NAMES, formatReport, type Collected, type CountName, type DeviceSnapshot, type SendRecord } from './analyze';

const AB = 'd_a_b';
const BC = 'd_b_c';
const G = 'g_1';
const msg = (conversationId: string, seq: number | null, senderId: string, text: string) => ({ conversationId, seq, senderId, clientMsgId: `cm-${text}`, text, recalledBy: null as string | null });
/** A group's system line: no text, told apart by its clientMsgId. */
const line = (conversationId: string, seq: number, senderId: string, id: string) => ({ conversationId, seq, senderId, clientMsgId: id, text: '', recalledBy: null as string | null });

function device(name: string, userId: string, held: ReturnType<typeof msg>[]): DeviceSnapshot {
  const convs = [...new Set(held.map((m) => m.conversationId))];
  return {
    name,
    userId,
    liveFromOp: 0,
    textsBeforeFill: held.map((m) => m.text),
    messages: held,
    conversations: convs.map((id) => {
      const top = Math.max(...held.filter((m) => m.conversationId === id).map((m) => m.seq ?? 0));
      return { id, lastSeq: top, ranges: [[1, top]] };
    }),
  };
}

const send = (op: number, dev: string, senderId: string, conversationId: string, text: string, seq: number, disrupted = false): SendRecord => ({
  op,
  device: dev,
  senderId,
  conversationId,
  text,
  acked: true,
  seq,
  failed: false,
  disrupted,
});

/**
 * Users a, b, c; chats a–b (3 messages) and b–c (1); a group of a and b on the room path (its
 * 'created' line at seq 1, then 2 messages), c not in it; a has two devices. Nothing wrong.
 */
function clean(): Collected {
  const m1 = msg(AB, 1, 'a', 'm1');
  const m2 = msg(AB, 2, 'b', 'm2');
  const m3 = msg(AB, 3, 'a', 'm3');
  const n1 = msg(BC, 1, 'c', 'n1');
  // c's second message to b was recalled: its place stays, its text is gone everywhere.
  const n2 = { ...msg(BC, 2, 'c', 'n2'), text: '', recalledBy: 'c' };
  const g1 = line(G, 1, 'a', 'line-created');
  const g2 = msg(G, 2, 'b', 'g2');
  const g3 = msg(G, 3, 'a', 'g3');
  const group = [g1, g2, g3];
  return {
    conversations: [
      // a read up to m1 (m2 from b is unread, m3 is a's own); b read everything.
      { id: AB, memberIds: ['a', 'b'], lastSeq: 3, kind: 'direct', reads: { a: { lastReadSeq: 1, receiptSeq: 1 }, b: { lastReadSeq: 3, receiptSeq: 3 } } },
      { id: BC, memberIds: ['b', 'c'], lastSeq: 2, kind: 'direct' },
      { id: G, memberIds: ['a', 'b'], lastSeq: 3, kind: 'group', room: true, firstSeq: { a: 1, b: 1 } },
    ],
    server: [m1, m2, m3, n1, n2, ...group].map((m) => ({ ...m, seq: m.seq ?? 0 })),
    devices: [
      { ...device('a1', 'a', [m1, m2, m3, ...group]), reads: [{ id: AB, lastReadSeq: 1, unread: 1, peerReadSeq: 3 }] },
      { ...device('a2', 'a', [m1, m2, m3, ...group]), reads: [{ id: AB, lastReadSeq: 1, unread: 1, peerReadSeq: 3 }] },
      { ...device('b1', 'b', [m1, m2, m3, n1, n2, ...group]), reads: [{ id: AB, lastReadSeq: 3, unread: 0, peerReadSeq: 0 }] },
      device('c1', 'c', [n1, n2]),
    ],
    sends: [
      send(0, 'a1', 'a', AB, 'm1', 1),
      send(1, 'b1', 'b', AB, 'm2', 2),
      send(2, 'a1', 'a', AB, 'm3', 3),
      send(3, 'c1', 'c', BC, 'n1', 1, true),
      send(4, 'b1', 'b', G, 'g2', 2),
      send(5, 'a2', 'a', G, 'g3', 3),
      send(6, 'c1', 'c', BC, 'n2', 2),
    ],
    recalls: [{ op: 7, device: 'c1', conversationId: BC, seq: 2, text: 'n2', acked: true }],
  };
}

const dev = (c: Collected, name: string): DeviceSnapshot => {
  const d = c.devices.find((x) => x.name === name);
  if (!d) throw new Error(name);
  return d;
};
const replaceDevice = (c: Collected, d: DeviceSnapshot): Collected => ({ ...c, devices: c.devices.map((x) => (x.name === d.name ? d : x)) });
const without = (d: DeviceSnapshot, text: string): DeviceSnapshot => ({ ...d, messages: d.messages.filter((m) => m.text !== text) });
const withRanges = (d: DeviceSnapshot, id: string, ranges: [number, number][]): DeviceSnapshot => ({
  ...d,
  conversations: d.conversations.map((c) => (c.id === id ? { ...c, ranges } : c)),
});

/** The device's read state of AB with some fields changed (the rest as they were). */
const withRead = (d: DeviceSnapshot, change: Partial<NonNullable<DeviceSnapshot['reads']>[number]>): DeviceSnapshot => ({
  ...d,
  reads: (d.reads ?? []).map((r) => (r.id === AB ? { ...r, ...change } : r)),
});

const zero = Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as Record<CountName, number>;

/** Each planted defect and exactly what it must count (a missing message also leaves a gap). */
const PLANTED: Record<string, { make: (c: Collected) => Collected; counts: Partial<Record<CountName, number>> }> = {
  'lost: the peer lacks an acked message': { make: (c) => replaceDevice(c, without(dev(c, 'b1'), 'n1')), counts: { lost: 1, 'gap-unfilled': 1 } },
  'duplicate: a device stores one text twice': {
    make: (c) => replaceDevice(c, { ...dev(c, 'a1'), messages: [...dev(c, 'a1').messages, { ...msg(AB, null, 'b', 'm2'), clientMsgId: 'other' }] }),
    counts: { duplicate: 1 },
  },
  'duplicate: an unknown send landed twice on the server': {
    make: (c) => ({ ...c, server: [...c.server, { ...msg(AB, 4, 'c', 'n1'), seq: 4 }] }),
    // The server copy at seq 4 is beyond the head the conversations table reports: only the duplicate counts.
    counts: { duplicate: 1 },
  },
  'order-mismatch: a device holds two messages at swapped seqs': {
    make: (c) => replaceDevice(c, {
      ...dev(c, 'a2'),
      messages: [...dev(c, 'a2').messages.filter((m) => m.conversationId !== AB), msg(AB, 1, 'a', 'm1'), msg(AB, 3, 'b', 'm2'), msg(AB, 2, 'a', 'm3')],
    }),
    counts: { 'order-mismatch': 2 },
  },
  'order-mismatch: one device’s sends got seqs out of order': {
    make: (c) => ({ ...c, sends: c.sends.map((s) => (s.text === 'm1' ? { ...s, op: 5 } : s)) }),
    counts: { 'order-mismatch': 1 },
  },
  'gap-unfilled: held ranges leave a hole': {
    make: (c) => replaceDevice(c, withRanges(dev(c, 'a1'), AB, [[1, 1], [3, 3]])),
    counts: { 'gap-unfilled': 1 },
  },
  'leak: a non-member device holds a message': {
    make: (c) => replaceDevice(c, { ...dev(c, 'c1'), messages: [...dev(c, 'c1').messages, msg(AB, 1, 'a', 'm1')] }),
    counts: { leak: 1 },
  },
  'leak: the non-member holds a group message': {
    make: (c) => replaceDevice(c, { ...dev(c, 'c1'), messages: [...dev(c, 'c1').messages, msg(G, 2, 'b', 'g2')] }),
    counts: { leak: 1 },
  },
  'gap-unfilled: a member device has a hole in the group': {
    // a1 lacks g2 (b's acked message) and its ranges say so: the hole, the missing seq, the loss.
    make: (c) => replaceDevice(c, withRanges(without(dev(c, 'a1'), 'g2'), G, [[1, 1], [3, 3]])),
    counts: { 'gap-unfilled': 2, lost: 1 },
  },
  'lost: a member device lacks the group’s created line (a system line, text empty)': {
    make: (c) => replaceDevice(c, withRanges({ ...dev(c, 'b1'), messages: dev(c, 'b1').messages.filter((m) => m.clientMsgId !== 'line-created') }, G, [[2, 3]])),
    counts: { lost: 1, 'gap-unfilled': 2 },
  },
  'order-mismatch: a device holds another system line at the group’s seq 1 (same empty text)': {
    make: (c) => replaceDevice(c, { ...dev(c, 'a1'), messages: dev(c, 'a1').messages.map((m) => (m.clientMsgId === 'line-created' ? { ...m, clientMsgId: 'line-other' } : m)) }),
    counts: { 'order-mismatch': 1 },
  },
  'read-your-writes: the sender’s other device lacks its acked message': {
    make: (c) => replaceDevice(c, without(dev(c, 'a2'), 'm3')),
    counts: { 'read-your-writes': 1, 'gap-unfilled': 1 },
  },
  'read-mismatch: a device of a user has another read position than the server': {
    make: (c) => replaceDevice(c, withRead(dev(c, 'a2'), { lastReadSeq: 2 })),
    counts: { 'read-mismatch': 1 },
  },
  'unread-mismatch: a device shows another unread number than the shared rule gives': {
    make: (c) => replaceDevice(c, withRead(dev(c, 'a1'), { unread: 0 })),
    counts: { 'unread-mismatch': 1 },
  },
  'receipt-mismatch: a device thinks the other person read further than they did': {
    make: (c) => replaceDevice(c, withRead(dev(c, 'b1'), { peerReadSeq: 2 })),
    counts: { 'receipt-mismatch': 1 },
  },
  'receipt-mismatch: a device misses that the other person read its message': {
    make: (c) => replaceDevice(c, withRead(dev(c, 'a2'), { peerReadSeq: 1 })),
    counts: { 'receipt-mismatch': 1 },
  },
  'recall-lost: the server acked a recall it did not do': {
    make: (c) => ({ ...c, recalls: [...(c.recalls ?? []), { op: 8, device: 'b1', conversationId: AB, seq: 2, text: 'm2', acked: true }] }),
    counts: { 'recall-lost': 1 },
  },
  'recall-unerased: a device still shows a recalled message’s text': {
    make: (c) => replaceDevice(c, { ...dev(c, 'b1'), messages: dev(c, 'b1').messages.map((m) => (m.clientMsgId === 'cm-n2' ? { ...m, text: 'n2', recalledBy: null } : m)) }),
    counts: { 'recall-unerased': 1 },
  },
  'recall-unerased: a device keeps the recalled text in another row (a stale pending copy)': {
    make: (c) => replaceDevice(c, { ...dev(c, 'c1'), messages: [...dev(c, 'c1').messages, { ...msg(BC, null, 'c', 'n2'), clientMsgId: 'cm-copy' }] }),
    counts: { 'recall-unerased': 1 },
  },
  'recall-mismatch: a device shows a message recalled that the server did not recall': {
    // The text is gone there too: the acked message is lost on that device.
    make: (c) => replaceDevice(c, { ...dev(c, 'a1'), messages: dev(c, 'a1').messages.map((m) => (m.text === 'm2' ? { ...m, text: '', recalledBy: 'b' } : m)) }),
    counts: { 'recall-mismatch': 1, lost: 1 },
  },
  'lost: a member device lacks a recalled message’s place': {
    make: (c) => replaceDevice(c, withRanges({ ...dev(c, 'b1'), messages: dev(c, 'b1').messages.filter((m) => m.clientMsgId !== 'cm-n2') }, BC, [[1, 1]])),
    counts: { lost: 1, 'gap-unfilled': 2 },
  },
  'server-crash: the server exited without its armed crash point firing': {
    make: (c) => ({ ...c, serverCrashes: ['exit code 1, signal null, armed mid-pull, said nothing: TypeError: boom'] }),
    counts: { 'server-crash': 1 },
  },
  'inbox-miss: a live device got a message only from history': {
    make: (c) => replaceDevice(c, { ...dev(c, 'b1'), textsBeforeFill: dev(c, 'b1').textsBeforeFill.filter((t) => t !== 'm3') }),
    counts: { 'inbox-miss': 1 },
  },
  'inbox-miss: a live member device got a room-path group message only from the final history load': {
    make: (c) => replaceDevice(c, { ...dev(c, 'b1'), textsBeforeFill: dev(c, 'b1').textsBeforeFill.filter((t) => t !== 'g3') }),
    counts: { 'inbox-miss': 1 },
  },
};

describe('history checker analysis', () => {
  it('counts nothing on consistent data, and reads the unknown send as landed once', () => {
    const r = analyze(clean());
    expect(r.counts).toEqual(zero);
    expect(r.violations).toEqual([]);
    expect(r.sends).toEqual({ total: 7, ok: 6, fail: 0, unknown: 1, unknownAcked: 1, unknownOnServer: 1, unknownFailed: 0 });
    expect(r.groupMessages).toBe(3);
    expect(r.roomGroups).toBe(1);
  });

  for (const [name, { make, counts }] of Object.entries(PLANTED)) {
    it(`counts ${name}`, () => {
      expect(analyze(make(clean())).counts).toEqual({ ...zero, ...counts });
    });
  }

  it('fails with every kind at once, naming the seed and the first violations', () => {
    const all = Object.values(PLANTED).reduce((c, p) => p.make(c), clean());
    const r = analyze(all);
    for (const n of COUNT_NAMES) expect(r.counts[n], n).toBeGreaterThan(0);
    const text = formatReport(r, 1234, 50);
    expect(text).toContain('FAILED with seed 1234');
    expect(text).toMatch(/\[lost\] b1 lacks acked "n1"/);
    expect(text).toMatch(/\[leak\] c1 \(user c\) holds "g2" of g_1/);
    expect(text).toMatch(/\[lost\] b1 lacks system line line-created at g_1#1/);
    expect(text).toMatch(/\[server-crash\] the server died without a crash point firing: exit code 1/);
    expect(text).toMatch(/\[inbox-miss\] b1 got acked "g3" .* of room-path group g_1 only from the final history load/);
  });
});
