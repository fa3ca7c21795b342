import { t } from '../i18n';

/** People type lists of user names loosely: "@bob, carol  dan". The server judges each name. */
export function parseUsernames(text: string): string[] {
  const names = text
    .split(/[,\s]+/)
    .map((s) => s.trim().replace(/^@/, '').toLowerCase())
    .filter((s) => s.length > 0);
  return [...new Set(names)];
}

/** "Bob", "Bob and Carol", "Bob, Carol and Dan" (in the person's language). */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return t('system.and', { list: names.slice(0, -1).join(', '), last: names.at(-1) ?? '' });
}
