/**
 * The one storage interface the services use. It is asynchronous so that the PostgreSQL +
 * Redis implementation plugs in without touching services; the embedded SQLite one answers
 * from synchronous better-sqlite3 calls. Every implementation passes `storage-contract.ts`.
 */
import type { ConversationSummary, InboxEntry, Message, UserPublic } from '../../src/protocol';

export interface UserRecord extends UserPublic {
  passwordHash: string;
  createdAt: number;
}

export interface DeviceRecord {
  id: string;
  userId: string;
  name: string;
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface NewMessage {
  msgId: string;
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  text: string;
  serverTime: number;
}

/** One inbox event written for one user: pushed to that user's devices after commit. */
export interface Delivery {
  userId: string;
  entry: InboxEntry;
}

export interface AppendResult {
  message: Message;
  /** True when (sender, conversation, clientMsgId) was stored before: nothing new was written. */
  duplicate: boolean;
  deliveries: Delivery[];
}

export type SyncPage =
  | { status: 'ok'; entries: InboxEntry[]; pts: number; more: boolean }
  | { status: 'tooLong'; pts: number };

export interface Storage {
  close(): Promise<void>;

  createUser(user: UserRecord): Promise<void>;
  findUserByUsername(username: string): Promise<UserRecord | null>;
  getUsers(ids: readonly string[]): Promise<UserPublic[]>;

  createDevice(device: DeviceRecord & { tokenHash: string }): Promise<void>;
  /** A device whose session is neither revoked nor expired at `now`. */
  findActiveDeviceByTokenHash(tokenHash: string, now: number): Promise<DeviceRecord | null>;
  getDevice(id: string): Promise<DeviceRecord | null>;
  touchDevice(id: string, now: number): Promise<void>;
  revokeDevice(id: string, now: number): Promise<void>;

  isMember(userId: string, conversationId: string): Promise<boolean>;
  /**
   * Creates the one-to-one conversation if it does not exist, and appends a `conversation`
   * event to both members' inboxes in the same transaction.
   */
  openDirectConversation(
    conversationId: string,
    memberIds: readonly [string, string],
    now: number,
  ): Promise<{ created: boolean; deliveries: Delivery[] }>;
  getConversationSummary(userId: string, conversationId: string): Promise<ConversationSummary | null>;

  /**
   * Stores a message with the conversation's next `seq` and appends an inbox event for every
   * member (the sender included, for roaming) in ONE transaction. Deduplicates on
   * (sender, conversation, clientMsgId): a replay returns the original message unchanged.
   */
  appendMessage(message: NewMessage): Promise<AppendResult>;

  /** The user's inbox events with `pts > sincePts`, ascending, at most `limit`. */
  syncInbox(userId: string, sincePts: number, limit: number): Promise<SyncPage>;
  /** Current `pts` and every conversation of the user with its head, read consistently. */
  bootstrap(userId: string): Promise<{ pts: number; conversations: ConversationSummary[]; users: UserPublic[] }>;
  /** A page of history, ascending; `beforeSeq` undefined means the latest page. */
  history(conversationId: string, beforeSeq: number | undefined, limit: number): Promise<{ messages: Message[]; lastSeq: number }>;

  /**
   * Moves the user's delivered position forward (never back). When it moves, every other
   * member gets a `delivered` inbox event. Returns those events.
   */
  markDelivered(userId: string, conversationId: string, seq: number): Promise<Delivery[]>;

  /** Drops inbox events older than `before`; a device whose cursor falls behind gets `tooLong`. */
  pruneInbox(before: number): Promise<number>;
}
