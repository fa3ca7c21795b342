/**
 * The building blocks of the wire contract: numbers, ids, and the text policies every
 * human-written string passes (well-formed, no control characters, no Zalgo floods, names
 * that cannot pose as other names). Stored text is NFC-normalized.
 */
import { z } from 'zod';
import { LIMITS } from './limits';

/**
 * Why a text a person typed was refused, carried in the issue (`params.rule`) so that the client
 * can say it in the person's language; the messages are the server's English sentences.
 */
export const TEXT_RULES = ['required', 'too_long', 'malformed', 'control', 'spoofing', 'mark_flood', 'pattern'] as const;
export type TextRule = (typeof TEXT_RULES)[number];
const rule = (r: TextRule, message: string) => ({ message, params: { rule: r } });

/** The rule a zod issue broke: a refinement names it; a length or pattern check is one by its kind. */
export function textRuleOf(issue: z.core.$ZodIssue): TextRule {
  switch (issue.code) {
    case 'custom': {
      const r: unknown = issue.params?.['rule'];
      return TEXT_RULES.find((known) => known === r) ?? 'malformed';
    }
    case 'too_big':
      return 'too_long';
    case 'too_small':
      return 'required';
    case 'invalid_format':
      return 'pattern';
    default:
      return 'malformed';
  }
}

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
/**
 * Something a person can see: not only white space and invisible (default-ignorable) marks, nor
 * the blank braille cell (U+2800), which is not white space to Unicode but looks it.
 */
const visible = (s: string) => s.replace(/[\s\p{Default_Ignorable_Code_Point}\u2800]/gu, '').length > 0;
/** Stacks of combining marks past this are "Zalgo" floods that paint over other lines. */
export const MAX_COMBINING_RUN = 16;
const noMarkFlood = (s: string) => !new RegExp(`\\p{M}{${MAX_COMBINING_RUN + 1}}`, 'u').test(s);
/** Joins past this in one emoji sequence are a flood (the longest standard ones, 👩‍❤️‍💋‍👨, have 3). */
export const MAX_EMOJI_JOINS = 3;
/** A pictograph, with its presentation selector (❤️) or skin tone (👋🏽). */
const EMOJI_ELEMENT = '\\p{Extended_Pictographic}(?:[\\uFE0E\\uFE0F]|\\p{Emoji_Modifier})?';
/**
 * The standard emoji sequences, whose invisible pieces are allowed in names there and only there:
 * a subdivision flag (🏴 + tag letters + cancel tag), pictographs joined by ZWJ (👨‍👩‍👧), and an
 * emoji character with a presentation selector (❤️, the 1️ of the keycap 1️⃣).
 */
const EMOJI_SEQUENCE = new RegExp(
  [
    '\\u{1F3F4}[\\u{E0030}-\\u{E0039}\\u{E0061}-\\u{E007A}]{3,6}\\u{E007F}',
    `${EMOJI_ELEMENT}(?:\\u200D${EMOJI_ELEMENT}){0,${MAX_EMOJI_JOINS}}`,
    '\\p{Emoji}[\\uFE0E\\uFE0F]',
  ].join('|'),
  'gu',
);
/**
 * Bidi overrides and invisible characters in a name would let it pose as another name. Those
 * inside an emoji sequence are part of a visible picture; any other one (a lone joiner, one
 * past the longest sequence, a selector after plain text) is refused.
 */
const noSpoofing = (s: string) => !/[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}\u2800]/u.test(s.replace(EMOJI_SEQUENCE, '\u{1F600}'));

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
  .refine(wellFormed, rule('malformed', 'display name must be well-formed Unicode'))
  .refine(noControl, rule('control', 'display name must not contain control characters'))
  .refine(noSpoofing, rule('spoofing', 'display name must not contain direction overrides or invisible characters'))
  .refine(noMarkFlood, rule('mark_flood', `display name must not stack more than ${MAX_COMBINING_RUN} combining marks`))
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
  .refine(wellFormed, rule('malformed', 'the name must be well-formed Unicode'))
  .refine(noControl, rule('control', 'the name must not contain control characters'))
  .refine(noSpoofing, rule('spoofing', 'the name must not contain direction overrides or invisible characters'))
  .transform((s) => s.normalize('NFC'));

export const AnnouncementSchema = z
  .string()
  .max(LIMITS.announcementMax, `an announcement can be at most ${LIMITS.announcementMax} characters`)
  .refine(wellFormed, rule('malformed', 'the announcement must be well-formed Unicode'))
  .refine(noControl, rule('control', 'the announcement must not contain control characters'))
  .refine(noMarkFlood, rule('mark_flood', 'the announcement must not stack combining marks'))
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
