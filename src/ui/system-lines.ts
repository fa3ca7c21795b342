/**
 * The words of a group's system lines (who joined, left, renamed…), for the log and the
 * conversation list. The current user is "You"; names come from the caller's user table.
 */
import type { SystemEvent } from '../protocol';
import { t } from '../i18n';

export type NameOf = (userId: string) => string;

/** A filled-in line: the template's own words, and the names put into it, kept apart. */
type Part = string | { name: string };
const name = (text: string): Part => ({ name: text });
const SLOTS = { actor: '{{actor}}', name: '{{name}}', names: '{{names}}', list: '{{list}}', last: '{{last}}' } as const;
const HAN = /\p{Script=Han}/u;

/** Puts names (and lists of them) into a template whose slots were filled with `{{slot}}` (`SLOTS`). */
function fill(template: string, values: Readonly<Record<string, Part | Part[] | undefined>>): Part[] {
  return template.split(/(\{\{\w+\}\})/).flatMap((piece): Part[] => {
    const slot = /^\{\{(\w+)\}\}$/.exec(piece)?.[1];
    const value = slot ? values[slot] : undefined;
    if (value === undefined) return piece === '' ? [] : [piece];
    return Array.isArray(value) ? value : [value];
  });
}

/**
 * The line as text. Chinese sets no space between Han characters: the template's spaces around a
 * name are for Latin names ("Bob 加入了群组") and go where the name's edge is Han ("你加入了群组").
 * A name is the person's own and is never touched: the space in "王 卡罗尔" stays.
 */
function text(parts: readonly Part[]): string {
  let out = '';
  parts.forEach((part, i) => {
    if (typeof part !== 'string') {
      out += part.name;
      return;
    }
    const next = parts[i + 1];
    const after = next === undefined ? '' : typeof next === 'string' ? next : next.name;
    [...part].forEach((ch, j, chars) => {
      const following = j + 1 < chars.length ? (chars[j + 1] ?? '') : [...after][0] ?? '';
      if (ch === ' ' && HAN.test([...out].at(-1) ?? '') && HAN.test(following)) return;
      out += ch;
    });
  });
  return out;
}

/**
 * Any catalogue string with names in it, spaced the same way: `template` is the string filled
 * with `{{slot}}` for each name (`t(key, { browser: '{{browser}}' })`).
 */
export function withNames(template: string, names: Readonly<Record<string, string>>): string {
  return text(fill(template, Object.fromEntries(Object.entries(names).map(([k, v]) => [k, name(v)]))));
}

export function systemText(e: SystemEvent, actorId: string, me: string, nameOf: NameOf): string {
  return text(systemParts(e, actorId, me, nameOf));
}

function systemParts(e: SystemEvent, actorId: string, me: string, nameOf: NameOf): Part[] {
  const actor = name(actorId === me ? t('system.you') : nameOf(actorId));
  const object = (id: string) => name(id === me ? t('system.youObject') : nameOf(id));
  switch (e.type) {
    case 'created':
      return fill(t('system.created', SLOTS), { actor, name: name(e.name) });
    case 'joined':
      return e.userIds.length === 1 && e.userIds[0] === actorId
        ? fill(t('system.joined', SLOTS), { actor })
        : fill(t('system.added', SLOTS), { actor, names: joinNameParts(e.userIds.map(object)) });
    case 'left':
      return fill(t('system.left', SLOTS), { actor });
    case 'removed':
      return fill(t('system.removed', SLOTS), { actor, name: object(e.userId) });
    case 'renamed':
      return fill(t('system.renamed', SLOTS), { actor, name: name(e.name) });
    case 'announcement':
      return fill(e.text.trim() ? t('system.announcement', SLOTS) : t('system.announcementCleared', SLOTS), { actor });
    case 'role':
      if (e.role === 'admin') return fill(t('system.madeAdmin', SLOTS), { actor, name: object(e.userId) });
      if (e.role === 'owner') return fill(t('system.madeOwner', SLOTS), { actor, name: object(e.userId) });
      return fill(t('system.unmadeAdmin', SLOTS), { actor, name: object(e.userId) });
    case 'history':
      return e.count === 0 ? fill(t('system.historyHidden', SLOTS), { actor }) : fill(t('system.historyShared', { ...SLOTS, count: e.count }), { actor });
    default: {
      const never: never = e;
      throw new Error(`unhandled system line ${JSON.stringify(never)}`);
    }
  }
}

/** "Bob", "Bob and Carol", "Bob, Carol and Dan", with each name kept whole. */
function joinNameParts(names: readonly Part[]): Part[] {
  if (names.length <= 1) return [...names];
  const list = names.slice(0, -1).flatMap((n, i) => (i === 0 ? [n] : [', ', n]));
  return fill(t('system.and', SLOTS), { list, last: names.at(-1) ?? '' });
}

/** What stays of a recalled message, in the log and the conversation list. */
export function recallText(recalledBy: string, me: string, nameOf: NameOf): string {
  return recalledBy === me ? t('message.youRecalled') : text(fill(t('message.recalled', SLOTS), { name: name(nameOf(recalledBy)) }));
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
