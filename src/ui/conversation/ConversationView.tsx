import { Dexie } from 'dexie';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { useUi } from '../../state/connection';
import type { StoredMessage } from '../../store/db';
import { holds, rangeOf } from '../../store/ranges';
import { HISTORY_PAGE } from '../../sync/history';
import { useClient } from '../client-context';
import { recallText, systemUserIds } from '../system-lines';
import { conversationTitle } from '../titles';
import { useEnsureUsers, useUsers } from '../use-users';
import { describeError } from '../words';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { logItems, type LogItem } from './log-items';
import { deliveryState, MessageRow } from './MessageRow';
import { SystemLine } from './SystemLine';

/** How many messages the log shows at first; scrolling up lowers the floor a page at a time. */
const INITIAL_WINDOW = 60;
/** Virtuoso keeps scroll position on prepend when the first index counts down from here. */
const FIRST_INDEX_BASE = 1_000_000_000;

interface HeaderContext {
  loading: boolean;
  atBeginning: boolean;
  error: string | null;
}

function LogHeader({ context }: { context?: HeaderContext }) {
  if (context?.loading) {
    return (
      <div role="status" className="log-note">
        Loading older messages…
      </div>
    );
  }
  if (context?.error) return <div className="log-note error">{context.error}</div>;
  if (context?.atBeginning) return <div className="log-note">Beginning of conversation</div>;
  return <div className="log-note" />;
}

/** Asks for the hole's newest page when shown, again as it shrinks, and after reconnecting. */
/** Breathing room between the newest message and the input. */
function LogFooter() {
  return <div className="log-end" aria-hidden="true" />;
}

function HoleRow({ to, fill }: { to: number; fill: (to: number) => void }) {
  const connection = useUi((s) => s.connection);
  useEffect(() => {
    if (connection === 'connected') fill(to);
  }, [to, fill, connection]);
  return (
    <div role="status" className="log-note hole">
      Loading messages…
    </div>
  );
}

/** Everyone a message names: its sender, the people a system line is about, who recalled it. */
const peopleIn = (m: StoredMessage) => [
  m.senderId,
  ...(m.system ? systemUserIds(m.system) : []),
  ...(m.recalledBy ? [m.recalledBy] : []),
];

