/**
 * The device's local store: every message it has seen, its conversations, the outbox and
 * its sync cursor. The UI renders only from here (live queries); the network only writes it.
 * One database per account on a server, so two accounts on one device never mix.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import type { Draft, Mentions, Notify, ReadReceipt, ReplyQuote, Role, SystemEvent, Unread } from '../protocol';
import type { SeqRange } from './ranges';
import { backfillMarker } from '../search/backfill';
import { messageTokensMiddleware } from '../search/message-tokens';

export interface StoredUser {
  id: string;
  username: string;
  displayName: string;
}

export interface StoredConversation {
  id: string;
  kind: 'direct' | 'group';
  /** A group's name (one-to-one conversations are titled by the other person). */
  name: string | null;
  announcement: string;
  /** One-to-one: both members. Groups: empty; ask the server for the member list. */
  memberIds: string[];
  memberCount: number;
  /** This user's role. */
  role: Role;
  /** The first seq this user may read (their join), and the last once they left. */
  firstSeq: number;
  leftSeq: number | null;
  /** Whether messages arrive as inbox events (false: a big group, pushed on its room). */
  inboxFanout: boolean;
  /** Groups: how many lines before their join new members may read (absent on older rows: 0). */
  historyOnJoin?: number;
  /** The seq up to which name, announcement, role and membership above are known. */
  stateSeq: number;
  /** The conversation's head as last heard from the server. */
  lastSeq: number;
  /** The newest line, for the list's preview (a system line keeps its event: its text is empty). */
  lastMessage: { text: string; senderId: string; serverTime: number; seq: number; recalledBy?: string | null; system?: SystemEvent | null } | null;
  /**
   * This user's read position, as the server last said (or further, read here and not yet
   * acknowledged: see `readReported`).
   */
  lastReadSeq: number;
  /** The highest read position this device has told the server, or heard from it. */
  readReported: number;
  /** The server's unread count at some head; what arrives above it is counted here (unread.ts). */
  unread: Unread;
  /**
   * The user's `pts` as of which `lastReadSeq` and `unread` came from the server (an event's,
   * a bootstrap's, or a read answer's): read state from events up to it is older, and a recall
   * above it was not in `unread` yet. Absent on rows stored before it existed (0).
   */
  readPts?: number;
  /** Highest seq the other member's devices have stored: own messages up to it are `Delivered`. */
  peerDeliveredSeq: number;
  /** One-to-one: the other person's read position (own messages up to it are `Read`). */
  peerReadSeq: number;
  /** The text typed here or on another device of this user and not sent (last writer wins). */
  draft: Draft | null;
  /** The draft changed here and the server has not been told yet. */
  draftPending: boolean;
  /**
   * This user's settings of the conversation (pinned first in the list; which messages
   * notify). Absent on rows stored before settings existed: read as not pinned, `all`.
   */
  pinned?: boolean;
  notify?: Notify;
  /** Pin or notifications changed here and the server has not been told yet. */
  settingsPending?: boolean;
  /** Highest seq of a message from someone else that this device holds. */
  maxOtherSeq: number;
  /** Highest seq this device has reported as delivered. */
  deliveredReported: number;
  /** The seq ranges held locally. */
  ranges: SeqRange[];
  /**
   * The conversation's recall count (the server numbers its recalls) up to which this device
   * has erased what it holds; below the server's count it asks for the rest (sync/recalls.ts).
   * Absent on rows stored before recalls were numbered: 0.
   */
  recallsSeen?: number;
  /** The conversation's recall count as last heard from the server (a summary or a head). */
  recalls?: number;
  /** Sort key for the conversation list: latest activity. */
  activityAt: number;
}

export type PendingState = 'sending' | 'failed';

/**
 * Why a send failed, as the UI words it: the server refused it for good (`not_found`: not in the
 * conversation any more; `forbidden`; `bad_request`), for now (`rate_limited`), or it never
 * answered (`timeout`, or anything else).
 */
export type SendFailure = 'not_found' | 'forbidden' | 'bad_request' | 'rate_limited' | 'timeout';

export interface StoredMessage {
  /** `${conversationId}|${senderId}|${clientMsgId}`: unique, known before the server answers. */
  key: string;
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  text: string;
  msgId: string | null;
  seq: number | null;
  /** Display order: `seq` once known; pending messages sort after every stored one. */
  order: number;
  serverTime: number | null;
  createdAt: number;
  /** A system line's event (joined, left, renamed…); null for a person's message. */
  system: SystemEvent | null;
  /** Who recalled it; its text is then erased here too. */
  recalledBy: string | null;
  /** The message this one replies to, as quoted (erased too if that one is recalled). */
  replyTo: ReplyQuote | null;
  /** Who it @mentions (absent on rows stored before mentions existed). */
  mentions?: Mentions | null;
  pending?: PendingState;
  error?: string;
  /** Why it failed, as the UI words it (sync/outbox.ts `SendFailure`); absent on rows failed before it existed. */
  errorCode?: SendFailure;
  /**
   * What the local search finds it by (src/search/tokenize.ts), indexed multiEntry. Written by
   * the MessageTokens middleware on every write of the row, never by callers; for system
   * lines and recalled messages only the NOT_SEARCHED mark (src/search/message-tokens.ts).
   */
  tokens?: string[];
}

