/** A device's name as this screen says it, and when it signed in. */
import { t } from '../../i18n';
import { generatedDeviceParts } from '../../sync/api';
import { withNames } from '../system-lines';
import { shortDateTime } from '../words';

/**
 * A name someone chose is shown as it is; a generated one ("Chrome on Linux", stored in
 * English) is said in the reader's language from its parts ("Linux 上的 Chrome"). Product
 * names stay as they are; only the words around them and the fallbacks are translated.
 */
export function deviceLabel(name: string): string {
  const parts = generatedDeviceParts(name);
  if (!parts) return name;
  const browser = parts.browser === 'Browser' ? t('settings.someBrowser') : parts.browser === 'Tidings desktop' ? t('settings.desktopApp') : parts.browser;
  const system = parts.system === 'unknown system' ? t('settings.unknownSystem') : parts.system;
  return withNames(t('settings.deviceOn', { browser: '{{browser}}', system: '{{system}}' }), { browser, system });
}

/** "Signed in 5 Dec, 23:36": two devices of the same browser and system differ by it. */
export function signedInText(createdAt: number): string {
  return t('settings.signedIn', { when: shortDateTime(createdAt) });
}
