/**
 * Avatars: a person's or group's initial on a colour of its own, the same on every device and in
 * every session because it is derived from the id (a person's user id; a group's conversation id).
 */
import type { StoredConversation } from '../../store/db';

/**
 * Each carries white text at WCAG AA (4.5:1 or more) and reads as a coloured disc on the light
 * and the dark background alike, so one palette serves both themes.
 */
export const AVATAR_COLOURS = ['#1d4ed8', '#0f766e', '#15803d', '#7e22ce', '#be185d', '#b91c1c', '#c2410c', '#4338ca', '#0e7490', '#6d28d9'] as const;

/** FNV-1a: cheap, and stable across runs and devices (unlike object identity or random picks). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function avatarColour(id: string): string {
  return AVATAR_COLOURS[hash(id) % AVATAR_COLOURS.length] ?? AVATAR_COLOURS[0];
}

/** Whose colour a conversation's avatar wears: the other person's in a one-to-one chat, else the group's. */
export function avatarId(c: Pick<StoredConversation, 'id' | 'kind' | 'memberIds'>, me: string): string {
  return c.kind === 'group' ? c.id : (c.memberIds.find((id) => id !== me) ?? c.id);
}

/** The initial shown: the first character a person sees (a whole emoji or accented letter, not half of one). */
export function avatarInitial(title: string): string {
  const [first] = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(title.trim());
  return (first?.segment ?? '').toLocaleUpperCase();
}