export interface OutboxJob {
  id?: number;
  messageKey: string;
  conversationId: string;
  clientMsgId: string;
  text: string;
  replyToSeq?: number;
  mentions?: Mentions;
  attempts: number;
  nextAttemptAt: number;
  state: 'queued' | 'failed';
}

export interface MetaRow {
  key: 'pts' | 'session' | 'hello' | 'prefs';
  value: unknown;
}

/** A member's read receipt in a conversation (`Read by N` in groups). */
export interface StoredReceipt extends ReadReceipt {
  conversationId: string;
}

/** Pending messages sort after any real seq (seq < 2^50 for any conceivable conversation). */
export const PENDING_BASE = 2 ** 50;

export const messageKey = (conversationId: string, senderId: string, clientMsgId: string) =>
  `${conversationId}|${senderId}|${clientMsgId}`;

export type TidingsDb = Dexie & {
  conversations: EntityTable<StoredConversation, 'id'>;
  messages: EntityTable<StoredMessage, 'key'>;
  outbox: EntityTable<OutboxJob, 'id'>;
  users: EntityTable<StoredUser, 'id'>;
  meta: EntityTable<MetaRow, 'key'>;
  receipts: Table<StoredReceipt, [string, string]>;
};

/**
 * One store per account on a server. The desktop app's bundled server may change port between
 * runs (if its last one is taken), so its accounts are named by `bundled`, not by the address.
 */
export function databaseName(serverUrl: string, userId: string, bundled = false, profile: string | null = null): string {
  return `tidings:${bundled ? 'bundled' : new URL(serverUrl).host}:${userId}${profile ? `@${profile}` : ''}`;
}

export function openDb(name: string): TidingsDb {
  const db = new Dexie(name) as TidingsDb;
  // Append-only versions: never edit a shipped one; add version(n + 1) with an upgrade.
  const v1 = {
    conversations: 'id, activityAt',
    messages: 'key, [conversationId+order], msgId',
    outbox: '++id, messageKey',
    users: 'id, username',
    meta: 'key',
  };
  db.version(1).stores(v1);
  // Groups: conversations and messages gained fields; stores made before get the defaults
  // of a one-to-one conversation and of a person's message.
  db.version(2)
    .stores(v1)
    .upgrade(async (tx) => {
      await tx
        .table('conversations')
        .toCollection()
        .modify((c: Partial<StoredConversation> & { memberIds: string[] }) => {
          c.kind ??= 'direct';
          c.name ??= null;
          c.announcement ??= '';
          c.memberCount ??= c.memberIds.length;
          c.role ??= 'member';
          c.firstSeq ??= 1;
          c.leftSeq ??= null;
          c.inboxFanout ??= true;
          c.stateSeq ??= 0;
        });
      await tx
        .table('messages')
        .toCollection()
        .modify((m: Partial<StoredMessage>) => {
          m.system ??= null;
        });
    });
  // Recall: messages gained `recalledBy`.
  db.version(3)
    .stores(v1)
    .upgrade(async (tx) => {
      await tx
        .table('messages')
        .toCollection()
        .modify((m: Partial<StoredMessage>) => {
          m.recalledBy ??= null;
        });
    });
  // Message lifecycle: read positions with the server's unread count, receipts, drafts, replies.
  const v4 = {
    ...v1,
    messages: 'key, [conversationId+order], msgId, [conversationId+replyTo.seq]',
    receipts: '[conversationId+userId], conversationId',
  };
  db.version(4)
    .stores(v4)
    .upgrade(async (tx) => {
      await tx
        .table('conversations')
        .toCollection()
        .modify((c: Partial<StoredConversation> & { lastReadSeq: number }) => {
          c.readReported ??= c.lastReadSeq;
          c.unread ??= { count: 0, asOf: 0, readSeq: c.lastReadSeq };
          c.peerReadSeq ??= 0;
          c.draft ??= null;
          c.draftPending ??= false;
        });
      await tx
        .table('messages')
        .toCollection()
        .modify((m: Partial<StoredMessage>) => {
          m.replyTo ??= null;
        });
    });
  // Local search: the `*tokens` index, and `createdAt` for newest-first results and for the
  // oldest message held here. Rows stored before get their tokens after the store opens
  // (src/search/backfill.ts: tokenizing them here kept the store closed ~30 s at 100,000
  // messages); the marker says so. A change to the tokenizer needs a version like this one.
  const v5 = { ...v4, messages: 'key, [conversationId+order], msgId, [conversationId+replyTo.seq], *tokens, createdAt' };
  db.version(5)
    .stores(v5)
    .upgrade(async (tx) => {
      const stored = await tx.table('messages').count();
      if (stored > 0) await tx.table('meta').put(backfillMarker(stored));
    });
  db.use(messageTokensMiddleware);
  return db;
}

export async function getPts(db: TidingsDb): Promise<number | null> {
  const row = await db.meta.get('pts');
  return typeof row?.value === 'number' ? row.value : null;
}
