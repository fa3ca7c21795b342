import { describe, expect, it } from 'vitest';
import { badgeFor } from './badge';

describe('unread badge', () => {
  it('[DESK-8] the total unread becomes badge text, overlay description and tooltip; above 99 it reads 99+; nothing unread clears all', () => {
    expect(badgeFor(0)).toEqual({ count: 0, text: '', overlay: null, tooltip: 'Tidings', unread: false });
    expect(badgeFor(1)).toEqual({ count: 1, text: '1', overlay: '1 unread message', tooltip: 'Tidings — 1 unread message', unread: true });
    expect(badgeFor(42)).toMatchObject({ count: 42, text: '42', overlay: '42 unread messages' });
    expect(badgeFor(99).text).toBe('99');
    expect(badgeFor(100)).toMatchObject({ count: 100, text: '99+', overlay: '99+ unread messages', tooltip: 'Tidings — 99+ unread messages' });
    for (const bad of [-3, Number.NaN, 2.5, Number.POSITIVE_INFINITY]) expect(badgeFor(bad).count).toBe(0);
  });
});
