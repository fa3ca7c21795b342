import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en';
import { zhCN } from '../../src/i18n/zh-CN';
import { desktopWords, systemLanguage } from './words';

describe('the desktop app’s own words', () => {
  it('[DESK-23] come from the catalogue in the person’s language, with the app’s name and plural forms filled in', () => {
    const english = desktopWords('en');
    expect(english.menu.newChat).toBe(en.desktop.menu.newChat);
    expect(english.menu.quit).toBe('Quit Tidings');
    expect(english.tray.open).toBe('Open Tidings');
    expect(english.unread(1, '1')).toBe('1 unread message');
    expect(english.unread(120, '99+')).toBe('99+ unread messages');
    expect(english.tooltip('3 unread messages')).toBe('Tidings — 3 unread messages');

    const chinese = desktopWords('zh-CN');
    expect(chinese.menu.newChat).toBe(zhCN.desktop.menu.newChat);
    expect(chinese.menu.file).toBe('文件(&F)');
    expect(chinese.tray.quit).toBe('退出 Tidings');
    expect(chinese.unread(1, '1')).toBe('1 条未读消息');
    expect(chinese.unread(5, '5')).toBe('5 条未读消息');
    // No placeholder is left unfilled in any of them.
    for (const words of [english, chinese]) {
      for (const label of [...Object.values(words.menu), ...Object.values(words.tray), words.unread(2, '2'), words.tooltip('x')]) expect(label).not.toMatch(/\{\{/);
    }
  });

  it('[DESK-23] before a window says, the system’s locale picks the language (Simplified Chinese, else English)', () => {
    expect(systemLanguage('zh-CN')).toBe('zh-CN');
    expect(systemLanguage('zh')).toBe('zh-CN');
    expect(systemLanguage('en-GB')).toBe('en');
    expect(systemLanguage('zh-TW')).toBe('en');
    expect(systemLanguage('de')).toBe('en');
    expect(systemLanguage('')).toBe('en');
  });
});
