/**
 * The wire contract between the Tidings client and server. Every payload that crosses the
 * socket or the HTTP API is parsed with one of these schemas on arrival; objects are strict
 * (extra keys are an error), numbers are safe integers, and text is well-formed Unicode.
 */
import { z } from 'zod';
import { LIMITS } from './limits';

/** A JavaScript number that is an exact, non-negative integer. */
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Sequence numbers (`seq`, `pts`) start at 1; 0 means "nothing yet". */
export const SeqSchema = count;
export const PtsSchema = count;

/** Snowflake ids are 64-bit, so they travel as decimal strings. */
export const IdSchema = z.string().regex(/^[0-9]{1,20}$/, 'must be a decimal id');
export const ConversationIdSchema = z
  .string()
  .regex(/^(d|g)_[0-9]{1,20}(_[0-9]{1,20})?$/, 'must be a conversation id');
export const ClientMsgIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID')
  .transform((s) => s.toLowerCase());

const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const wellFormed = (s: string) => s.isWellFormed();
const codePoints = (s: string) => [...s].length;
/** Something a person can see: not only white space and invisible (default-ignorable) marks. */
const visible = (s: string) => s.replace(/[\s\p{Default_Ignorable_Code_Point}]/gu, '').length > 0;
/** Stacks of combining marks past this are "Zalgo" floods that paint over other lines. */
export const MAX_COMBINING_RUN = 16;
const noMarkFlood = (s: string) => !new RegExp(`\\p{M}{${MAX_COMBINING_RUN + 1}}`, 'u').test(s);
/** Bidi overrides and invisible characters in a name would let it pose as another name. */
const noSpoofing = (s: string) => !/[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]/u.test(s);

/**
 * Message text. Stored NFC-normalized, so canonically equal texts (NFC and NFD) are stored,
 * searched and compared alike. Bidi controls are allowed in text (people write mixed
 * scripts); the client isolates each message's direction so they cannot leak outside it.
 */
export const MessageTextSchema = z
  .string()
  .refine(wellFormed, 'text must be well-formed Unicode')
  .refine(noControl, 'text must not contain control characters')
  .refine(visible, 'text must not be empty')
  .refine(noMarkFlood, `text must not stack more than ${MAX_COMBINING_RUN} combining marks`)
  .refine((s) => codePoints(s) <= LIMITS.textMaxChars, `text must be at most ${LIMITS.textMaxChars} characters`)
  .transform((s) => s.normalize('NFC'));

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(LIMITS.usernameMin, `user name must be at least ${LIMITS.usernameMin} characters`)
  .max(LIMITS.usernameMax, `user name must be at most ${LIMITS.usernameMax} characters`)
  .regex(/^[a-z0-9_.-]+$/, 'user name may contain only letters, digits, dot, dash and underscore');

export const DisplayNameSchema = z
  .string()
  .trim()
  .max(LIMITS.displayNameMax)
  .refine(wellFormed, 'display name must be well-formed Unicode')
  .refine(noControl, 'display name must not contain control characters')
  .refine(noSpoofing, 'display name must not contain direction overrides or invisible characters')
  .refine(noMarkFlood, `display name must not stack more than ${MAX_COMBINING_RUN} combining marks`)
  .transform((s) => s.normalize('NFC'));

export const PasswordSchema = z
  .string()
  .min(LIMITS.passwordMin, `password must be at least ${LIMITS.passwordMin} characters`)
  .max(LIMITS.passwordMax)
  .refine(wellFormed, 'password must be well-formed Unicode');

export const DeviceNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.deviceNameMax)
  .refine(wellFormed)
  .refine(noControl);

// ---------------------------------------------------------------- shared records

export const UserPublicSchema = z.strictObject({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
});
export type UserPublic = z.infer<typeof UserPublicSchema>;

export const RoleSchema = z.enum(['owner', 'admin', 'member']);
export type Role = z.infer<typeof RoleSchema>;

/** What a system line in a group's log says; ordered by `seq` like any message. */
export const SystemEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('created'), name: z.string() }),
  z.strictObject({ type: z.literal('joined'), userIds: z.array(IdSchema) }),
  z.strictObject({ type: z.literal('left') }),
  z.strictObject({ type: z.literal('removed'), userId: IdSchema }),
  z.strictObject({ type: z.literal('renamed'), name: z.string() }),
  z.strictObject({ type: z.literal('announcement'), text: z.string() }),
  z.strictObject({ type: z.literal('role'), userId: IdSchema, role: RoleSchema }),
]);
export type SystemEvent = z.infer<typeof SystemEventSchema>;