export function ConversationView({ conversationId }: { conversationId: string }) {
  const client = useClient();
  const conv = useLiveQuery(() => client.db.conversations.get(conversationId), [client, conversationId]);
  const { byId, nameOf } = useUsers();
  const [floor, setFloor] = useState<number | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(new Set<string>());
  const virtuoso = useRef<VirtuosoHandle>(null);
  const anchor = useRef<string | null>(null);

  useEffect(() => {
    if (conv && floor === null) {
      const top = conv.ranges.at(-1)?.[1] ?? conv.lastSeq;
      setFloor(Math.max(1, top - INITIAL_WINDOW));
    }
  }, [conv, floor]);

  const messages = useLiveQuery(
    async () =>
      floor === null
        ? undefined
        : client.db.messages.where('[conversationId+order]').between([conversationId, floor], [conversationId, Dexie.maxKey]).toArray(),
    [client, conversationId, floor],
  );

  const items = useMemo(() => (conv && messages ? logItems(conv, messages) : []), [conv, messages]);
  useEnsureUsers(useMemo(() => (messages ?? []).flatMap(peopleIn), [messages]), byId);
  const firstSeq = messages?.find((m) => m.seq !== null)?.seq ?? null;
  // A member who joined later reads from their join on: that is their beginning.
  const atBeginning = !!conv && (conv.lastSeq === 0 || (firstSeq !== null && firstSeq <= conv.firstSeq));

  /** Runs one network load at a time per key, and shows its failure in words. */
  const once = useCallback(async (key: string, load: () => Promise<void>) => {
    if (inFlight.current.has(key)) return;
    inFlight.current.add(key);
    try {
      await load();
      setError(null);
    } catch (err) {
      setError(`Could not load messages: ${describeError(err)}`);
    } finally {
      inFlight.current.delete(key);
    }
  }, []);

  const loadOlder = useCallback(() => {
    if (!conv || floor === null || atBeginning || firstSeq === null) return;
    const below = firstSeq - 1;
    if (holds(conv.ranges, below)) {
      // Held on this device already: show it without asking the server.
      const range = rangeOf(conv.ranges, below);
      setFloor(Math.max(range?.[0] ?? 1, firstSeq - HISTORY_PAGE));
      return;
    }
    setLoadingOlder(true);
    void once(`before:${firstSeq}`, async () => {
      const from = await client.loadPage(conversationId, firstSeq);
      setFloor((f) => Math.min(f ?? from, from));
    }).finally(() => setLoadingOlder(false));
  }, [client, conv, conversationId, floor, atBeginning, firstSeq, once]);

  const fillHole = useCallback(
    (to: number) => {
      void once(`hole:${to}`, async () => {
        const from = await client.loadPage(conversationId, to + 1);
        setFloor((f) => Math.min(f ?? from, from));
      });
    },
    [client, conversationId, once],
  );

  const onSend = useCallback(
    (text: string) => {
      void client.send(conversationId, text).then(() => virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' }));
    },
    [client, conversationId],
  );

  const onRetry = useCallback((key: string) => void client.outbox.retry(key), [client]);
  const onRecall = useCallback((seq: number) => client.recall(conversationId, seq), [client, conversationId]);

  if (!conv) return null;
  const title = conversationTitle(conv, client.me, byId);

  // Rows prepended above the first row ever shown move the first index down, so the view stays put.
  if (anchor.current === null || !items.some((i) => i.key === anchor.current)) anchor.current = items[0]?.key ?? null;
  const prepended = Math.max(0, items.findIndex((i) => i.key === anchor.current));
  const context: HeaderContext = { loading: loadingOlder, atBeginning, error };

  const group = conv.kind === 'group';
  const moderator = group && conv.leftSeq === null && (conv.role === 'owner' || conv.role === 'admin');
  const renderItem = (_index: number, item: LogItem) => {
    if (item.kind === 'hole') return <HoleRow to={item.to} fill={fillHole} />;
    if (item.kind === 'system') return <SystemLine message={item.message} me={client.me} nameOf={nameOf} />;
    const mine = item.message.senderId === client.me;
    const recalled = item.message.recalledBy !== null;
    return (
      <MessageRow
        message={item.message}
        mine={mine}
        state={mine && !recalled ? deliveryState(item.message, conv.peerDeliveredSeq) : null}
        senderName={group && !mine && !recalled && item.first ? nameOf(item.message.senderId) : null}
        onRetry={onRetry}
        recalledText={item.message.recalledBy !== null ? recallText(item.message.recalledBy, client.me, nameOf) : null}
        moderator={moderator}
        onRecall={onRecall}
      />
    );
  };

  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <ConversationHeader conv={conv} title={title} />
      <div role="log" aria-label="Messages" className="log">
        {messages && (
          <Virtuoso<LogItem, HeaderContext>
            ref={virtuoso}
            data={items}
            context={context}
            firstItemIndex={FIRST_INDEX_BASE - prepended}
            initialTopMostItemIndex={{ index: 'LAST', align: 'end' }}
            computeItemKey={(_i, item) => item.key}
            itemContent={renderItem}
            components={{ Header: LogHeader, Footer: LogFooter }}
            startReached={loadOlder}
            followOutput={(atBottom) => (atBottom ? 'auto' : false)}
            alignToBottom
            increaseViewportBy={{ top: 400, bottom: 200 }}
          />
        )}
      </div>
      {conv.leftSeq === null ? (
        <Composer onSend={onSend} />
      ) : (
        <p className="no-longer-member">You are no longer a member of this group.</p>
      )}
    </section>
  );
}
