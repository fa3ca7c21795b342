/**
 * Writes what the server says into the local store. Every function here is idempotent:
 * applying the same message, page or event twice leaves the store as applying it once.
 */
import { directMemberIds, type BootstrapResult, type ConversationSummary, type InboxEntry, type Message, type UserPublic } from '../protocol';
import { messageKey, type StoredConversation, type StoredMessage, type TidingsDb } from '../store/db';
import { addRange } from '../store/ranges';
import { applyServerPrefs } from './settings';

function newConversation(s: ConversationSummary): StoredConversation {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    announcement: s.announcement,
    memberIds: s.memberIds,
    memberCount: s.memberCount,
    role: s.role,
    firstSeq: s.firstSeq,
    leftSeq: s.leftSeq,
    inboxFanout: s.inboxFanout,
    historyOnJoin: s.historyOnJoin,
    stateSeq: 0,
    lastSeq: s.lastSeq,
    lastMessage: null,
    lastReadSeq: s.lastReadSeq,
    readReported: s.lastReadSeq,
    unread: s.unread,
    peerDeliveredSeq: s.peerDeliveredSeq,
    peerReadSeq: s.peerReadSeq,
    draft: s.draft,
    draftPending: false,
    pinned: s.pinned,
    notify: s.notify,
    maxOtherSeq: 0,
    deliveredReported: 0,
    ranges: [],
    // It holds nothing yet: every recall so far is one it has no text of to erase.
    recallsSeen: s.recalls,
    recalls: s.recalls,
    activityAt: s.createdAt,
  };
}

/** A conversation id seen before its summary (rare: after a tooLong re-bootstrap). */
function placeholderConversation(id: string, at: number): StoredConversation {
  const memberIds = directMemberIds(id) ?? [];
  const group = id.startsWith('g_');
  return {
    id,
    kind: group ? 'group' : 'direct',
    name: null,
    announcement: '',
    memberIds,
    memberCount: memberIds.length,
    role: 'member',
    firstSeq: 1,
    leftSeq: null,
    inboxFanout: true,
    stateSeq: 0,
    lastSeq: 0,
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
    ranges: [],
    activityAt: at,
  };
}

export async function putUsers(db: TidingsDb, users: readonly UserPublic[]): Promise<void> {
  if (users.length > 0) await db.users.bulkPut(users.map((u) => ({ ...u })));
}

/** Merges a server summary into the local row: heads only move forward. */
/**
 * `atPts`: the user's pts the summary was read at (a `conversation` event's, a bootstrap's);
 * undefined for a summary answered just now (openDirect, createGroup), which is current.
 */
export async function mergeConversation(db: TidingsDb, s: ConversationSummary, atPts?: number): Promise<void> {
  const existing = (await db.conversations.get(s.id)) ?? newConversation(s);
  // Read state already taken from something newer (an answer to a read) stays.
  const readIsNewer = atPts !== undefined && atPts <= (existing.readPts ?? 0);
  // The summary describes the conversation as of its head; a system line newer than that
  // (already applied here) wins.
  const fresher = s.lastSeq >= existing.stateSeq;
  const merged: StoredConversation = {
    ...existing,
    ...(fresher
      ? {
          kind: s.kind,
          name: s.name,
          announcement: s.announcement,
          memberCount: s.memberCount,
          role: s.role,
          firstSeq: s.firstSeq,
          leftSeq: s.leftSeq,
          inboxFanout: s.inboxFanout,
          historyOnJoin: s.historyOnJoin,
          stateSeq: s.lastSeq,
        }
      : {}),
    memberIds: s.memberIds,
    lastSeq: Math.max(existing.lastSeq, s.lastSeq),
    // The server's read position and the unread count it made from it go together; a read
    // here that the server has not heard of yet stays ahead of them.
    ...(readIsNewer
      ? {}
      : {
          lastReadSeq: existing.lastReadSeq > existing.readReported ? Math.max(existing.lastReadSeq, s.lastReadSeq) : s.lastReadSeq,
          readReported: s.lastReadSeq,
          unread: s.unread,
          readPts: atPts ?? existing.readPts ?? 0,
        }),
    peerDeliveredSeq: Math.max(existing.peerDeliveredSeq, s.peerDeliveredSeq),
    peerReadSeq: Math.max(existing.peerReadSeq, s.peerReadSeq),
    // A device that learned the head (it shows in the list, counted unread) has received what
    // is up to it: the sender may see Delivered, also from a device signed in after the fact.
    maxOtherSeq: Math.max(existing.maxOtherSeq, s.lastSeq),
    // Recalls matter only for messages held here (see recalls.ts); holding none, it has seen them all.
    recallsSeen: existing.ranges.length === 0 ? Math.max(existing.recallsSeen ?? 0, s.recalls) : (existing.recallsSeen ?? 0),
    recalls: Math.max(existing.recalls ?? 0, s.recalls),
    draft: existing.draftPending ? existing.draft : s.draft,
    ...(existing.settingsPending ? {} : { pinned: s.pinned, notify: s.notify }),
  };
  if (s.lastMessage && (existing.lastMessage?.seq ?? 0) < s.lastMessage.seq) {
    merged.lastMessage = previewOf(s.lastMessage);
    merged.activityAt = Math.max(existing.activityAt, s.lastMessage.serverTime);
  }
  await db.conversations.put(merged);
}

