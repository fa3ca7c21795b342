import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../i18n';
import { coverageText, hitTime } from './search-dates';

const now = new Date(2026, 5, 1, 18, 0);
const prefer = (...languages: string[]) => vi.stubGlobal('navigator', { languages });

afterEach(async () => {
  vi.unstubAllGlobals();
  await i18n.changeLanguage('en');
});

describe('the dates of search', () => {
  it('[SEARCH-25] says what was searched, since the oldest one’s date, with the year only when not this one', () => {
    prefer('en-US');
    expect(coverageText(12_340, new Date(2026, 2, 3, 9, 0).getTime(), now)).toBe('Searched 12,340 messages on this device since March 3.');
    expect(coverageText(2, new Date(2025, 2, 3).getTime(), now)).toBe('Searched 2 messages on this device since March 3, 2025.');
    expect(coverageText(1, new Date(2026, 0, 9).getTime(), now)).toBe('Searched 1 message on this device since January 9.');
    expect(coverageText(0, null, now)).toBe('Searched 0 messages on this device.');
  });

  it('[SEARCH-31] a result shows today’s clock time, else its date, with the year when not this one', () => {
    prefer('en-US');
    expect(hitTime(new Date(2026, 5, 1, 14, 5).getTime(), now)).toBe('02:05 PM');
    expect(hitTime(new Date(2026, 4, 31, 23, 59).getTime(), now)).toBe('May 31');
    expect(hitTime(new Date(2025, 11, 24, 8, 0).getTime(), now)).toBe('Dec 24, 2025');
  });

  it('[I18N-5] dates and times follow the browser’s locale in the language shown (en-GB is not en-US)', async () => {
    prefer('en-GB', 'en-US');
    expect(hitTime(new Date(2026, 5, 1, 14, 5).getTime(), now)).toBe('14:05');
    expect(hitTime(new Date(2025, 11, 24).getTime(), now)).toBe('24 Dec 2025');
    expect(coverageText(12_340, new Date(2026, 2, 3).getTime(), now)).toBe('Searched 12,340 messages on this device since 3 March.');
    await i18n.changeLanguage('zh-CN');
    // An English locale would put English month names on a Chinese screen.
    expect(hitTime(new Date(2025, 11, 24).getTime(), now)).toBe('2025年12月24日');
    expect(coverageText(3, new Date(2026, 2, 3).getTime(), now)).toBe('已搜索本设备上自 3月3日 以来的 3 条消息。');
  });
});