export const MessageSchema = z.strictObject({
  msgId: IdSchema,
  conversationId: ConversationIdSchema,
  seq: SeqSchema,
  /** For a system line: the member who caused it. */
  senderId: IdSchema,
  clientMsgId: z.string(),
  /** Empty for system lines. */
  text: z.string(),
  /** Milliseconds since the epoch, assigned by the server when it stored the message. */
  serverTime: count,
  system: SystemEventSchema.nullable(),
  /** Who recalled it (the sender, or a group's owner/admin); its text is then erased (''). */
  recalledBy: IdSchema.nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationSummarySchema = z.strictObject({
  id: ConversationIdSchema,
  kind: z.enum(['direct', 'group']),
  /** A group's name; null for one-to-one (its title is the other person's name). */
  name: z.string().nullable(),
  announcement: z.string(),
  /** One-to-one: both members. Groups: empty (ask with `members`: a group may have 10,000). */
  memberIds: z.array(IdSchema),
  memberCount: count,
  /** The caller's role. */
  role: RoleSchema,
  /** The first seq the caller may read (their join seq in a group; 1 otherwise). */
  firstSeq: SeqSchema,
  /** Set when the caller left or was removed: the last seq they may read. */
  leftSeq: SeqSchema.nullable(),
  /** Whether this conversation's messages come through the inbox (pts) or only the room. */
  inboxFanout: z.boolean(),
  /** Highest `seq` in the conversation (its head); 0 when empty. */
  lastSeq: SeqSchema,
  lastMessage: MessageSchema.nullable(),
  /** The caller's own read position. */
  lastReadSeq: SeqSchema,
  /** Highest `seq` stored by some device of every other member (drives `Delivered`). */
  peerDeliveredSeq: SeqSchema,
  createdAt: count,
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const MemberSchema = z.strictObject({ user: UserPublicSchema, role: RoleSchema });
export type Member = z.infer<typeof MemberSchema>;

export const GroupNameSchema = z
  .string()
  .trim()
  .min(1, 'the group needs a name')
  .max(LIMITS.groupNameMax, `a group name can be at most ${LIMITS.groupNameMax} characters`)
  .refine(wellFormed, 'the name must be well-formed Unicode')
  .refine(noControl, 'the name must not contain control characters')
  .refine(noSpoofing, 'the name must not contain direction overrides or invisible characters')
  .transform((s) => s.normalize('NFC'));

export const AnnouncementSchema = z
  .string()
  .max(LIMITS.announcementMax, `an announcement can be at most ${LIMITS.announcementMax} characters`)
  .refine(wellFormed, 'the announcement must be well-formed Unicode')
  .refine(noControl, 'the announcement must not contain control characters')
  .refine(noMarkFlood, 'the announcement must not stack combining marks')
  .transform((s) => s.normalize('NFC'));

const Usernames = z.array(UsernameSchema).min(1, 'name at least one person').max(LIMITS.usernamesPerRequest);

// ---------------------------------------------------------------- inbox events (pts)

export const InboxEventSchema = z.discriminatedUnion('type', [
  /** A new message in one of the user's conversations (including the user's own, for roaming). */
  z.strictObject({ type: z.literal('message'), message: MessageSchema }),
  /** A conversation the user became a member of. */
  z.strictObject({
    type: z.literal('conversation'),
    conversation: ConversationSummarySchema,
    users: z.array(UserPublicSchema),
  }),
  /** A message was recalled: every device erases its text. */
  z.strictObject({
    type: z.literal('recall'),
    conversationId: ConversationIdSchema,
    seq: SeqSchema.min(1),
    by: IdSchema,
  }),
  /** Some device of `userId` has stored everything up to `seq` in the conversation. */
  z.strictObject({
    type: z.literal('delivered'),
    conversationId: ConversationIdSchema,
    userId: IdSchema,
    seq: SeqSchema,
  }),
]);
export type InboxEvent = z.infer<typeof InboxEventSchema>;

export const InboxEntrySchema = z.strictObject({ pts: PtsSchema.min(1), event: InboxEventSchema });
export type InboxEntry = z.infer<typeof InboxEntrySchema>;

// ---------------------------------------------------------------- requests (client → server)

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
  }),
  z.strictObject({
    type: z.literal('members'),
    conversationId: ConversationIdSchema,
    offset: count.optional(),
    limit: z.number().int().min(1).max(LIMITS.usersPerRequest).optional(),
  }),
  z.strictObject({ type: z.literal('users'), ids: z.array(IdSchema).min(1).max(LIMITS.usersPerRequest) }),
  /** Heads of the caller's conversations that have no inbox events (big groups). */
  z.strictObject({ type: z.literal('heads') }),
  z.strictObject({ type: z.literal('delivered'), conversationId: ConversationIdSchema, seq: SeqSchema.min(1) }),
  /** Recall a message: one's own within the recall window, or any in a group one owns or admins. */
  z.strictObject({ type: z.literal('recall'), conversationId: ConversationIdSchema, seq: SeqSchema.min(1) }),
]);
export type Request = z.infer<typeof RequestSchema>;
export type RequestType = Request['type'];
export type RequestInput = z.input<typeof RequestSchema>;

// ---------------------------------------------------------------- results (server → client)

export const BootstrapResultSchema = z.strictObject({
  pts: PtsSchema,
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
  serverTime: count,
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
  members: z.strictObject({ members: z.array(MemberSchema), total: count }),
  users: z.strictObject({ users: z.array(UserPublicSchema) }),
  heads: z.strictObject({ heads: z.array(z.strictObject({ conversationId: ConversationIdSchema, lastSeq: SeqSchema, lastMessage: MessageSchema.nullable() })) }),
  delivered: EmptyResultSchema,
  recall: EmptyResultSchema,
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

// ---------------------------------------------------------------- HTTP API

export const CreateAccountBodySchema = z.strictObject({
  username: UsernameSchema,
  password: PasswordSchema,
  displayName: DisplayNameSchema.optional(),
  deviceName: DeviceNameSchema,
});
export const SignInBodySchema = z.strictObject({
  username: UsernameSchema,
  password: PasswordSchema,
  deviceName: DeviceNameSchema,
});
export const SessionSchema = z.strictObject({
  token: z.string(),
  deviceId: IdSchema,
  user: UserPublicSchema,
});
export type Session = z.infer<typeof SessionSchema>;

/** The socket.io handshake's `auth` payload; the token is never put in the URL. */
export const HandshakeAuthSchema = z.strictObject({
  token: z.string().min(16).max(200),
  protocol: z.literal(1),
});

/** Socket.io event names. */
export const SOCKET_EVENTS = {
  request: 'req',
  push: 'push',
  /** A message in a big group, pushed on the conversation's room without a pts. */
  room: 'room',
  sessionRevoked: 'revoked',
} as const;
