import { unreadCount } from '../../src/protocol/unread';

/**
 * The history checker's verdict: a pure function over what a run collected (the operation
 * outcomes, every device's store after the final catch-up, and the server's database).
 * Every count must be 0.
 */
export interface ServerMessage {
  conversationId: string;
  seq: number;
  senderId: string;
  clientMsgId: string;
  text: string;
  /** A system line (its text is empty). */
  system?: boolean;
  recalledBy?: string | null;
}

/** A device's read state of one conversation, after catching up (before loading full history). */
export interface DeviceReadState {
  id: string;
  lastReadSeq: number;
  /** What the device shows as `N unread` (the server's count plus what it holds above it). */
  unread: number;
  /** One-to-one: the other person's read position as this device knows it. */
  peerReadSeq: number;
}

export interface DeviceMessage {
  conversationId: string;
  seq: number | null;
  senderId: string;
  clientMsgId: string;
  text: string;
  pending?: string;
  /** Who recalled it, when this device knows it was recalled. */
  recalledBy?: string | null;
}

export interface DeviceConversation {
  id: string;
  lastSeq: number;
  ranges: ReadonlyArray<readonly [number, number]>;
}

export interface DeviceSnapshot {
  name: string;
  userId: string;
  /** Operations invoked before the device first became live: sends from then on must reach it by the inbox. */
  liveFromOp: number;
  /**
   * Texts the device held after catching up (inbox pull and pushes; for room-path groups also
   * room pushes, heads and gap fills), before it was made to load its full history.
   */
  textsBeforeFill: readonly string[];
  /** Read state after catching up; absent in fixtures that do not test reads. */
  reads?: readonly DeviceReadState[];
  messages: readonly DeviceMessage[];
  conversations: readonly DeviceConversation[];
}

export interface SendRecord {
  op: number;
  device: string;
  senderId: string;
  conversationId: string;
  text: string;
  /** The device's store showed the ack (a seq, nothing pending) at some point. */
  acked: boolean;
  seq: number | null;
  failed: boolean;
  /** The device went offline or the server stopped before the ack was seen. */
  disrupted: boolean;
}

/** A recall a device asked for: `acked` when the server's answer came back. */
export interface RecallRecord {
  op: number;
  device: string;
  conversationId: string;
  seq: number;
  /** The text the message had, which no device may keep once the recall is done. */
  text: string;
  acked: boolean;
}

export interface CollectedConversation {
  id: string;
  /** Its current members (user ids), from the server. */
  memberIds: readonly string[];
  /** Its head, from the server. */
  lastSeq: number;
  kind?: 'direct' | 'group';
  /** A group at or above the server's inbox fan-out threshold: no inbox events, room pushes and heads instead. */
  room?: boolean;
  /** member id -> the first seq that member reads (their join line); 1 when absent. */
  firstSeq?: Readonly<Record<string, number>>;
  /** member id -> their read position and receipt on the server. */
  reads?: Readonly<Record<string, { lastReadSeq: number; receiptSeq: number }>>;
}

export interface Collected {
  conversations: readonly CollectedConversation[];
  server: readonly ServerMessage[];
  devices: readonly DeviceSnapshot[];
  sends: readonly SendRecord[];
  recalls?: readonly RecallRecord[];
  /** The server pruned inboxes on restart (retention 0): devices legitimately fell back to history. */
  inboxPruned?: boolean;
  /**
   * Exits of the server that were neither asked for nor a crash point firing (one line each):
   * a crash of its own, which no retry can make right.
   */
  serverCrashes?: readonly string[];
}

export const COUNT_NAMES = [
  'lost',
  'duplicate',
  'order-mismatch',
  'gap-unfilled',
  'leak',
  'read-your-writes',
  'inbox-miss',
  'read-mismatch',
  'unread-mismatch',
  'receipt-mismatch',
  'recall-lost',
  'recall-unerased',
  'recall-mismatch',
  'server-crash',
] as const;
export type CountName = (typeof COUNT_NAMES)[number];

export interface Violation {
  kind: CountName;
  detail: string;
}

export interface Report {
  counts: Record<CountName, number>;
  sends: { total: number; ok: number; fail: number; unknown: number; unknownAcked: number; unknownFailed: number; unknownOnServer: number };
  recalls: { total: number; acked: number; onServer: number };
  serverMessages: number;
  /** With pruned inboxes: messages a live device got only from history (SYNC-7), not counted as inbox-miss. */
  historyFallbacks: number;
  /** Lines (messages and system lines) the server holds in groups, and how many of those groups are on the room path. */
  groupMessages: number;
  roomGroups: number;
  violations: Violation[];
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1);
  return m;
}

