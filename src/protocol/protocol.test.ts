import { describe, expect, it } from 'vitest';
import { directConversationId } from './conversation-id';
import { LIMITS } from './limits';
import { AnnouncementSchema, DisplayNameSchema, GroupNameSchema, InboxEntrySchema, MAX_COMBINING_RUN, MAX_EMOJI_JOINS, MessageTextSchema, RequestSchema, UsernameSchema, textRuleOf } from '.';

const send = (over: Record<string, unknown> = {}) => ({
  type: 'send',
  conversationId: 'd_1_2',
  clientMsgId: '3f1c2a9e-8d4b-4c1a-9f2e-1a2b3c4d5e6f',
  text: 'hi',
  ...over,
});

describe('protocol schemas', () => {
  it('[PROTO-1] accepts a well-formed send and normalizes the clientMsgId to lower case', () => {
    const r = RequestSchema.parse(send({ clientMsgId: '3F1C2A9E-8D4B-4C1A-9F2E-1A2B3C4D5E6F' }));
    expect(r).toMatchObject({ type: 'send', clientMsgId: '3f1c2a9e-8d4b-4c1a-9f2e-1a2b3c4d5e6f' });
  });

  it.each([
    ['an extra key', send({ admin: true })],
    ['an unknown type', { type: 'drop_tables' }],
    ['text of the wrong type', send({ text: 42 })],
    ['empty text', send({ text: '' })],
    ['whitespace-only text', send({ text: ' \n\t ' })],
    ['text over the limit', send({ text: 'x'.repeat(LIMITS.textMaxChars + 1) })],
    ['a lone surrogate', send({ text: 'a\ud800b' })],
    ['a NUL character', send({ text: 'a\u0000b' })],
    ['a malformed clientMsgId', send({ clientMsgId: 'not-a-uuid' })],
    ['a malformed conversation id', send({ conversationId: "d_1'; --" })],
    ['a negative sincePts', { type: 'sync', sincePts: -1 }],
    ['a fractional sincePts', { type: 'sync', sincePts: 1.5 }],
    ['NaN', { type: 'sync', sincePts: Number.NaN }],
    ['Infinity', { type: 'sync', sincePts: Number.POSITIVE_INFINITY }],
    ['an integer past 2^53-1', { type: 'sync', sincePts: 2 ** 53 }],
    ['a history page that is too large', { type: 'history', conversationId: 'd_1_2', limit: LIMITS.historyPageMax + 1 }],
    ['a seq of zero for delivered', { type: 'delivered', conversationId: 'd_1_2', seq: 0 }],
  ])('[PROTO-2] refuses %s', (_name, payload) => {
    expect(RequestSchema.safeParse(payload).success).toBe(false);
  });

  it('[PROTO-3] counts the text limit in code points, so 4,000 emoji fit', () => {
    expect(RequestSchema.safeParse(send({ text: '😀'.repeat(LIMITS.textMaxChars) })).success).toBe(true);
  });

  it('[PROTO-4] user names are case-insensitive and limited to a safe alphabet', () => {
    expect(UsernameSchema.parse('  Alice ')).toBe('alice');
    expect(UsernameSchema.safeParse('al').success).toBe(false);
    expect(UsernameSchema.safeParse('al ice').success).toBe(false);
    expect(UsernameSchema.safeParse('ålice').success).toBe(false);
  });

  it('[PROTO-5] a one-to-one conversation id is the same whichever member derives it', () => {
    expect(directConversationId('10', '9')).toBe('d_9_10');
    expect(directConversationId('9', '10')).toBe('d_9_10');
    // Compared as 64-bit numbers, not as strings or doubles.
    expect(directConversationId('383215779383873537', '383215779383873536')).toBe('d_383215779383873536_383215779383873537');
  });

  it('[PROTO-6] inbox entries must carry a positive pts and a known event', () => {
    expect(InboxEntrySchema.safeParse({ pts: 0, event: { type: 'delivered', conversationId: 'd_1_2', userId: '1', seq: 1 } }).success).toBe(false);
    expect(InboxEntrySchema.safeParse({ pts: 1, event: { type: 'nope' } }).success).toBe(false);
    expect(InboxEntrySchema.safeParse({ pts: 1, event: { type: 'delivered', conversationId: 'd_1_2', userId: '1', seq: 1 } }).success).toBe(true);
  });
});