const previewOf = (m: Message) => ({ text: m.text, senderId: m.senderId, serverTime: m.serverTime, seq: m.seq, recalledBy: m.recalledBy, system: m.system });

/**
 * Stores messages of one conversation from the server (push, pull or history page) and
 * records the seq range they cover. `coversFrom` widens the range when a history page is
 * known to be contiguous down to it (the server's seq is gapless).
 */
export async function storeMessages(
  db: TidingsDb,
  me: string,
  conversationId: string,
  messages: readonly Message[],
  cover?: { from: number; to: number },
): Promise<void> {
  const conv = (await db.conversations.get(conversationId)) ?? placeholderConversation(conversationId, Date.now());
  let state = conv;
  let ranges = conv.ranges;
  let { lastSeq, lastMessage, activityAt, maxOtherSeq } = conv;
  const rows: StoredMessage[] = [];
  for (const m of messages) {
    const key = messageKey(m.conversationId, m.senderId, m.clientMsgId);
    const existing = await db.messages.get(key);
    rows.push({
      key,
      conversationId: m.conversationId,
      senderId: m.senderId,
      clientMsgId: m.clientMsgId,
      text: m.text,
      msgId: m.msgId,
      seq: m.seq,
      order: m.seq,
      serverTime: m.serverTime,
      createdAt: existing?.createdAt ?? m.serverTime,
      system: m.system,
      recalledBy: m.recalledBy,
      replyTo: m.replyTo,
      mentions: m.mentions,
    });
    if (m.system && m.seq > state.stateSeq) state = applySystem(state, m, me);
    if (!cover) ranges = addRange(ranges, m.seq, m.seq);
    lastSeq = Math.max(lastSeq, m.seq);
    if (m.senderId !== me) maxOtherSeq = Math.max(maxOtherSeq, m.seq);
    if ((lastMessage?.seq ?? 0) < m.seq) {
      lastMessage = previewOf(m);
      activityAt = Math.max(activityAt, m.serverTime);
    } else if (lastMessage?.seq === m.seq) {
      // The same message again (e.g. now recalled): the preview follows it.
      lastMessage = previewOf(m);
    }
  }
  if (cover) ranges = addRange(ranges, cover.from, cover.to);
  await db.messages.bulkPut(rows);
  // A message the server has stored needs no more sending from this device's outbox.
  const keys = rows.filter((r) => r.senderId === me).map((r) => r.key);
  if (keys.length > 0) await db.outbox.where('messageKey').anyOf(keys).delete();
  await db.conversations.put({ ...state, ranges, lastSeq, lastMessage, activityAt, maxOtherSeq });
}

/**
 * A system line newer than what the device knows changes the conversation itself: its name,
 * announcement, size, and this user's role and membership.
 */
export function applySystem(c: StoredConversation, m: Message, me: string): StoredConversation {
  const e = m.system;
  const next = { ...c, stateSeq: m.seq };
  if (!e) return next;
  switch (e.type) {
    case 'created':
      return { ...next, name: e.name };
    case 'renamed':
      return { ...next, name: e.name };
    case 'announcement':
      return { ...next, announcement: e.text };
    case 'joined':
      // Someone added (back) reads from this line on, as a plain member.
      return e.userIds.includes(me)
        ? { ...next, leftSeq: null, firstSeq: m.seq, role: 'member', memberCount: c.memberCount + e.userIds.length }
        : { ...next, memberCount: c.memberCount + e.userIds.length };
    case 'left':
      return m.senderId === me ? { ...next, leftSeq: m.seq, memberCount: c.memberCount - 1 } : { ...next, memberCount: c.memberCount - 1 };
    case 'removed':
      return e.userId === me ? { ...next, leftSeq: m.seq, memberCount: c.memberCount - 1 } : { ...next, memberCount: c.memberCount - 1 };
    case 'role':
      return e.userId === me ? { ...next, role: e.role } : next;
    case 'history':
      return { ...next, historyOnJoin: e.count };
    default: {
      const never: never = e;
      throw new Error(`unhandled system line ${JSON.stringify(never)}`);
    }
  }
}

