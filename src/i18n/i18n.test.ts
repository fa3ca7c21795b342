import { afterEach, describe, expect, it, vi } from 'vitest';
import { en } from './en';
import { formattingLocale, i18n, locale, preferredLanguage, t } from './index';
import { zhCN } from './zh-CN';

type Tree = { [k: string]: string | Tree };
const leaves = (o: Tree, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`)));
const vars = (s: string) => [...s.matchAll(/\{\{(\w+)(, \w+)?\}\}/g)].map((m) => m[1]).sort();
const at = (o: Tree, path: string) => path.split('.').reduce<string | Tree>((n, k) => (n as Tree)[k] as string | Tree, o) as string;

afterEach(async () => {
  vi.unstubAllGlobals();
  await i18n.changeLanguage('en');
});

describe('message catalogue', () => {
  it('[I18N-1] 简体中文 has every English string and uses the same placeholders', () => {
    const keys = leaves(en as unknown as Tree);
    expect(leaves(zhCN as unknown as Tree)).toEqual(keys);
    for (const k of keys) expect(vars(at(zhCN as unknown as Tree, k)), k).toEqual(vars(at(en as unknown as Tree, k)));
  });

  it('[I18N-2] strings fill in names and counts, with plurals, in the chosen language', async () => {
    expect(t('list.unread', { count: 3 })).toBe('3 unread');
    expect(t('presence.minutes', { count: 1 })).toBe('Last seen 1 minute ago');
    expect(t('presence.minutes', { count: 5 })).toBe('Last seen 5 minutes ago');
    expect(t('message.recalled', { name: 'Bob' })).toBe('Bob recalled a message');
    expect(t('search.covered', { count: 12340 })).toBe('Searched 12,340 messages on this device.');
    await i18n.changeLanguage('zh-CN');
    expect(t('list.unread', { count: 3 })).toBe('3 条未读');
    expect(t('message.recalled', { name: 'Bob' })).toBe('Bob 撤回了一条消息');
  });

  it('[I18N-4] before a choice is made, the browser’s first language Tidings speaks is used, else English', () => {
    expect(preferredLanguage(['zh-CN', 'en-US'])).toBe('zh-CN');
    expect(preferredLanguage(['zh'])).toBe('zh-CN');
    expect(preferredLanguage(['zh-Hans-CN'])).toBe('zh-CN');
    expect(preferredLanguage(['de-DE', 'en-GB', 'zh-CN'])).toBe('en');
    expect(preferredLanguage(['fr', 'zh-SG'])).toBe('zh-CN');
    // Traditional Chinese is not what is offered; English is the safer default.
    expect(preferredLanguage(['zh-TW'])).toBe('en');
    expect(preferredLanguage([])).toBe('en');
  });

  it('[I18N-5] dates are written in the browser’s first locale in the language shown, else in that language', async () => {
    expect(formattingLocale('en', ['en-GB', 'en-US'])).toBe('en-GB');
    expect(formattingLocale('en', ['de-DE', 'en-au'])).toBe('en-AU');
    expect(formattingLocale('en', ['de-DE', 'zh-CN'])).toBe('en');
    expect(formattingLocale('zh-CN', ['en-GB', 'zh-SG'])).toBe('zh-SG');
    expect(formattingLocale('zh-CN', ['zh-Hans-HK'])).toBe('zh-Hans-HK');
    // Traditional Chinese would write a Simplified screen's dates in other characters.
    expect(formattingLocale('zh-CN', ['zh-TW', 'en-US'])).toBe('zh-CN');
    // A malformed tag is passed over rather than thrown at Intl.
    expect(formattingLocale('en', ['en-', 'en-NZ'])).toBe('en-NZ');
    expect(formattingLocale('en', [])).toBe('en');

    vi.stubGlobal('navigator', { languages: ['en-GB', 'zh-CN'] });
    expect(locale()).toBe('en-GB');
    await i18n.changeLanguage('zh-CN');
    expect(locale()).toBe('zh-CN');
  });
});
