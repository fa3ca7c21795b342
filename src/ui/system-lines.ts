/**
 * The words of a group's system lines (who joined, left, renamed…), for the log and the
 * conversation list. The current user is "You"; names come from the caller's user table.
 */
import type { SystemEvent } from '../protocol';
import { joinNames } from './user-names';

export type NameOf = (userId: string) => string;

export function systemText(e: SystemEvent, actorId: string, me: string, nameOf: NameOf): string {
  const actor = actorId === me ? 'You' : nameOf(actorId);
  const object = (id: string) => (id === me ? 'you' : nameOf(id));
  switch (e.type) {
    case 'created':
      return `${actor} created the group “${e.name}”`;
    case 'joined':
      return e.userIds.length === 1 && e.userIds[0] === actorId
        ? `${actor} joined`
        : `${actor} added ${joinNames(e.userIds.map(object))}`;
    case 'left':
      return `${actor} left`;
    case 'removed':
      return `${actor} removed ${object(e.userId)}`;
    case 'renamed':
      return `${actor} renamed the group to “${e.name}”`;
    case 'announcement':
      return e.text.trim() ? `${actor} changed the announcement` : `${actor} cleared the announcement`;
    case 'role':
      if (e.role === 'admin') return `${actor} made ${object(e.userId)} an admin`;
      if (e.role === 'owner') return `${actor} made ${object(e.userId)} the owner`;
      return `${actor} removed ${object(e.userId)} as an admin`;
    default: {
      const never: never = e;
      throw new Error(`unhandled system line ${JSON.stringify(never)}`);
    }
  }
}

/** What stays of a recalled message, in the log and the conversation list. */
export function recallText(recalledBy: string, me: string, nameOf: NameOf): string {
  return `${recalledBy === me ? 'You' : nameOf(recalledBy)} recalled a message`;
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