/** Applies one inbox event. The caller has checked that `entry.pts` is the next one. */
export async function applyEntry(db: TidingsDb, me: string, entry: InboxEntry): Promise<void> {
  const e = entry.event;
  switch (e.type) {
    case 'message':
      await storeMessages(db, me, e.message.conversationId, [e.message]);
      break;
    case 'conversation':
      await putUsers(db, e.users);
      await mergeConversation(db, e.conversation, entry.pts);
      break;
    case 'recall':
      await eraseRecalled(db, me, e.conversationId, e.seq, e.by, e.senderId, entry.pts);
      break;
    case 'read': {
      const conv = await db.conversations.get(e.conversationId);
      // Older than the read state this device already took from an answer: nothing new.
      if (!conv || entry.pts <= (conv.readPts ?? 0)) break;
      // A read here not yet reported stays ahead; otherwise the server's position (which
      // `Mark as unread` may have moved back) and its count are the truth.
      const localAhead = conv.lastReadSeq > conv.readReported && conv.lastReadSeq > e.seq;
      await db.conversations.update(e.conversationId, {
        lastReadSeq: localAhead ? conv.lastReadSeq : e.seq,
        readReported: e.seq,
        unread: e.unread,
        readPts: entry.pts,
      });
      break;
    }
    case 'receipt': {
      const { conversationId, userId, seq, firstSeq } = e;
      const prev = await db.receipts.get([conversationId, userId]);
      if (!prev || prev.seq < seq || prev.firstSeq !== firstSeq) await db.receipts.put({ conversationId, userId, seq, firstSeq });
      const conv = await db.conversations.get(conversationId);
      if (conv?.kind === 'direct' && seq > conv.peerReadSeq) await db.conversations.update(conversationId, { peerReadSeq: seq });
      break;
    }
    case 'settings': {
      const conv = await db.conversations.get(e.conversationId);
      // A change made here and not yet sent is newer than anything the server can say.
      if (conv && !conv.settingsPending) await db.conversations.update(e.conversationId, { pinned: e.pinned, notify: e.notify });
      break;
    }
    case 'prefs':
      await applyServerPrefs(db, e.prefs);
      break;
    case 'user':
      await putUsers(db, [e.user]);
      break;
    case 'draft': {
      const conv = await db.conversations.get(e.conversationId);
      // An edit here not yet sent is newer than anything the server can say.
      if (conv && !conv.draftPending) await db.conversations.update(e.conversationId, { draft: e.draft });
      break;
    }
    case 'delivered': {
      const conv = await db.conversations.get(e.conversationId);
      if (conv && e.userId !== me && e.seq > conv.peerDeliveredSeq) {
        await db.conversations.update(e.conversationId, { peerDeliveredSeq: e.seq });
      }
      break;
    }
    default: {
      const never: never = e;
      throw new Error(`unhandled event ${JSON.stringify(never)}`);
    }
  }
  await db.meta.put({ key: 'pts', value: entry.pts });
}

/**
 * A recalled message's text is erased from this device's store, not hidden; the list preview
 * follows. A device that does not hold the message has nothing to erase (history it loads
 * later comes erased from the server).
 */
/**
 * `atPts`: the recall event's pts; null for a big group's recall (a room push, in no order with
 * the inbox), whose effect on the unread count the caller asks the server for instead.
 */
export async function eraseRecalled(db: TidingsDb, me: string, conversationId: string, seq: number, by: string, senderId: string, atPts: number | null): Promise<void> {
  await db.messages.where('[conversationId+order]').equals([conversationId, seq]).modify({ text: '', mentions: null, replyTo: null, recalledBy: by });
  // Replies quoting it keep only that it was recalled.
  await db.messages
    .where('[conversationId+replyTo.seq]')
    .equals([conversationId, seq])
    .modify((m) => {
      if (m.replyTo) m.replyTo = { ...m.replyTo, text: '', recalled: true };
    });
  const conv = await db.conversations.get(conversationId);
  if (!conv) return;
  const changes: Partial<StoredConversation> = {};
  if (conv.lastMessage?.seq === seq) changes.lastMessage = { ...conv.lastMessage, text: '', recalledBy: by };
  // The server's count included it if it was made before the recall (the recall's pts is
  // above the one the count came with), the message is someone else's, above the read position
  // and at or below the head the count was made at (held messages above it are counted here).
  const u = conv.unread;
  const wasCounted = atPts !== null && atPts > (conv.readPts ?? 0) && senderId !== me && seq > u.readSeq && seq <= u.asOf;
  if (wasCounted && u.count > 0) changes.unread = { ...u, count: u.count - 1 };
  if (Object.keys(changes).length > 0) await db.conversations.update(conversationId, changes);
}

/** A new device, or one whose cursor fell out of the inbox: take the server's heads and pts. */
export async function applyBootstrap(db: TidingsDb, b: BootstrapResult): Promise<void> {
  await db.transaction('rw', [db.conversations, db.users, db.meta], async () => {
    await putUsers(db, b.users);
    for (const c of b.conversations) await mergeConversation(db, c, b.pts);
    await applyServerPrefs(db, b.prefs);
    await db.meta.put({ key: 'pts', value: b.pts });
  });
}
