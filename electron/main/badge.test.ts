import { describe, expect, it } from 'vitest';
import { badgeFor } from './badge';
import { desktopWords } from './words';

const en = desktopWords('en');

describe('unread badge', () => {
  it('[DESK-8] the total unread becomes badge text, overlay description and tooltip; above 99 it reads 99+; nothing unread clears all', () => {
    expect(badgeFor(0, en)).toEqual({ count: 0, text: '', overlay: null, tooltip: 'Tidings', unread: false });
    expect(badgeFor(1, en)).toEqual({ count: 1, text: '1', overlay: '1 unread message', tooltip: 'Tidings — 1 unread message', unread: true });
    expect(badgeFor(42, en)).toMatchObject({ count: 42, text: '42', overlay: '42 unread messages' });
    expect(badgeFor(99, en).text).toBe('99');
    expect(badgeFor(100, en)).toMatchObject({ count: 100, text: '99+', overlay: '99+ unread messages', tooltip: 'Tidings — 99+ unread messages' });
    for (const bad of [-3, Number.NaN, 2.5, Number.POSITIVE_INFINITY]) expect(badgeFor(bad, en).count).toBe(0);
  });

  it('[DESK-23] in Chinese the overlay and tooltip are Chinese; the count is the same', () => {
    const zh = desktopWords('zh-CN');
    expect(badgeFor(0, zh)).toEqual({ count: 0, text: '', overlay: null, tooltip: 'Tidings', unread: false });
    expect(badgeFor(3, zh)).toEqual({ count: 3, text: '3', overlay: '3 条未读消息', tooltip: 'Tidings — 3 条未读消息', unread: true });
    expect(badgeFor(100, zh)).toMatchObject({ text: '99+', overlay: '99+ 条未读消息' });
  });
});
