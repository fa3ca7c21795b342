/**
 * Requests (client → server, one `req` frame each, answered through the acknowledgement) and
 * their results. Every request is a `type`-keyed strict object; `RESULT_SCHEMAS` says what
 * each one answers, and the client parses every answer with it.
 */
import { z } from 'zod';
import { LIMITS } from './limits';
import {
  AnnouncementSchema,
  ClientMsgIdSchema,
  ConversationIdSchema,
  CountSchema,
  DeviceNameSchema,
  DisplayNameSchema,
  DraftTextSchema,
  GroupNameSchema,
  IdSchema,
  MessageTextSchema,
  PtsSchema,
  SeqSchema,
  UsernameSchema,
} from './primitives';
import { InboxEntrySchema } from './events';
import {
  ConversationSummarySchema,
  DeviceInfoSchema,
  DraftSchema,
  MemberSchema,
  MentionsSchema,
  MessageSchema,
  NotifySchema,
  PrefsSchema,
  PresenceSchema,
  ReadReceiptSchema,
  RecalledSchema,
  UnreadSchema,
  UserPublicSchema,
} from './records';

const Usernames = z.array(UsernameSchema).min(1, 'name at least one person').max(LIMITS.usernamesPerRequest);

export const RequestSchema = z.discriminatedUnion('type', [
  /** Current `pts` plus the conversation list with heads: a new device's starting point. */
  z.strictObject({ type: z.literal('bootstrap') }),
  z.strictObject({
    type: z.literal('sync'),
    sincePts: PtsSchema,
    limit: z.number().int().min(1).max(LIMITS.syncPageMax).optional(),
  }),
  z.strictObject({
    type: z.literal('send'),
    conversationId: ConversationIdSchema,
    clientMsgId: ClientMsgIdSchema,
    text: MessageTextSchema,
    /** The message this one replies to (one the sender may read). */
    replyToSeq: SeqSchema.min(1).optional(),
    /** Members it @mentions (groups only); `all` needs the owner or an admin. */
    mentions: MentionsSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('history'),
    conversationId: ConversationIdSchema,
    /** Messages with `seq < beforeSeq`, newest first; omit for the latest page. */
    beforeSeq: SeqSchema.min(1).optional(),
    limit: z.number().int().min(1).max(LIMITS.historyPageMax),
  }),
  z.strictObject({ type: z.literal('openDirect'), username: UsernameSchema }),
  z.strictObject({ type: z.literal('createGroup'), name: GroupNameSchema, usernames: Usernames }),
  z.strictObject({ type: z.literal('addMembers'), conversationId: ConversationIdSchema, usernames: Usernames }),
  z.strictObject({ type: z.literal('removeMember'), conversationId: ConversationIdSchema, userId: IdSchema }),
  z.strictObject({ type: z.literal('leaveGroup'), conversationId: ConversationIdSchema }),
  z.strictObject({
    type: z.literal('setRole'),
    conversationId: ConversationIdSchema,
    userId: IdSchema,
    role: z.enum(['admin', 'member']),
  }),
  z.strictObject({
    type: z.literal('updateGroup'),
    conversationId: ConversationIdSchema,
    name: GroupNameSchema.optional(),
    announcement: AnnouncementSchema.optional(),
    /** How many lines before their join members who join from now on may read (0: none). */
    historyOnJoin: CountSchema.max(LIMITS.historyOnJoinMax).optional(),
  }),
  z.strictObject({
    type: z.literal('members'),
    conversationId: ConversationIdSchema,
    offset: CountSchema.optional(),
    limit: z.number().int().min(1).max(LIMITS.usersPerRequest).optional(),
    /** Only members whose user name or display name starts with this (for @mentions). */
    query: z.string().trim().min(1).max(LIMITS.usernameMax).optional(),
  }),
  z.strictObject({ type: z.literal('users'), ids: z.array(IdSchema).min(1).max(LIMITS.usersPerRequest) }),
  /** Heads of the caller's conversations that have no inbox events (big groups). */
  z.strictObject({ type: z.literal('heads') }),
  z.strictObject({ type: z.literal('delivered'), conversationId: ConversationIdSchema, seq: SeqSchema.min(1) }),
  /** Recall a message: one's own within the recall window, or any in a group one owns or admins. */
  z.strictObject({ type: z.literal('recall'), conversationId: ConversationIdSchema, seq: SeqSchema.min(1) }),
  /** The conversation's recalls numbered above `after` (see the summary's `recalls`), oldest first. */
  z.strictObject({
    type: z.literal('recalls'),
    conversationId: ConversationIdSchema,
    after: CountSchema,
    limit: z.number().int().min(1).max(LIMITS.recallsPageMax).optional(),
  }),
  /** The caller has read up to `seq`: the read position only moves forward. */
  z.strictObject({ type: z.literal('read'), conversationId: ConversationIdSchema, seq: SeqSchema }),
  /** Moves the read position back to just before `seq` (the person chose `Mark as unread`). */
  z.strictObject({ type: z.literal('markUnread'), conversationId: ConversationIdSchema, seq: SeqSchema.min(1) }),
  /** Saves the caller's draft in a conversation for their other devices; '' clears it. */
  z.strictObject({ type: z.literal('draft'), conversationId: ConversationIdSchema, text: DraftTextSchema }),
  /** Members' read positions (one-to-one and groups below the inbox threshold), for `Read by N`. */
  z.strictObject({ type: z.literal('receipts'), conversationId: ConversationIdSchema }),
  /** The caller is typing: relayed to the other members online, never stored. */
  z.strictObject({ type: z.literal('typing'), conversationId: ConversationIdSchema }),
  /** Presence of people who share a conversation with the caller. */
  z.strictObject({ type: z.literal('presence'), userIds: z.array(IdSchema).min(1).max(LIMITS.usersPerRequest) }),
  /** This device's person is active (input in the last minutes) or idle. */
  z.strictObject({ type: z.literal('activity'), active: z.boolean() }),
  /** The caller's settings of one conversation; what is omitted stays. */
  z.strictObject({
    type: z.literal('conversationSettings'),
    conversationId: ConversationIdSchema,
    pinned: z.boolean().optional(),
    notify: NotifySchema.optional(),
  }),
  /** The caller's own settings (do not disturb), replaced whole. */
  z.strictObject({ type: z.literal('prefs'), prefs: PrefsSchema }),
  /** The account's signed-in devices. */
  z.strictObject({ type: z.literal('devices') }),
  /** Signs one of the account's devices out at once: its session ends and its sockets close. */
  z.strictObject({ type: z.literal('revokeDevice'), deviceId: IdSchema }),
  /** Changes the caller's display name ('' shows the user name); everyone sharing a conversation hears of it. */
  z.strictObject({ type: z.literal('profile'), displayName: DisplayNameSchema }),
  /** Gives one of the account's devices a name of the person's choosing ("Work laptop"). */
  z.strictObject({ type: z.literal('renameDevice'), deviceId: IdSchema, name: DeviceNameSchema }),
]);
export type Request = z.infer<typeof RequestSchema>;
export type RequestType = Request['type'];
export type RequestInput = z.input<typeof RequestSchema>;