describe('text policy', () => {
  it('[TEXT-1] stores text NFC-normalized, so NFC and NFD spellings are one text', () => {
    const nfd = 'Cafe\u0301 re\u0301sume\u0301';
    expect(MessageTextSchema.parse(nfd)).toBe('Café résumé');
    expect(MessageTextSchema.parse(nfd)).toBe(MessageTextSchema.parse(nfd.normalize('NFC')));
  });

  it('[TEXT-2] text of only invisible characters (zero-width flood) is empty', () => {
    expect(MessageTextSchema.safeParse('\u200b'.repeat(500)).success).toBe(false);
    expect(MessageTextSchema.safeParse('\u200b\ufeff\u2060 \u00ad').success).toBe(false);
    // Zero-width joiners inside real text are fine (they build emoji and scripts).
    expect(MessageTextSchema.safeParse('👩\u200d💻 ok').success).toBe(true);
  });

  it('[TEXT-3] refuses combining-mark floods but keeps real stacked scripts', () => {
    expect(MessageTextSchema.safeParse(`z${'\u0301'.repeat(MAX_COMBINING_RUN + 1)}`).success).toBe(false);
    expect(MessageTextSchema.safeParse(`z${'\u0301'.repeat(MAX_COMBINING_RUN)}`).success).toBe(true);
    expect(MessageTextSchema.safeParse('Tiếng Việt, हिन्दी, བོད་ཡིག').success).toBe(true);
  });

  it('[TEXT-4] allows direction controls in message text (the client isolates them) but not in names', () => {
    expect(MessageTextSchema.safeParse('abc \u202edcba').success).toBe(true);
    expect(DisplayNameSchema.safeParse('admin\u202e').success).toBe(false);
    expect(DisplayNameSchema.safeParse('ali\u200bce').success).toBe(false);
    expect(DisplayNameSchema.parse('  Zoë  ')).toBe('Zoë');
  });

  it.each([
    ['a presentation selector (❤️, U+FE0F)', 'Alice \u2764\ufe0f Liddell'],
    ['a camping tent with its selector', 'Weekend trip \u{1f3d5}\ufe0f'],
    ['a text-style selector (U+FE0E)', 'Sun \u2600\ufe0e'],
    ['a family joined by ZWJ', 'The \u{1f468}\u200d\u{1f469}\u200d\u{1f467}\u200d\u{1f466}s'],
    ['a kiss, the longest standard sequence', '\u{1f469}\u{1f3fb}\u200d\u2764\ufe0f\u200d\u{1f48b}\u200d\u{1f468}\u{1f3fc}'],
    ['a skin tone', 'Wave \u{1f44b}\u{1f3fd}'],
    ['a skin tone inside a ZWJ sequence', 'Dev \u{1f9d1}\u{1f3fe}\u200d\u{1f4bb}'],
    ['a flag (regional indicators)', 'Team \u{1f1e8}\u{1f1f3}\u{1f1eb}\u{1f1f7}'],
    ['the rainbow flag', '\u{1f3f3}\ufe0f\u200d\u{1f308} Pride'],
    ['the pirate flag', '\u{1f3f4}\u200d\u2620\ufe0f'],
    ['a subdivision flag (tag characters)', 'Scots \u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}'],
    ['a keycap', 'Room 1\ufe0f\u20e3 and #\ufe0f\u20e3'],
  ])('[TEXT-5] a name may hold emoji: %s', (_what, name) => {
    expect(DisplayNameSchema.safeParse(name).success).toBe(true);
    expect(GroupNameSchema.safeParse(name).success).toBe(true);
  });

  it.each([
    ['a lone ZWJ between letters', 'ali\u200dce'],
    ['a ZWJ after the last pictograph', '\u{1f468}\u200d'],
    ['a ZWJ flood between pictographs', `\u{1f600}${'\u200d\u{1f600}'.repeat(MAX_EMOJI_JOINS + 1)}`],
    ['joiners only', '\u200d'.repeat(20)],
    ['a selector after a letter', 'a\ufe0f'],
    ['a run of selectors', '\u2764\ufe0f\ufe0f'],
    ['tag characters without the black flag', 'x\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}'],
    ['a black flag with a flood of tags', `\u{1f3f4}${'\u{e0061}'.repeat(40)}\u{e007f}`],
    ['a right-to-left override beside an emoji', '\u2764\ufe0f\u202e'],
    ['a zero-width space beside an emoji', '\u{1f600}\u200b'],
    ['the blank braille cell, which looks like a space', 'Alice\u2800'],
    ['a name of blank braille cells only', '\u2800\u2800\u2800'],
  ])('[TEXT-5] a name still refuses %s', (_what, name) => {
    const r = DisplayNameSchema.safeParse(name);
    expect(r.success).toBe(false);
    expect(GroupNameSchema.safeParse(name).success).toBe(false);
    expect(r.error && textRuleOf(r.error.issues[0]!)).toBe('spoofing');
  });

  it('[TEXT-6] each refusal of a typed text names the rule it broke, for words in the person\'s language', () => {
    const rule = (r: { error?: { issues: Parameters<typeof textRuleOf>[0][] } }) => r.error && textRuleOf(r.error.issues[0]!);
    expect(rule(GroupNameSchema.safeParse('   '))).toBe('required');
    expect(rule(GroupNameSchema.safeParse('x'.repeat(65)))).toBe('too_long');
    expect(rule(GroupNameSchema.safeParse('a\u0007b'))).toBe('control');
    expect(rule(DisplayNameSchema.safeParse('a\ud800'))).toBe('malformed');
    expect(rule(DisplayNameSchema.safeParse(`z${'\u0301'.repeat(MAX_COMBINING_RUN + 1)}`))).toBe('mark_flood');
    expect(rule(AnnouncementSchema.safeParse(`z${'\u0301'.repeat(40)}`))).toBe('mark_flood');
    expect(rule(UsernameSchema.safeParse('al ice'))).toBe('pattern');
  });
});
