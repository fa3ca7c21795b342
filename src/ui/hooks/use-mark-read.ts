/**
 * Marks the open conversation read up to the newest message that has been on screen, while the
 * window has the person's attention; the position moves a couple of times a second at most while
 * they scroll (the store and the server hear of the latest), and at once when the view closes.
 * After `Mark as unread` it leaves the position alone until the conversation is opened again (or
 * the person sends), so the choice sticks; and a device that has the conversation open does not
 * undo a `Mark as unread` made on another device: it marks read again only when something newer
 * than what it already marked comes into view.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StoredConversation } from '../../store/db';
import type { TidingsClient } from '../../sync/client';
import { Throttle } from './throttle';
import { useAttention } from './use-attention';

/** How often, at most, reading while scrolling moves the stored read position. */
const READ_INTERVAL_MS = 400;

export function useMarkRead(client: TidingsClient, conv: StoredConversation | undefined, newestSeen: number | null) {
  const attention = useAttention();
  const [held, setHeld] = useState(false);
  /**
   * The highest seq this view has marked read, or has seen read: a read position known here is
   * not news to read again when it later drops (a `Mark as unread` on another device).
   */
  const markedHere = useRef(0);
  const id = conv?.id;
  const lastReadSeq = conv?.lastReadSeq ?? 0;
  if (lastReadSeq > markedHere.current) markedHere.current = lastReadSeq;
  const reads = useMemo(
    () =>
      id === undefined
        ? null
        : new Throttle<number>((seq) => {
            void client.reads.markRead(id, seq).catch(() => {
              // Offline or refused: the read stays stored and is reported on reconnect.
            });
          }, READ_INTERVAL_MS),
    [client, id],
  );
  // Leaving the conversation: what was seen is read now, not at the end of an interval.
  useEffect(() => () => reads?.flush(), [reads]);
  useEffect(() => {
    if (!attention) reads?.flush();
  }, [attention, reads]);

  useEffect(() => {
    if (!reads || held || !attention || newestSeen === null) return;
    if (newestSeen <= lastReadSeq || newestSeen <= markedHere.current) return;
    markedHere.current = newestSeen;
    reads.push(newestSeen);
  }, [reads, held, attention, newestSeen, lastReadSeq]);

  const holdUnread = useCallback(() => {
    // A read still waiting for its interval must not land after the `Mark as unread`.
    reads?.cancel();
    setHeld(true);
  }, [reads]);
  // Sending, or a `Mark as unread` that did not happen: reading goes on from what is on screen.
  const release = useCallback(() => {
    markedHere.current = 0;
    setHeld(false);
  }, []);
  return { holdUnread, release };
}
