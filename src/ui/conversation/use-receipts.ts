/**
 * Read receipts of a group below the inbox threshold, for `Read by N`: loaded when the group is
 * opened (and on reconnect), kept current by `receipt` events. Bigger groups have none.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo } from 'react';
import { useUi } from '../../state/connection';
import type { StoredConversation, StoredReceipt } from '../../store/db';
import type { TidingsClient } from '../../sync/client';
import { loadsReceipts, shownReceipts } from '../../sync/read-state';

const NONE: readonly StoredReceipt[] = [];

export function useReceipts(client: TidingsClient, conv: StoredConversation | undefined) {
  const id = conv?.id;
  const wanted = conv?.kind === 'group' && conv.inboxFanout;
  const load = loadsReceipts(conv);
  const connection = useUi((s) => s.connection);
  useEffect(() => {
    if (id && load && connection === 'connected') void client.reads.loadReceipts(id).catch(() => {});
  }, [client, id, load, connection]);
  const receipts = useLiveQuery(() => shownReceipts(client.db, conv), [client, id, wanted]);

  /** Who (besides the sender) has read the message at `seq`; null where there are no receipts. */
  const readersOf = useCallback(
    (seq: number | null): string[] | null => {
      if (!wanted || seq === null) return null;
      return (receipts ?? NONE).filter((r) => r.userId !== client.me && r.firstSeq <= seq && r.seq >= seq).map((r) => r.userId);
    },
    [client, receipts, wanted],
  );
  const readerIds = useMemo(() => (receipts ?? NONE).map((r) => r.userId), [receipts]);
  return { readersOf, readerIds };
}