export function analyze(data: Collected): Report {
  const counts = Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as Record<CountName, number>;
  const violations: Violation[] = [];
  const flag = (kind: CountName, detail: string) => {
    counts[kind]++;
    violations.push({ kind, detail });
  };
  for (const crash of data.serverCrashes ?? []) flag('server-crash', `the server died without a crash point firing: ${crash}`);
  const members = new Map(data.conversations.map((c) => [c.id, new Set(c.memberIds)]));
  const convById = new Map(data.conversations.map((c) => [c.id, c]));
  const firstSeqOf = (conversationId: string, userId: string) => convById.get(conversationId)?.firstSeq?.[userId] ?? 1;
  // A message's identity: its text (every text the checker sends is unique), or for a system
  // line (text '', e.g. a group's 'created' line at seq 1) its sender and clientMsgId.
  const identity = (m: { conversationId: string; senderId: string; clientMsgId: string; text: string }) =>
    m.text !== '' ? m.text : `system line ${m.conversationId}/${m.senderId}/${m.clientMsgId}`;
  const describe = (m: { text: string; clientMsgId: string }) => (m.text !== '' ? `"${m.text}"` : `system line ${m.clientMsgId}`);
  const serverAt = new Map<string, ServerMessage>();
  for (const m of data.server) serverAt.set(`${m.conversationId}#${m.seq}`, m);
  const serverIdCount = countBy(data.server, identity);
  const serverTextCount = countBy(data.server, (m) => m.text);

  // The server: no message twice, seq gapless 1..lastSeq.
  for (const [id, n] of serverIdCount) if (n > 1) flag('duplicate', `server stores ${id.startsWith('system line') ? id : `"${id}"`} ${n} times`);
  for (const c of data.conversations) {
    for (let s = 1; s <= c.lastSeq; s++) if (!serverAt.has(`${c.id}#${s}`)) flag('gap-unfilled', `server lacks ${c.id}#${s}`);
  }

  const held = data.devices.map((d) => ({
    d,
    texts: countBy(d.messages, (m) => m.text),
    ids: countBy(d.messages, identity),
    before: new Set(d.textsBeforeFill),
    bySeq: new Map(d.messages.filter((m) => m.seq !== null).map((m) => [`${m.conversationId}#${m.seq}`, m])),
  }));

  for (const { d, ids, bySeq } of held) {
    for (const [id, n] of ids) if (n > 1) flag('duplicate', `${d.name} stores ${id.startsWith('system line') ? id : `"${id}"`} ${n} times`);
    const seqCount = countBy(
      d.messages.filter((m) => m.seq !== null),
      (m) => `${m.conversationId}#${m.seq}`,
    );
    for (const [at, n] of seqCount) if (n > 1) flag('order-mismatch', `${d.name} holds ${n} messages at ${at}`);
    for (const m of d.messages) {
      if (!members.get(m.conversationId)?.has(d.userId)) {
        flag('leak', `${d.name} (user ${d.userId}) holds ${describe(m)} of ${m.conversationId}`);
        continue;
      }
      if (m.seq === null) continue;
      if (m.seq < firstSeqOf(m.conversationId, d.userId)) {
        flag('leak', `${d.name} holds ${describe(m)} at ${m.conversationId}#${m.seq}, before its join line ${firstSeqOf(m.conversationId, d.userId)}`);
        continue;
      }
      const expected = serverAt.get(`${m.conversationId}#${m.seq}`);
      const at = `${m.conversationId}#${m.seq}`;
      if (!expected || expected.senderId !== m.senderId || expected.clientMsgId !== m.clientMsgId) {
        flag('order-mismatch', `${d.name} has ${describe(m)} at ${at}, server has ${expected ? describe(expected) : 'nothing'}`);
      } else if (expected.recalledBy) {
        // Recalled: the text is gone everywhere (the server's too), so the ids say which it is.
        if (m.text !== '' || m.recalledBy !== expected.recalledBy) flag('recall-unerased', `${d.name} shows ${describe(m)} at ${at} (recalled by ${m.recalledBy ?? 'nobody'}), the server recalled it (by ${expected.recalledBy})`);
      } else if (m.recalledBy) {
        flag('recall-mismatch', `${d.name} shows ${at} recalled by ${m.recalledBy}, the server did not recall it`);
      } else if (identity(expected) !== identity(m)) {
        flag('order-mismatch', `${d.name} has ${describe(m)} at ${at}, server has ${describe(expected)}`);
      }
    }
    for (const c of d.conversations) {
      if (!members.get(c.id)?.has(d.userId)) flag('leak', `${d.name} (user ${d.userId}) holds conversation ${c.id}`);
    }
    for (const c of data.conversations) {
      if (!c.memberIds.includes(d.userId)) continue;
      const first = firstSeqOf(c.id, d.userId);
      const mine = d.conversations.find((x) => x.id === c.id);
      const ranges = mine?.ranges ?? [];
      const covered = c.lastSeq < first ? ranges.length === 0 : ranges.length === 1 && ranges[0]?.[0] === first && ranges[0]?.[1] === c.lastSeq;
      if (!covered) flag('gap-unfilled', `${d.name}: ${c.id} ranges ${JSON.stringify(ranges)}, first seq ${first}, head ${c.lastSeq}`);
      for (let s = first; s <= c.lastSeq; s++) {
        if (bySeq.has(`${c.id}#${s}`)) continue;
        flag('gap-unfilled', `${d.name} lacks ${c.id}#${s}`);
        // A system line is a message every member holds too (it is no one's send, so the
        // check on acked sends below does not see it).
        const line = serverAt.get(`${c.id}#${s}`);
        if (line && line.text === '' && !line.recalledBy) flag('lost', `${d.name} lacks ${describe(line)} at ${c.id}#${s}`);
      }
    }
  }

  checkReads(data, flag);
  checkRecalls(data, serverAt, flag);

  let historyFallbacks = 0;
  for (const s of data.sends) {
    if (!s.acked) continue;
    const where = `"${s.text}" (op ${s.op}, seq ${s.seq})`;
    const row = s.seq === null ? undefined : serverAt.get(`${s.conversationId}#${s.seq}`);
    // A recalled message keeps its place (seq, sender) without its text, on the server and devices.
    const recalled = !!row?.recalledBy && row.senderId === s.senderId;
    if (!row || (!recalled && row.text !== s.text)) flag('lost', `server lacks acked ${where}`);
    const conv = convById.get(s.conversationId);
    for (const { d, texts, before, bySeq } of held) {
      if (!members.get(s.conversationId)?.has(d.userId)) continue;
      if (s.seq !== null && s.seq < firstSeqOf(s.conversationId, d.userId)) continue;
      if (recalled) {
        if (!bySeq.has(`${s.conversationId}#${s.seq}`)) flag(d.userId === s.senderId ? 'read-your-writes' : 'lost', `${d.name} lacks acked, since recalled ${where}`);
        continue;
      }
      if (!texts.has(s.text)) flag(d.userId === s.senderId ? 'read-your-writes' : 'lost', `${d.name} lacks acked ${where}`);
      else if (d.liveFromOp <= s.op && !before.has(s.text)) {
        // Live sync must have brought it: by the inbox (pull or push) on the inbox path; by a
        // room push, heads on (re)connect or the gap fill either reveals on the room path.
        if (data.inboxPruned) historyFallbacks++;
        else if (conv?.room) flag('inbox-miss', `${d.name} got acked ${where} of room-path group ${s.conversationId} only from the final history load (no room push, heads or gap fill brought it)`);
        else flag('inbox-miss', `${d.name} got acked ${where} only from history`);
      }
    }
  }

  // One device's sends to one conversation get seqs in the order they were made (OUT-2).
  const lastOf = new Map<string, SendRecord>();
  for (const s of [...data.sends].sort((a, b) => a.op - b.op)) {
    if (!s.acked || s.seq === null) continue;
    const k = `${s.device}|${s.conversationId}`;
    const prev = lastOf.get(k);
    if (prev?.seq != null && prev.seq > s.seq) flag('order-mismatch', `${s.device} sent op ${prev.op} before op ${s.op}, but got seq ${prev.seq} > ${s.seq}`);
    lastOf.set(k, s);
  }

  const unknown = data.sends.filter((s) => s.disrupted);
  // On the server by its text, or, recalled since, by its place.
  const onServer = (s: SendRecord) => {
    const row = s.seq === null ? undefined : serverAt.get(`${s.conversationId}#${s.seq}`);
    return (serverTextCount.get(s.text) ?? 0) > 0 || (!!row?.recalledBy && row.senderId === s.senderId);
  };
  const recalls = data.recalls ?? [];
  return {
    counts,
    recalls: {
      total: recalls.length,
      acked: recalls.filter((r) => r.acked).length,
      onServer: recalls.filter((r) => serverAt.get(`${r.conversationId}#${r.seq}`)?.recalledBy).length,
    },
    sends: {
      total: data.sends.length,
      ok: data.sends.filter((s) => !s.disrupted && s.acked).length,
      fail: data.sends.filter((s) => !s.disrupted && s.failed).length,
      unknown: unknown.length,
      unknownAcked: unknown.filter((s) => s.acked).length,
      unknownFailed: unknown.filter((s) => s.failed).length,
      unknownOnServer: unknown.filter(onServer).length,
    },
    serverMessages: data.server.length,
    historyFallbacks,
    groupMessages: data.server.filter((m) => convById.get(m.conversationId)?.kind === 'group').length,
    roomGroups: data.conversations.filter((c) => c.kind === 'group' && c.room).length,
    violations,
  };
}

