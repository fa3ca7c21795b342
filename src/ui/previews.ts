/**
 * The conversation list's line under each title. A system line's stored preview text is
 * empty, so its words are made from its event, found among the stored messages by seq.
 */
import type { SystemEvent } from '../protocol';
import type { StoredConversation } from '../store/db';
import { t } from '../i18n';
import { recallText, systemText, type NameOf } from './system-lines';

export function previewText(c: StoredConversation, system: SystemEvent | null, me: string, nameOf: NameOf): string {
  const last = c.lastMessage;
  if (!last) return t('list.noMessages');
  if (last.recalledBy) return recallText(last.recalledBy, me, nameOf);
  if (system) return systemText(system, last.senderId, me, nameOf);
  // A system line this device does not hold (only its summary arrived).
  if (last.text === '') return c.kind === 'group' ? t('list.groupUpdated') : '';
  if (last.senderId === me) return t('list.you', { text: last.text });
  return c.kind === 'group' ? t('list.from', { name: nameOf(last.senderId), text: last.text }) : last.text;
}
