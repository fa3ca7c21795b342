import { describe, expect, it } from 'vitest';
import { BADGE_ICON_FILES, badgeFor, countIconFile, ICON_COUNTS } from './badge';
import { desktopWords } from './words';

const en = desktopWords('en');

describe('unread badge', () => {
  it('[DESK-8] the total unread becomes badge text, overlay description and tooltip; above 99 it reads 99+; nothing unread clears all', () => {
    expect(badgeFor(0, en)).toEqual({ count: 0, text: '', overlay: null, overlayIcon: null, trayIcon: 'tray.png', tooltip: 'Tidings' });
    expect(badgeFor(1, en)).toEqual({ count: 1, text: '1', overlay: '1 unread message', overlayIcon: 'overlay-1.png', trayIcon: 'tray-1.png', tooltip: 'Tidings — 1 unread message' });
    expect(badgeFor(42, en)).toMatchObject({ count: 42, text: '42', overlay: '42 unread messages' });
    expect(badgeFor(99, en).text).toBe('99');
    expect(badgeFor(100, en)).toMatchObject({ count: 100, text: '99+', overlay: '99+ unread messages', tooltip: 'Tidings — 99+ unread messages' });
    for (const bad of [-3, Number.NaN, 2.5, Number.POSITIVE_INFINITY]) expect(badgeFor(bad, en).count).toBe(0);
  });

  it('[DESK-8] the tray and overlay icons show the count itself: none at 0, 1…9 as they are, 9+ past 9, while the words keep the whole number', () => {
    const icons = (total: number) => {
      const b = badgeFor(total, en);
      return [b.trayIcon, b.overlayIcon, b.overlay];
    };
    expect(icons(0)).toEqual(['tray.png', null, null]);
    expect(icons(1)).toEqual(['tray-1.png', 'overlay-1.png', '1 unread message']);
    expect(icons(9)).toEqual(['tray-9.png', 'overlay-9.png', '9 unread messages']);
    expect(icons(10)).toEqual(['tray-9plus.png', 'overlay-9plus.png', '10 unread messages']);
    expect(icons(250)).toEqual(['tray-9plus.png', 'overlay-9plus.png', '99+ unread messages']);
    expect(icons(Number.NaN)).toEqual(['tray.png', null, null]);
    // Every icon a count can pick is one make-icons.ts draws, so one the checks find in build/.
    for (let n = 0; n <= 12; n++) {
      const b = badgeFor(n, en);
      expect(BADGE_ICON_FILES).toContain(b.trayIcon);
      if (b.overlayIcon !== null) expect(BADGE_ICON_FILES).toContain(b.overlayIcon);
    }
    expect(ICON_COUNTS.map((c) => countIconFile('overlay', c))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => badgeFor(n, en).overlayIcon));
  });

  it('[DESK-23] in Chinese the overlay and tooltip are Chinese; the count is the same', () => {
    const zh = desktopWords('zh-CN');
    expect(badgeFor(0, zh)).toEqual({ count: 0, text: '', overlay: null, overlayIcon: null, trayIcon: 'tray.png', tooltip: 'Tidings' });
    expect(badgeFor(3, zh)).toEqual({ count: 3, text: '3', overlay: '3 条未读消息', overlayIcon: 'overlay-3.png', trayIcon: 'tray-3.png', tooltip: 'Tidings — 3 条未读消息' });
    expect(badgeFor(100, zh)).toMatchObject({ text: '99+', overlay: '99+ 条未读消息' });
  });
});
