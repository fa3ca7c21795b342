/**
 * What the server pushes. Inbox events are stored, numbered by the user's `pts` and pulled
 * again after a gap; typing and presence are ephemeral: pushed to whoever is online, never
 * stored.
 */
import { z } from 'zod';
import { ConversationIdSchema, IdSchema, PtsSchema, SeqSchema } from './primitives';
import { ConversationSummarySchema, DraftSchema, MessageSchema, NotifySchema, PrefsSchema, ReadReceiptSchema, UnreadSchema, UserPublicSchema } from './records';

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
    /** Who wrote it: a device that does not hold it still knows whether it was counted unread. */
    senderId: IdSchema,
  }),
  /** Some device of `userId` has stored everything up to `seq` in the conversation. */
  z.strictObject({
    type: z.literal('delivered'),
    conversationId: ConversationIdSchema,
    userId: IdSchema,
    seq: SeqSchema,
  }),
  /** The user's own read position moved (forward by reading, back by `Mark as unread`). */
  z.strictObject({
    type: z.literal('read'),
    conversationId: ConversationIdSchema,
    seq: SeqSchema,
    unread: UnreadSchema,
  }),
  /** Another member has read up to `seq` (a receipt for the messages they read). */
  z.strictObject({
    type: z.literal('receipt'),
    conversationId: ConversationIdSchema,
    ...ReadReceiptSchema.shape,
  }),
  /** The user's settings of a conversation changed (pin, notifications). */
  z.strictObject({
    type: z.literal('settings'),
    conversationId: ConversationIdSchema,
    pinned: z.boolean(),
    notify: NotifySchema,
  }),
  /** Someone the user shares a conversation with (or the user) changed their public profile. */
  z.strictObject({ type: z.literal('user'), user: UserPublicSchema }),
  /** The user's own settings changed (do not disturb). */
  z.strictObject({ type: z.literal('prefs'), prefs: PrefsSchema }),
  /** The user's draft in a conversation changed on one of their devices (null: cleared). */
  z.strictObject({
    type: z.literal('draft'),
    conversationId: ConversationIdSchema,
    draft: DraftSchema.nullable(),
  }),
]);
export type InboxEvent = z.infer<typeof InboxEventSchema>;

export const InboxEntrySchema = z.strictObject({ pts: PtsSchema.min(1), event: InboxEventSchema });
export type InboxEntry = z.infer<typeof InboxEntrySchema>;

/** Someone is typing in a conversation; shown until `TYPING_EXPIRES_MS` pass without another. */
export const TypingEventSchema = z.strictObject({ conversationId: ConversationIdSchema, userId: IdSchema });
export type TypingEvent = z.infer<typeof TypingEventSchema>;

/** A device sends `typing` at most this often while its person types. */
export const TYPING_THROTTLE_MS = 3_000;
/** A typing indicator goes away this long after the last `typing` it heard. */
export const TYPING_EXPIRES_MS = 5_000;
/** A person with no input on any device for this long is `Away`. */
export const AWAY_AFTER_MS = 5 * 60_000;
