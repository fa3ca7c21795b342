/**
 * The languages Tidings speaks, and which of a person's preferred languages that means. Apart
 * from index.ts (i18next, localStorage) so that the desktop app's main process can use them too,
 * with the catalogues (en.ts, zh-CN.ts), for its menu, tray and badge.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'zh-CN', name: '简体中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

/** The language Tidings speaks that a BCP 47 tag asks for, if any (Chinese: Simplified only). */
export function spokenIn(tag: string): Language | null {
  const lower = tag.toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (/^zh(-(cn|sg|hans)(-.*)?)?$/.test(lower)) return 'zh-CN';
  return null;
}

/** The first of the preferred languages that Tidings speaks, else English. */
export function preferredLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lng = spokenIn(tag);
    if (lng) return lng;
  }
  return 'en';
}
