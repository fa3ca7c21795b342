/**
 * The one storage interface the services use. It is asynchronous so that the PostgreSQL +
 * Redis implementation plugs in without touching services; the embedded SQLite one answers
 * from synchronous better-sqlite3 calls. Every implementation passes `storage-contract.ts`.
 */
import type { ConversationSummary, Draft, Head, InboxEntry, Member, Mentions, Message, Notify, Prefs, ReadReceipt, Recalled, Role, Unread, UserPublic } from '../../src/protocol';

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
  /** The message this one replies to: one the sender may read, not a system line, not recalled. */
  replyToSeq?: number | undefined;
  /** Who it @mentions (groups only): kept for current members, `all` only from the owner or an admin. */
  mentions?: Mentions | undefined;
}

/** A user's place in a conversation. */
export interface Membership {
  role: Role;
  /** First seq the user may read. */
  firstSeq: number;
  /** Last seq the user may read, once they left or were removed. */
  leftSeq: number | null;
}

/** What a change to a group wrote, for the socket layer to push and to re-room. */
export interface GroupChange {
  conversationId: string;
  deliveries: Delivery[];
  /** System lines of a big group (no inbox events): pushed on the conversation's room. */
  room: Message[];
  /** Users whose sockets must join / leave the conversation's room. */
  joined: string[];
  left: string[];
  memberCount: number;
}

/** Ids the storage needs for the system lines a group change writes. */
export type IdSource = () => string;

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
  /** A big group's message has no inbox events: it is pushed on the conversation's room. */
  room: boolean;
  /** Members when it was stored: the fan-out priority tier depends on it. */
  memberCount: number;
}

export interface RecallResult {
  /** The message as it is now: text erased, `recalledBy` set. */
  message: Message;
  deliveries: Delivery[];
  room: boolean;
  memberCount: number;
}

/** What moving a read position wrote: the caller's devices and the senders of what was read hear of it. */
export interface ReadChange {
  lastReadSeq: number;
  unread: Unread;
  /** The user's pts once the change is written: events up to it are older than this answer. */
  pts: number;
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
  /**
   * Changes the user's display name. When it changed, one `user` event goes to the user and to
   * everyone who shares a conversation with them now (read as the profile is when pulled).
   */
  setDisplayName(input: { userId: string; displayName: string; now: number }): Promise<{ user: UserPublic; deliveries: Delivery[] }>;
  /** Renames one of the user's signed-in devices; another's, a revoked or an expired one is not_found. */
  renameDevice(input: { userId: string; deviceId: string; name: string; now: number }): Promise<void>;

  /** A current member (not left, not removed). */
  isMember(userId: string, conversationId: string): Promise<boolean>;
  /** The user's membership, current or past; null if they never were a member. */
  membership(userId: string, conversationId: string): Promise<Membership | null>;
  /** Ids of the user's current group conversations (their sockets join these rooms). */
  groupIds(userId: string): Promise<string[]>;
  /** A page of current members; with `query`, those whose user name or display name starts with it. */
  members(conversationId: string, offset: number, limit: number, query?: string): Promise<{ members: Member[]; total: number }>;
  /** Heads of the user's conversations that get no inbox events (big groups). */
  roomHeads(userId: string): Promise<Head[]>;

  createGroup(input: { conversationId: string; ownerId: string; memberIds: string[]; name: string; now: number; ids: IdSource }): Promise<GroupChange>;
  addMembers(input: { conversationId: string; actorId: string; userIds: string[]; now: number; ids: IdSource }): Promise<GroupChange>;
  /** `userId === actorId` is leaving. */
  removeMember(input: { conversationId: string; actorId: string; userId: string; now: number; ids: IdSource }): Promise<GroupChange>;
  setRole(input: { conversationId: string; actorId: string; userId: string; role: 'admin' | 'member'; now: number; ids: IdSource }): Promise<GroupChange>;
  updateGroup(input: {
    conversationId: string;
    actorId: string;
    name?: string | undefined;
    announcement?: string | undefined;
    /** Lines before their join that members who join from now on may read. */
    historyOnJoin?: number | undefined;
    now: number;
    ids: IdSource;
  }): Promise<GroupChange>;
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
  bootstrap(userId: string): Promise<{ pts: number; prefs: Prefs; conversations: ConversationSummary[]; users: UserPublic[] }>;
  /**
   * A page of history, ascending; `beforeSeq` undefined means the latest page. `bounds`
   * limits it to what one member may read (from their join, up to their leaving).
   */
  history(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
    bounds?: { firstSeq: number; leftSeq: number | null },
  ): Promise<{ messages: Message[]; lastSeq: number; firstSeq: number }>;

  /** Erases a message's body and tells every member's devices (see SqlMessages.recall). */
  recallMessage(input: { conversationId: string; seq: number; actorId: string; now: number; windowMs: number }): Promise<RecallResult>;
  /**
   * The conversation's recalls numbered above `after`, oldest first, of the messages one member
   * may read (`bounds`); `next` is where the following page starts.
   */
  recallsAfter(
    conversationId: string,
    after: number,
    limit: number,
    bounds: { firstSeq: number; leftSeq: number | null },
  ): Promise<{ recalls: Recalled[]; next: number; more: boolean }>;

  /**
   * Moves the user's delivered position forward (never back). When it moves, every other
   * member gets a `delivered` inbox event. Returns those events.
   */
  markDelivered(userId: string, conversationId: string, seq: number): Promise<Delivery[]>;

  /**
   * Moves the user's read position forward to `seq` (clamped to what they may read); never
   * back. Their devices get a `read` event with the new unread count; the senders of the
   * messages it covers get a `receipt` (one-to-one, and groups below the inbox threshold).
   */
  markRead(input: { userId: string; conversationId: string; seq: number; now: number }): Promise<ReadChange>;
  /** Moves the read position back to just before `seq` (an explicit `Mark as unread`); receipts stay. */
  markUnread(input: { userId: string; conversationId: string; seq: number; now: number }): Promise<ReadChange>;
  /** Members' read receipts, for `Read` and `Read by N`; none in groups at or above the threshold. */
  receipts(conversationId: string): Promise<ReadReceipt[]>;
  /** Saves (or, with '', clears) the user's draft; their devices get a `draft` event when it changed. */
  saveDraft(input: { userId: string; conversationId: string; text: string; now: number }): Promise<{ draft: Draft | null; deliveries: Delivery[] }>;

  /** Pins or unpins, and sets which messages notify; the user's devices get a `settings` event when it changed. */
  setConversationSettings(input: { userId: string; conversationId: string; pinned?: boolean | undefined; notify?: Notify | undefined; now: number }): Promise<Delivery[]>;
  /** Replaces the user's own settings; their devices get a `prefs` event when they changed. */
  setPrefs(userId: string, prefs: Prefs, now: number): Promise<Delivery[]>;
  /** The user's devices whose sessions are neither revoked nor expired, most recently active first. */
  activeDevices(userId: string, now: number): Promise<DeviceRecord[]>;

  /** The other members of the user's one-to-one conversations (who see their presence change). */
  directPeers(userId: string): Promise<string[]>;
  /** Those of `others` who share a conversation with the user (who may see each other's presence). */
  sharingWith(userId: string, others: readonly string[]): Promise<string[]>;
  lastSeen(userIds: readonly string[]): Promise<Map<string, number>>;
  setLastSeen(userId: string, at: number): Promise<void>;

  /** Drops inbox events older than `before`; a device whose cursor falls behind gets `tooLong`. */
  pruneInbox(before: number): Promise<number>;
}
