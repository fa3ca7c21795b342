/**
 * A message that is only a few emoji shows them large, as Telegram does: how many emoji a text
 * is made of, when it is nothing else.
 */

/** How many emoji at most still show large. */
export const MAX_LARGE_EMOJI = 3;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Every code point of an emoji sequence: pictographs, skin tones, joiners, variation selectors, keycaps, flags' letters and tags. */
const EMOJI_PARTS = /^[\p{Extended_Pictographic}\p{Emoji_Component}\p{Emoji_Modifier}\u200D\uFE0F\u20E3]+$/u;
/**
 * What makes those parts an emoji drawn as one: a pictograph shown as emoji by default, or one
 * asked to be (U+FE0F), a flag's letters, a keycap. `©` or `❤` alone are text by default, and
 * digits, `#` and `*` are parts of keycaps only.
 */
const DRAWN_AS_EMOJI = /\p{Emoji_Presentation}|\uFE0F|\p{Regional_Indicator}|\u20E3/u;

/** The number of emoji `text` is made of (spaces and line breaks aside), or 0 if it has anything else or more than three. */
export function largeEmojiCount(text: string): number {
  let count = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (/^\s+$/u.test(segment)) continue;
    if (!EMOJI_PARTS.test(segment) || !DRAWN_AS_EMOJI.test(segment)) return 0;
    if (++count > MAX_LARGE_EMOJI) return 0;
  }
  return count;
}
