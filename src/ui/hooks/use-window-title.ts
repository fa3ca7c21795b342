/** The window's title carries the total unread (`(3) Tidings`), like every messenger's tab. */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import type { TidingsClient } from '../../sync/client';
import type { TidingsDb } from '../../store/db';
import { desktopApi } from '../../desktop/bridge';
import { unreadOf } from '../../sync/read-state';

export const APP_NAME = 'Tidings';

/** The total unread of every conversation that is not muted (the title, the app badge). */
export async function totalUnread(db: TidingsDb, me: string): Promise<number> {
  const conversations = (await db.conversations.toArray()).filter((c) => c.notify !== 'muted');
  const counts = await Promise.all(conversations.map((c) => unreadOf(db, c, me)));
  return counts.reduce((a, b) => a + b, 0);
}

export function useWindowTitle(client: TidingsClient): number {
  const total = useLiveQuery(() => totalUnread(client.db, client.me), [client]) ?? 0;
  useEffect(() => {
    document.title = total > 0 ? `(${total}) ${APP_NAME}` : APP_NAME;
    // The desktop app's badge, overlay and tray show the same total.
    desktopApi()?.setUnread(total);
    return () => {
      document.title = APP_NAME;
      desktopApi()?.setUnread(0);
    };
  }, [total]);
  return total;
}