/**
 * Reads (the message lifecycle): after catching up, every device of a user has the server's
 * read position (`read-mismatch`) and shows the unread number the shared rule gives on the
 * server's messages (`unread-mismatch`); in one-to-one chats a device knows the other
 * person's read position at least as far as its own messages they read, and no further
 * (`receipt-mismatch`).
 */
function checkReads(data: Collected, flag: (kind: CountName, detail: string) => void): void {
  const byConv = new Map<string, ServerMessage[]>();
  for (const m of data.server) byConv.set(m.conversationId, [...(byConv.get(m.conversationId) ?? []), m]);
  for (const d of data.devices) {
    if (!d.reads) continue;
    for (const r of d.reads) {
      const c = data.conversations.find((x) => x.id === r.id);
      const server = c?.reads?.[d.userId];
      if (!c || !server) continue;
      if (r.lastReadSeq !== server.lastReadSeq) flag('read-mismatch', `${d.name}: ${r.id} read up to ${r.lastReadSeq}, server says ${server.lastReadSeq}`);
      const lines = (byConv.get(r.id) ?? []).map((m) => ({ seq: m.seq, senderId: m.senderId, system: m.system ? true : null, recalledBy: m.recalledBy ?? null }));
      const expected = unreadCount(lines, d.userId, server.lastReadSeq, c.lastSeq);
      if (r.unread !== expected) flag('unread-mismatch', `${d.name}: ${r.id} shows ${r.unread} unread, the server's messages say ${expected}`);
      if (c.kind !== 'group') {
        const peer = c.memberIds.find((id) => id !== d.userId);
        const theirs = peer ? c.reads?.[peer] : undefined;
        if (!theirs) continue;
        const mineRead = Math.max(0, ...(byConv.get(r.id) ?? []).filter((m) => m.senderId === d.userId && !m.system && m.seq <= theirs.receiptSeq).map((m) => m.seq));
        if (r.peerReadSeq > theirs.receiptSeq || r.peerReadSeq < mineRead) {
          flag('receipt-mismatch', `${d.name}: ${r.id} peer read ${r.peerReadSeq}, their receipt ${theirs.receiptSeq}, own messages read up to ${mineRead}`);
        }
      }
    }
  }
}

