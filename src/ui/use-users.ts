/**
 * Public profiles for the screens: the live `users` table as a map, a name for any id, and a
 * one-time fetch of profiles this device has not stored yet (senders in groups).
 */
import { t } from '../i18n';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { StoredUser } from '../store/db';
import { useClient } from './client-context';
import type { NameOf } from './system-lines';

export function displayName(u: StoredUser | undefined): string {
  return u?.displayName || u?.username || t('system.someone');
}

export function useUsers(): { byId: ReadonlyMap<string, StoredUser>; nameOf: NameOf } {
  const client = useClient();
  const users = useLiveQuery(() => client.db.users.toArray(), [client]);
  const byId = useMemo(() => new Map((users ?? []).map((u) => [u.id, u])), [users]);
  const nameOf = useCallback((id: string) => displayName(byId.get(id)), [byId]);
  return { byId, nameOf };
}

/** This account's own name and user name, kept current by the `user` events of its other devices. */
export function useOwnProfile(): { displayName: string; username: string } {
  const client = useClient();
  const me = useLiveQuery(() => client.db.users.get(client.me), [client]);
  const user = me ?? client.session.user;
  return { displayName: user.displayName, username: user.username };
}

/** Asks the server once per id for profiles missing from `byId`; the live table shows them. */
export function useEnsureUsers(ids: readonly string[], byId: ReadonlyMap<string, StoredUser>): void {
  const client = useClient();
  const asked = useRef(new Set<string>());
  const missing = ids.filter((id) => !byId.has(id) && !asked.current.has(id));
  const wanted = [...new Set(missing)].sort().join(',');
  useEffect(() => {
    if (!wanted) return;
    const list = wanted.split(',');
    for (const id of list) asked.current.add(id);
    void client.ensureUsers(list).catch(() => {
      // Offline or refused: forget the ask so the next render (e.g. after reconnecting) retries.
      for (const id of list) asked.current.delete(id);
    });
  }, [client, wanted]);
}
