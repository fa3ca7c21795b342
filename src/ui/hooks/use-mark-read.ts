/**
 * Marks the open conversation read up to the newest message on screen, while the window has
 * the person's attention. After `Mark as unread` it leaves the position alone until the
 * conversation is opened again (or the person sends), so the choice sticks; and a device that
 * has the conversation open does not undo a `Mark as unread` made on another device: it marks
 * read again only when something newer than what it already marked comes into view.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoredConversation } from '../../store/db';
import type { TidingsClient } from '../../sync/client';
import { useAttention } from './use-attention';

export function useMarkRead(client: TidingsClient, conv: StoredConversation | undefined, newestSeen: number | null) {
  const attention = useAttention();
  const [held, setHeld] = useState(false);
  /** The highest seq this view has marked read. */
  const markedHere = useRef(0);
  const id = conv?.id;
  const lastReadSeq = conv?.lastReadSeq ?? 0;

  useEffect(() => {
    if (!id || held || !attention || newestSeen === null) return;
    if (newestSeen <= lastReadSeq || newestSeen <= markedHere.current) return;
    markedHere.current = newestSeen;
    void client.reads.markRead(id, newestSeen).catch(() => {
      // Offline or refused: the read stays stored and is reported on reconnect.
    });
  }, [client, id, held, attention, newestSeen, lastReadSeq]);

  const holdUnread = useCallback(() => setHeld(true), []);
  const release = useCallback(() => setHeld(false), []);
  return { holdUnread, release };
}
