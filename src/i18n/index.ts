/**
 * The message catalogue (i18next) and the person's language, a per-device choice kept in this
 * browser profile. Until a choice is made it follows the browser's preferred languages, else
 * English. Dates and times follow it through `locale()`, in the browser's regional variant of
 * it. A change of language re-renders every screen (App keys them by language), so components
 * call `t` directly.
 */
import { profileKey } from '../state/profile';
import i18next from 'i18next';
import { en } from './en';
import { LANGUAGES, preferredLanguage, spokenIn, type Language } from './languages';
import { zhCN } from './zh-CN';

export { LANGUAGES, preferredLanguage, type Language };

const KEY = profileKey('tidings.language');

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/**
 * The locale dates and times are written in: the browser's first preferred locale in the
 * language shown (en-GB: 14:05 and 3 March; en-US: 2:05 PM and March 3), else that language.
 * Another language's locale would mix, say, Chinese month names into an English screen.
 */
export function formattingLocale(lng: Language, preferred: readonly string[]): string {
  for (const tag of preferred) {
    if (spokenIn(tag) !== lng) continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // Not a well-formed tag (Intl would throw on it too): look further.
    }
  }
  return lng;
}

function loadLanguage(): Language {
  const browser = () => preferredLanguage(globalThis.navigator?.languages ?? []);
  try {
    const saved = globalThis.localStorage?.getItem(KEY);
    return LANGUAGES.some((l) => l.code === saved) ? (saved as Language) : browser();
  } catch {
    return browser();
  }
}

export const i18n = i18next.createInstance();
void i18n.init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: loadLanguage(),
  fallbackLng: 'en',
  // React escapes what it renders; the catalogue's strings are text, never HTML.
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

export const t = i18n.t.bind(i18n);

export function language(): Language {
  return i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
}

/** The BCP 47 locale for Intl (dates, times, lists): see `formattingLocale`. */
export function locale(): string {
  return formattingLocale(language(), globalThis.navigator?.languages ?? []);
}

export function setLanguage(lng: Language): void {
  try {
    // Kept even for English: otherwise the browser's language would win at the next start.
    globalThis.localStorage?.setItem(KEY, lng);
  } catch {
    // Private modes may refuse storage: the choice lasts until the page closes.
  }
  void i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
}

/** Subscribes to language changes (App re-renders everything under a new key). */
export function onLanguageChanged(listener: (lng: string) => void): () => void {
  i18n.on('languageChanged', listener);
  return () => i18n.off('languageChanged', listener);
}
