import { describe, expect, it } from 'vitest';
import { highlightParts, matchRanges } from './highlight';

/** The text with matches in [brackets]. */
const marked = (text: string, query: string, max?: number) =>
  highlightParts(text, query, max)
    .map((p) => (p.match ? `[${p.text}]` : p.text))
    .join('');

describe('search highlights', () => {
  it('[SEARCH-28] marks word prefixes in the text as written, whatever the case and accents', () => {
    expect(marked('Is the PROXY up? Proxies too', 'prox')).toBe('Is the [PROX]Y up? [Prox]ies too');
    expect(marked('Été à Paris', 'ete')).toBe('[Été] à Paris');
    // A decomposed accent stays inside the mark with its letter.
    expect(marked('Cafe\u0301 noir', 'cafe')).toBe('[Cafe\u0301] noir');
    expect(marked('\u0301x', 'x')).toBe('\u0301[x]');
    // Only at the start of a word, like the index.
    expect(marked('reproxy proxy', 'proxy')).toBe('reproxy [proxy]');
    expect(marked('a cat ate', 'a')).toBe('[a] cat ate');
  });

  it('[SEARCH-29] marks a Chinese query wherever it occurs, and words next to Chinese text', () => {
    expect(marked('离线消息已送达', '消息')).toBe('离线[消息]已送达');
    expect(marked('我的iPhone手机', 'iphone 手机')).toBe('我的[iPhone手机]');
    expect(matchRanges('消息消息', '消息')).toEqual([[0, 4]]);
  });

  it('[SEARCH-30] a long text whose match is far in starts near the match, after an ellipsis', () => {
    const text = `${'word '.repeat(40)}the needle is here ${'tail '.repeat(10)}`;
    const parts = highlightParts(text, 'needle', 160);
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(parts.map((p) => p.text).join('')).toMatch(/^…(word )+the needle is here/);
    expect(parts.find((p) => p.match)?.text).toBe('needle');
    // Short texts are whole.
    expect(marked('short needle', 'needle')).toBe('short [needle]');
  });
});