// ---------------------------------------------------------------- results (server → client)

export const BootstrapResultSchema = z.strictObject({
  pts: PtsSchema,
  prefs: PrefsSchema,
  conversations: z.array(ConversationSummarySchema),
  users: z.array(UserPublicSchema),
});
export const SyncResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('ok'), entries: z.array(InboxEntrySchema), pts: PtsSchema, more: z.boolean() }),
  /** The inbox no longer reaches back to `sincePts`: re-bootstrap from conversation heads. */
  z.strictObject({ status: z.literal('tooLong'), pts: PtsSchema }),
]);
export const SendResultSchema = z.strictObject({
  msgId: IdSchema,
  conversationId: ConversationIdSchema,
  seq: SeqSchema,
  serverTime: CountSchema,
});
export const HistoryResultSchema = z.strictObject({
  /** Ascending by `seq`. */
  messages: z.array(MessageSchema),
  lastSeq: SeqSchema,
  /** The lowest seq the caller may read: a short page that reaches it is the beginning. */
  firstSeq: SeqSchema,
});
export const OpenDirectResultSchema = z.strictObject({
  conversation: ConversationSummarySchema,
  users: z.array(UserPublicSchema),
});
export const EmptyResultSchema = z.strictObject({});
/** A big group's head: its last seq and message, and how many recalls it has had. */
export const HeadSchema = z.strictObject({
  conversationId: ConversationIdSchema,
  lastSeq: SeqSchema,
  lastMessage: MessageSchema.nullable(),
  recalls: CountSchema,
});
export type Head = z.infer<typeof HeadSchema>;
/**
 * The read position and unread count as the server holds them now, and the user's `pts` at that
 * moment: inbox events up to it are older than this answer (a device ignores their read state).
 */
export const ReadResultSchema = z.strictObject({ lastReadSeq: SeqSchema, unread: UnreadSchema, pts: PtsSchema });

export const RESULT_SCHEMAS = {
  bootstrap: BootstrapResultSchema,
  sync: SyncResultSchema,
  send: SendResultSchema,
  history: HistoryResultSchema,
  openDirect: OpenDirectResultSchema,
  createGroup: OpenDirectResultSchema,
  addMembers: EmptyResultSchema,
  removeMember: EmptyResultSchema,
  leaveGroup: EmptyResultSchema,
  setRole: EmptyResultSchema,
  updateGroup: EmptyResultSchema,
  members: z.strictObject({ members: z.array(MemberSchema), total: CountSchema }),
  users: z.strictObject({ users: z.array(UserPublicSchema) }),
  heads: z.strictObject({ heads: z.array(HeadSchema) }),
  delivered: EmptyResultSchema,
  recall: EmptyResultSchema,
  recalls: z.strictObject({
    recalls: z.array(RecalledSchema),
    /** Where the next page starts: `after` for the next request. */
    next: CountSchema,
    more: z.boolean(),
  }),
  read: ReadResultSchema,
  markUnread: ReadResultSchema,
  draft: z.strictObject({ draft: DraftSchema.nullable() }),
  receipts: z.strictObject({ receipts: z.array(ReadReceiptSchema) }),
  typing: EmptyResultSchema,
  presence: z.strictObject({ presence: z.array(PresenceSchema) }),
  activity: EmptyResultSchema,
  conversationSettings: EmptyResultSchema,
  prefs: EmptyResultSchema,
  devices: z.strictObject({ devices: z.array(DeviceInfoSchema) }),
  revokeDevice: EmptyResultSchema,
  renameDevice: EmptyResultSchema,
  profile: z.strictObject({ user: UserPublicSchema }),
} as const satisfies Record<RequestType, z.ZodType>;

export type ResultOf<T extends RequestType> = z.infer<(typeof RESULT_SCHEMAS)[T]>;
export type BootstrapResult = ResultOf<'bootstrap'>;
export type SyncResult = ResultOf<'sync'>;
export type SendResult = ResultOf<'send'>;
export type HistoryResult = ResultOf<'history'>;

export const ProtocolErrorSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
});

/** Every request is answered with this envelope through the socket.io acknowledgement. */
export const ReplySchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: ProtocolErrorSchema }),
]);
export type Reply = z.infer<typeof ReplySchema>;

