/**
 * The words of a group's system lines (who joined, left, renamed…), for the log and the
 * conversation list. The current user is "You"; names come from the caller's user table.
 */
import type { SystemEvent } from '../protocol';
import { t } from '../i18n';
import { joinNames } from './user-names';

export type NameOf = (userId: string) => string;

/**
 * Chinese sets no space between two Han characters: the catalogue's spaces around a name are for
 * Latin names ("Bob 加入了群组") and go where the name is Chinese ("你加入了群组").
 */
const tidy = (s: string) => s.replace(/(\p{Script=Han}) (?=\p{Script=Han})/gu, '$1');

export function systemText(e: SystemEvent, actorId: string, me: string, nameOf: NameOf): string {
  return tidy(systemWords(e, actorId, me, nameOf));
}

function systemWords(e: SystemEvent, actorId: string, me: string, nameOf: NameOf): string {
  const actor = actorId === me ? t('system.you') : nameOf(actorId);
  const object = (id: string) => (id === me ? t('system.youObject') : nameOf(id));
  switch (e.type) {
    case 'created':
      return t('system.created', { actor, name: e.name });
    case 'joined':
      return e.userIds.length === 1 && e.userIds[0] === actorId
        ? t('system.joined', { actor })
        : t('system.added', { actor, names: joinNames(e.userIds.map(object)) });
    case 'left':
      return t('system.left', { actor });
    case 'removed':
      return t('system.removed', { actor, name: object(e.userId) });
    case 'renamed':
      return t('system.renamed', { actor, name: e.name });
    case 'announcement':
      return e.text.trim() ? t('system.announcement', { actor }) : t('system.announcementCleared', { actor });
    case 'role':
      if (e.role === 'admin') return t('system.madeAdmin', { actor, name: object(e.userId) });
      if (e.role === 'owner') return t('system.madeOwner', { actor, name: object(e.userId) });
      return t('system.unmadeAdmin', { actor, name: object(e.userId) });
    case 'history':
      return e.count === 0 ? t('system.historyHidden', { actor }) : t('system.historyShared', { actor, count: e.count });
    default: {
      const never: never = e;
      throw new Error(`unhandled system line ${JSON.stringify(never)}`);
    }
  }
}

/** What stays of a recalled message, in the log and the conversation list. */
export function recallText(recalledBy: string, me: string, nameOf: NameOf): string {
  return tidy(recalledBy === me ? t('message.youRecalled') : t('message.recalled', { name: nameOf(recalledBy) }));
}

/** The user ids a system line names besides its actor, so their profiles can be fetched. */
export function systemUserIds(e: SystemEvent): string[] {
  switch (e.type) {
    case 'joined':
      return e.userIds;
    case 'removed':
    case 'role':
      return [e.userId];
    default:
      return [];
  }
}
