import { describe, expect, it } from 'vitest';
import { AVATAR_COLOURS, avatarColour, avatarId, avatarInitial } from './avatar';

/** WCAG 2 relative luminance and contrast ratio. */
const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('avatar colours', () => {
  it('[AVATAR-1] every colour carries white text at WCAG AA', () => {
    for (const c of AVATAR_COLOURS) expect(contrast(c, '#ffffff'), c).toBeGreaterThanOrEqual(4.5);
  });

  it('[AVATAR-1] a person or group keeps its colour, and different ones get different colours', () => {
    expect(avatarColour('383215779383873537')).toBe(avatarColour('383215779383873537'));
    const used = new Set(Array.from({ length: 200 }, (_, i) => avatarColour(String(383215779383873537n + BigInt(i)))));
    expect(used.size).toBe(AVATAR_COLOURS.length);
    expect(new Set(['g_1', 'g_2', 'g_3', 'g_4', 'g_5'].map(avatarColour)).size).toBeGreaterThan(1);
  });

  it('[AVATAR-1] a one-to-one chat wears the other person’s colour, a group its own', () => {
    expect(avatarId({ id: 'd_1_2', kind: 'direct', memberIds: ['1', '2'] }, '1')).toBe('2');
    expect(avatarId({ id: 'd_1_2', kind: 'direct', memberIds: ['1', '2'] }, '2')).toBe('1');
    expect(avatarId({ id: 'g_7', kind: 'group', memberIds: [] }, '1')).toBe('g_7');
  });

  it('[AVATAR-1] the initial is a whole character', () => {
    expect(avatarInitial('bob')).toBe('B');
    expect(avatarInitial('王 卡罗尔')).toBe('王');
    expect(avatarInitial('\u{1f3d5}\ufe0f Weekend')).toBe('\u{1f3d5}\ufe0f');
    expect(avatarInitial('e\u0301mile')).toBe('E\u0301');
  });
});
