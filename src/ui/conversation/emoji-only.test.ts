import { describe, expect, it } from 'vitest';
import { largeEmojiCount } from './emoji-only';

describe('messages of only a few emoji', () => {
  it('[LOG-9] counts one to three emoji, each whole sequence as one', () => {
    expect(largeEmojiCount('👍')).toBe(1);
    expect(largeEmojiCount('🎉🎉')).toBe(2);
    expect(largeEmojiCount(' 😀 🙈\n🚀 ')).toBe(3);
    // Skin tones, families joined by ZWJ, flags, keycaps, a heart asked to be emoji, tag flags.
    expect(largeEmojiCount('👍🏽')).toBe(1);
    expect(largeEmojiCount('👨‍👩‍👧‍👦')).toBe(1);
    expect(largeEmojiCount('🇨🇳🇬🇧')).toBe(2);
    expect(largeEmojiCount('1️⃣')).toBe(1);
    expect(largeEmojiCount('❤️')).toBe(1);
    expect(largeEmojiCount('🏴󠁧󠁢󠁳󠁣󠁴󠁿')).toBe(1);
  });

  it('[LOG-9] is 0 for text, for more than three, and for what is text by default', () => {
    expect(largeEmojiCount('')).toBe(0);
    expect(largeEmojiCount('   ')).toBe(0);
    expect(largeEmojiCount('ok 👍')).toBe(0);
    expect(largeEmojiCount('👍!')).toBe(0);
    expect(largeEmojiCount('好👍')).toBe(0);
    expect(largeEmojiCount('😀😀😀😀')).toBe(0);
    expect(largeEmojiCount('123')).toBe(0);
    expect(largeEmojiCount('#')).toBe(0);
    expect(largeEmojiCount('©')).toBe(0);
    expect(largeEmojiCount('❤')).toBe(0);
  });
});
