/**
 * The records both sides talk about: people, messages, conversations and members.
 */
import { z } from 'zod';
import { LIMITS } from './limits';
import { ConversationIdSchema, CountSchema, IdSchema, SeqSchema } from './primitives';

export const UserPublicSchema = z.strictObject({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
});
export type UserPublic = z.infer<typeof UserPublicSchema>;

export const RoleSchema = z.enum(['owner', 'admin', 'member']);
export type Role = z.infer<typeof RoleSchema>;

/** What a system line in a group's log says; ordered by `seq` like messages. */
export const SystemEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('created'), name: z.string() }),
  z.strictObject({ type: z.literal('joined'), userIds: z.array(IdSchema) }),
  z.strictObject({ type: z.literal('left') }),
  z.strictObject({ type: z.literal('removed'), userId: IdSchema }),
  z.strictObject({ type: z.literal('renamed'), name: z.string() }),
  z.strictObject({ type: z.literal('announcement'), text: z.string() }),
  z.strictObject({ type: z.literal('role'), userId: IdSchema, role: RoleSchema }),
  /** How many lines before their join new members may read from now on (0: none). */
  z.strictObject({ type: z.literal('history'), count: CountSchema.max(LIMITS.historyOnJoinMax) }),
]);
export type SystemEvent = z.infer<typeof SystemEventSchema>;

/**
 * The message a reply quotes, as the server reads it now: its sender and the start of its
 * first line, or `recalled` (and no text) once it was recalled.
 */
export const ReplyQuoteSchema = z.strictObject({
  seq: SeqSchema.min(1),
  senderId: IdSchema,
  text: z.string(),
  recalled: z.boolean(),
});
export type ReplyQuote = z.infer<typeof ReplyQuoteSchema>;

/** Who a group message @mentions: members by id, and `all` (owner and admins only). */
export const MentionsSchema = z.strictObject({
  userIds: z.array(IdSchema).max(LIMITS.mentionsMax),
  all: z.boolean(),
});
export type Mentions = z.infer<typeof MentionsSchema>;

/** How much of the quoted message's first line a reply carries. */
export const QUOTE_MAX_CHARS = 120;

/** The start of a message's first line, as a reply quotes it (server and client alike). */
export function quoteText(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  const chars = [...line];
  return chars.length > QUOTE_MAX_CHARS ? `${chars.slice(0, QUOTE_MAX_CHARS - 1).join('')}…` : line;
}

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
  serverTime: CountSchema,
  system: SystemEventSchema.nullable(),
  /** Who recalled it (the sender, or a group's owner/admin); its text is then erased (''). */
  recalledBy: IdSchema.nullable(),
  /** The message this one replies to. */
  replyTo: ReplyQuoteSchema.nullable(),
  /** Who it @mentions (groups); null when nobody. */
  mentions: MentionsSchema.nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

/** A recalled message, as a device that missed its recall event learns of it (`recalls`). */
export const RecalledSchema = z.strictObject({
  seq: SeqSchema.min(1),
  /** Who wrote it (a device that does not hold it still knows whether it was counted unread). */
  senderId: IdSchema,
  /** Who recalled it. */
  by: IdSchema,
});
export type Recalled = z.infer<typeof RecalledSchema>;

/** The caller's unread count in a conversation, as the server counted it (see unread.ts). */
export const UnreadSchema = z.strictObject({
  count: CountSchema,
  /** The head it was counted at: messages above it are counted by the device as they arrive. */
  asOf: SeqSchema,
  /** The read position it was counted from. */
  readSeq: SeqSchema,
});
export type Unread = z.infer<typeof UnreadSchema>;

export const DraftSchema = z.strictObject({ text: z.string(), updatedAt: CountSchema });
export type Draft = z.infer<typeof DraftSchema>;

/** Which messages of a conversation notify: all, only those that mention the user, none. */
export const NotifySchema = z.enum(['all', 'mentions', 'muted']);
export type Notify = z.infer<typeof NotifySchema>;

export const ConversationSummarySchema = z.strictObject({
  id: ConversationIdSchema,
  kind: z.enum(['direct', 'group']),
  /** A group's name; null for one-to-one (its title is the other person's name). */
  name: z.string().nullable(),
  announcement: z.string(),
  /** One-to-one: both members. Groups: empty (ask with `members`: a group may have 10,000). */
  memberIds: z.array(IdSchema),
  memberCount: CountSchema,
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
  /**
   * How many of its messages have been recalled so far: a device that holds messages and has
   * seen fewer asks for the rest with `recalls` (big groups' recalls come by no inbox).
   */
  recalls: CountSchema,
  /** Groups: how many lines before their join line new members may read (0: none). */
  historyOnJoin: CountSchema,
  /** The caller's own read position. */
  lastReadSeq: SeqSchema,
  unread: UnreadSchema,
  /** Highest `seq` stored by some device of every other member (drives `Delivered`). */
  peerDeliveredSeq: SeqSchema,
  /** One-to-one: the other person's read position (drives `Read`); 0 in groups. */
  peerReadSeq: SeqSchema,
  /** The caller's unsent text in this conversation, synced between their devices. */
  draft: DraftSchema.nullable(),
  /** The caller's settings for it (the seeds' is_top and notify_type), the same on all their devices. */
  pinned: z.boolean(),
  notify: NotifySchema,
  createdAt: CountSchema,
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

/**
 * A member's read receipt: they have read the messages from `firstSeq` (their join) up to
 * `seq`. A message counts as read by them only inside that range.
 */
export const ReadReceiptSchema = z.strictObject({ userId: IdSchema, seq: SeqSchema, firstSeq: SeqSchema });
export type ReadReceipt = z.infer<typeof ReadReceiptSchema>;

export const MemberSchema = z.strictObject({ user: UserPublicSchema, role: RoleSchema });
export type Member = z.infer<typeof MemberSchema>;

/** How a person shows to those who share a conversation with them. Never stored in the inbox. */
export const PresenceStateSchema = z.enum(['online', 'away', 'offline']);
export type PresenceState = z.infer<typeof PresenceStateSchema>;
export const PresenceSchema = z.strictObject({
  userId: IdSchema,
  state: PresenceStateSchema,
  /** When they were last connected and active; null if never (or never since the server knew). */
  lastSeenAt: CountSchema.nullable(),
});
export type Presence = z.infer<typeof PresenceSchema>;

/** A local time of day, `HH:MM` (24 h); do-not-disturb schedules are kept in each device's local time. */
export const TimeOfDaySchema = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time of day, HH:MM');

/** The user's own settings, the same on all their devices. */
export const PrefsSchema = z.strictObject({
  /** Do not disturb: no notification at all while on; with `from`/`to`, only in that daily window. */
  dnd: z.strictObject({ on: z.boolean(), from: TimeOfDaySchema.nullable(), to: TimeOfDaySchema.nullable() }),
});
export type Prefs = z.infer<typeof PrefsSchema>;
export const DEFAULT_PREFS: Prefs = { dnd: { on: false, from: null, to: null } };

/** One signed-in device of the account, as Settings lists it. */
export const DeviceInfoSchema = z.strictObject({
  id: IdSchema,
  name: z.string(),
  createdAt: CountSchema,
  lastActiveAt: CountSchema,
  /** The device asking. */
  current: z.boolean(),
});
export type DeviceInfo = z.infer<typeof DeviceInfoSchema>;
