/**
 * The building blocks of the wire contract: numbers, ids, and the text policies every
 * human-written string passes (well-formed, no control characters, no Zalgo floods, names
 * that cannot pose as other names). Stored text is NFC-normalized.
 */
import { z } from 'zod';
import { LIMITS } from './limits';

/** A JavaScript number that is an exact, non-negative integer. */
export const CountSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Sequence numbers (`seq`, `pts`) start at 1; 0 means "nothing yet". */
export const SeqSchema = CountSchema;
export const PtsSchema = CountSchema;

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

/** How message text is stored: NFC, without the blank lines and spaces around it. */
export const normalizeText = (s: string): string => s.normalize('NFC').trim();

/**
 * Message text. Stored NFC-normalized and trimmed, so canonically equal texts (NFC and NFD) are stored,
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
  .transform(normalizeText);

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
  .max(LIMITS.displayNameMax, `display name can be at most ${LIMITS.displayNameMax} characters`)
  .refine(wellFormed, 'display name must be well-formed Unicode')
  .refine(noControl, 'display name must not contain control characters')
  .refine(noSpoofing, 'display name must not contain direction overrides or invisible characters')
  .refine(noMarkFlood, `display name must not stack more than ${MAX_COMBINING_RUN} combining marks`)
  .transform((s) => s.normalize('NFC'));

export const PasswordSchema = z
  .string()
  .min(LIMITS.passwordMin, `password must be at least ${LIMITS.passwordMin} characters`)
  .max(LIMITS.passwordMax, `password can be at most ${LIMITS.passwordMax} characters`)
  .refine(wellFormed, 'password must be well-formed Unicode');

export const DeviceNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.deviceNameMax)
  .refine(wellFormed)
  .refine(noControl);

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

/**
 * A draft: what was typed and not sent. Unlike a message it may be empty (empty clears it)
 * or only white space, but it obeys the same size and character rules.
 */
export const DraftTextSchema = z
  .string()
  .refine(wellFormed, 'the draft must be well-formed Unicode')
  .refine(noControl, 'the draft must not contain control characters')
  .refine((s) => codePoints(s) <= LIMITS.textMaxChars, `a draft can be at most ${LIMITS.textMaxChars} characters`)
  .transform((s) => s.normalize('NFC'));