/**
 * Recalls: one the server acked is on the server (`recall-lost`); no device keeps the text of a
 * message the server recalled, anywhere in its store (`recall-unerased`; the row at its seq is
 * checked above).
 */
function checkRecalls(data: Collected, serverAt: ReadonlyMap<string, ServerMessage>, flag: (kind: CountName, detail: string) => void): void {
  for (const r of data.recalls ?? []) {
    const row = serverAt.get(`${r.conversationId}#${r.seq}`);
    if (r.acked && !row?.recalledBy) flag('recall-lost', `the server acked the recall of ${r.conversationId}#${r.seq} (op ${r.op}, ${r.device}) but did not recall it`);
    if (!row?.recalledBy) continue;
    for (const d of data.devices) {
      const copy = d.messages.find((m) => m.text === r.text && !(m.conversationId === r.conversationId && m.seq === r.seq));
      if (copy) flag('recall-unerased', `${d.name} still holds the text of recalled ${r.conversationId}#${r.seq} at ${copy.conversationId}#${copy.seq ?? 'pending'}`);
    }
  }
}

export function violationCount(r: Report): number {
  return Object.values(r.counts).reduce((a, b) => a + b, 0);
}

export function formatReport(r: Report, seed: number, maxViolations = 8): string {
  const s = r.sends;
  const lines = [
    `sends: ${s.total} (ok ${s.ok}, fail ${s.fail}, unknown ${s.unknown}: later acked ${s.unknownAcked}, failed ${s.unknownFailed}, on server ${s.unknownOnServer})`,
    `recalls: ${r.recalls.total} (acked ${r.recalls.acked}, on server ${r.recalls.onServer})`,
    `server messages: ${r.serverMessages}${r.groupMessages > 0 ? ` (${r.groupMessages} in groups${r.roomGroups > 0 ? ', room path' : ', inbox path'})` : ''}${r.historyFallbacks > 0 ? `; messages devices got only from history after a tooLong: ${r.historyFallbacks}` : ''}`,
    ...Object.entries(r.counts).map(([k, v]) => `${k.padEnd(17)} ${v}`),
  ];
  if (r.violations.length > 0) {
    lines.push(`FAILED with seed ${seed}; first violations:`);
    for (const v of r.violations.slice(0, maxViolations)) lines.push(`  [${v.kind}] ${v.detail}`);
  }
  return lines.join('\n');
}
