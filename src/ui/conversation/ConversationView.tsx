import { t } from '../../i18n';
import { Dexie } from 'dexie';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Virtuoso, type IndexLocationWithAlign, type VirtuosoHandle } from 'react-virtuoso';
import { DEFAULT_RECALL_WINDOW_S, quoteText } from '../../protocol';
import type { StoredMessage } from '../../store/db';
import { holds, rangeOf } from '../../store/ranges';
import { HISTORY_PAGE } from '../../sync/history';
import { unreadOf } from '../../sync/read-state';
import { useUi, type ReplyTarget } from '../../state/connection';
import { useClient } from '../client-context';
import { useMarkRead } from '../hooks/use-mark-read';
import { recallText, systemUserIds } from '../system-lines';
import { conversationTitle } from '../titles';
import { useEnsureUsers, useUsers } from '../use-users';
import { describeError } from '../words';
import { Composer } from './Composer';
import { toMentions } from './mentions';
import type { MentionCandidate } from './MentionPicker';
import { ConversationHeader } from './ConversationHeader';
import { lineOf, logItems, withDays, type LogItem } from './log-items';
import { DayLine, HoleRow, LogFooter, LogHeader, UnreadLine, type HeaderContext } from './LogParts';
import { deliveryState, MessageRow } from './MessageRow';
import { newestOnScreen } from './on-screen';
import { SystemLine } from './SystemLine';
import { TypingLine } from './TypingLine';
import { useReceipts } from './use-receipts';

/** How many messages the log shows at first; scrolling up lowers the floor a page at a time. */
const INITIAL_WINDOW = 60;
/** Virtuoso keeps scroll position on prepend when the first index counts down from here. */
const FIRST_INDEX_BASE = 1_000_000_000;
/**
 * Within this distance of the bottom the log counts as at the bottom and follows new messages
 * (a few pixels short of it after opening must not leave new messages out of sight).
 */
const AT_BOTTOM_PX = 120;
/** Pages loaded on the way down to a quoted message before loading just its own page. */
const JUMP_PAGES = 10;
/**
 * Messages loaded above the first unread one when a conversation opens there: more than the list
 * renders above the screen, so older pages do not load (and shift the rows) while it opens.
 */
const BEFORE_UNREAD = 25;
/** How far below the top of the log the `Unread messages` line is when a conversation opens. */
const UNREAD_LINE_PX = 72;
/**
 * How long the log must stay still before what is on it counts as seen: for a few frames after
 * opening (or a page loading) the list moves rows as it measures them, and a row flying past in
 * a fling has not been read.
 */
const STILL_MS = 250;
/** How long a message jumped to from a reply stays marked. */
const HIGHLIGHT_MS = 2_000;
/** How long a jump keeps scrolling to its message while the list lays out, and how often. */
const JUMP_SETTLE_MS = 4_000;
const JUMP_RETRY_MS = 100;
/** How long a smooth scroll may take before a jump looks whether it got there. */
const SMOOTH_SCROLL_MS = 700;

/**
 * Keeps the newest message in view as messages arrive while the log is at the bottom. One function
 * for the list's whole life: react-virtuoso takes a new one as a change of setting and then
 * scrolls to the bottom if rows have just grown, which threw a log opened at the unread line
 * down to the newest message.
 */
const followAtBottom = (bottom: boolean) => (bottom ? ('auto' as const) : false);

/**
 * Whether the row at this position of the list's data is inside the scroller's visible box: any
 * of it, or (`end`) its end, as at the bottom of the log.
 */
function onScreen(scroller: HTMLElement | null, index: number, part: 'any' | 'end' = 'any'): boolean {
  // react-virtuoso marks each row with its position in `data` (not shifted by firstItemIndex).
  const row = scroller?.querySelector(`[data-index="${index}"]`);
  if (!scroller || !row) return false;
  const box = scroller.getBoundingClientRect();
  const r = row.getBoundingClientRect();
  return part === 'end' ? r.bottom > box.top && r.bottom <= box.bottom + 2 : r.bottom > box.top && r.top < box.bottom;
}

/** The position in `data` of the lowest row inside the scroller's visible box, or -1. */
function lowestOnScreen(scroller: HTMLElement | null): number {
  if (!scroller) return -1;
  const box = scroller.getBoundingClientRect();
  let lowest = -1;
  for (const row of scroller.querySelectorAll<HTMLElement>('[data-index]')) {
    const r = row.getBoundingClientRect();
    if (r.bottom > box.top && r.top < box.bottom) lowest = Math.max(lowest, Number(row.dataset.index));
  }
  return lowest;
}

/** Everyone a message names: its sender, the people a system line is about, who recalled it, whom it quotes. */
const peopleIn = (m: StoredMessage) => [
  m.senderId,
  ...(m.system ? systemUserIds(m.system) : []),
  ...(m.recalledBy ? [m.recalledBy] : []),
  ...(m.replyTo ? [m.replyTo.senderId] : []),
  ...(m.mentions?.userIds ?? []),
];

export function ConversationView({ conversationId }: { conversationId: string }) {
  const client = useClient();
  const conv = useLiveQuery(() => client.db.conversations.get(conversationId), [client, conversationId]);
  const hello = useLiveQuery(() => client.hello(), [client]);
  const { byId, nameOf } = useUsers();
  const [floor, setFloor] = useState<number | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The newest line that has been on screen (its end inside the log), as of the last look. */
  const [newestSeen, setNewestSeen] = useState<number | null>(null);
  const replyTo = useUi((s) => s.replyTo[conversationId] ?? null);
  const setReplyTo = useCallback((target: ReplyTarget | null) => useUi.getState().setReplyTo(conversationId, target), [conversationId]);
  const [jumpTo, setJumpTo] = useState<number | null>(null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [atTop, setAtTop] = useState(false);
  /**
   * Whether the log follows new messages at the bottom: from the start when it opens there, else
   * once the newest message has been on screen. Until then the list must not scroll itself to the
   * bottom (it does on some changes of size whenever following is on at all).
   */
  const [following, setFollowing] = useState<boolean | null>(null);
  const unreadLive = useLiveQuery(async () => (conv ? unreadOf(client.db, conv, client.me) : undefined), [client, conv]);
  const unread = unreadLive ?? 0;
  // Where the unread messages began when the conversation was opened: the `Unread messages`
  // line stays there while it is open (reading does not make it jump), -1 when nothing was.
  const [unreadAfter, setUnreadAfter] = useState<number | null>(null);
  useEffect(() => {
    if (conv && unreadLive !== undefined && unreadAfter === null) setUnreadAfter(unreadLive > 0 ? conv.lastReadSeq : -1);
  }, [conv, unreadLive, unreadAfter]);
  // Only `Mark as unread` moves the read position back (here, or on another device of the
  // person's): the line moves above the message that is unread now, and stays while it is open.
  const readSeq = useRef<number | null>(null);
  useEffect(() => {
    if (!conv) return;
    const before = readSeq.current;
    readSeq.current = conv.lastReadSeq;
    if (before !== null && conv.lastReadSeq < before && unreadAfter !== null) setUnreadAfter(conv.lastReadSeq);
  }, [conv, unreadAfter]);
  const inFlight = useRef(new Set<string>());
  const scroller = useRef<HTMLElement | null>(null);
  const virtuoso = useRef<VirtuosoHandle>(null);
  /** The row the view holds still: its key, its position in the rows, and the first index then. */
  const anchor = useRef<{ key: string | null; at: number; firstIndex: number }>({ key: null, at: 0, firstIndex: FIRST_INDEX_BASE });
  /** Timers of a jump (a second scroll, the end of the highlight); cleared when the view closes. */
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);

  const messages = useLiveQuery(
    async () =>
      floor === null
        ? undefined
        : client.db.messages.where('[conversationId+order]').between([conversationId, floor], [conversationId, Dexie.maxKey]).toArray(),
    [client, conversationId, floor],
  );

  const items = useMemo(() => (conv && messages ? withDays(logItems(conv, messages)) : []), [conv, messages]);
  const firstUnreadKey = useMemo(() => {
    if (unreadAfter === null || unreadAfter < 0) return null;
    const first = items.find((i) => i.kind === 'message' && i.message.seq !== null && i.message.seq > unreadAfter && i.message.senderId !== client.me);
    return first?.key ?? null;
  }, [items, unreadAfter, client]);
  const { readersOf, readerIds } = useReceipts(client, conv);
  useEnsureUsers(useMemo(() => [...(messages ?? []).flatMap(peopleIn), ...readerIds], [messages, readerIds]), byId);
  const firstSeq = messages?.find((m) => m.seq !== null)?.seq ?? null;
  // A member who joined later reads from their join on: that is their beginning.
  const atBeginning = !!conv && (conv.lastSeq === 0 || (firstSeq !== null && firstSeq <= conv.firstSeq));

  // Rows that come or go above the lowest row on screen (older pages at the top, and a hole
  // filling anywhere above it: on reconnecting, or as its row is rendered just above the view)
  // move the first index by as many, so that row keeps its index and the view stays put.
  // Counting only rows prepended above the first row let a hole filling above the view push
  // what the person was reading away, page after page.
  if (anchor.current.key === null && items.length > 0) {
    anchor.current = { key: items[items.length - 1]?.key ?? null, at: items.length - 1, firstIndex: FIRST_INDEX_BASE };
  }
  const anchorAt = anchor.current.key === null ? -1 : items.findIndex((i) => i.key === anchor.current.key);
  if (anchorAt >= 0 && anchorAt !== anchor.current.at) {
    anchor.current = { key: anchor.current.key, at: anchorAt, firstIndex: anchor.current.firstIndex - (anchorAt - anchor.current.at) };
  }
  const firstItemIndex = anchor.current.firstIndex;
  const rows = useRef(items);
  rows.current = items;
  /** After any scroll (the person's, or the list keeping its place): the lowest row on screen. */
  const noteAnchor = useCallback(() => {
    const at = lowestOnScreen(scroller.current);
    const item = rows.current[at];
    if (item) anchor.current = { key: item.key, at, firstIndex: anchor.current.firstIndex };
  }, []);

  const { holdUnread, release } = useMarkRead(client, conv, newestSeen);

  /** Runs one network load at a time per key, and shows its failure in words. */
  const once = useCallback(async (key: string, load: () => Promise<void>) => {
    if (inFlight.current.has(key)) return;
    inFlight.current.add(key);
    try {
      await load();
      setError(null);
    } catch (err) {
      setError(t('conversation.loadFailed', { reason: describeError(err) }));
    } finally {
      inFlight.current.delete(key);
    }
  }, []);

  /**
   * Loads what lies between the newest messages and `seq` a page at a time from the newest held
   * down (from the head when the newest are not held), so no hole opens between it and what is
   * shown; further back than that, only the page below `ownPage` (the hole above it fills as it
   * comes into view). Search's `open at this message` and opening at the first unread share it.
   */
  const loadDownTo = useCallback(
    async (seq: number, ownPage: number) => {
      if (!conv) return;
      const newest = conv.ranges.at(-1);
      let lowest = newest && newest[1] >= conv.lastSeq ? newest[0] : conv.lastSeq + 1;
      for (let page = 0; page < JUMP_PAGES && lowest > seq; page++) lowest = await client.loadPage(conversationId, lowest);
      if (lowest > seq) await client.loadPage(conversationId, ownPage);
    },
    [client, conv, conversationId],
  );

  // The first rows shown: the newest messages, or, when some are unread, from just above the
  // first unread one (loaded first if this device does not hold it), where the log opens.
  const opening = useRef(false);
  useEffect(() => {
    if (!conv || floor !== null || unreadAfter === null || opening.current) return;
    const top = conv.ranges.at(-1)?.[1] ?? conv.lastSeq;
    const latest = Math.max(1, top - INITIAL_WINDOW);
    if (unreadAfter < 0) {
      setFloor(latest);
      return;
    }
    const first = Math.max(conv.firstSeq, unreadAfter + 1);
    const from = Math.max(1, conv.firstSeq, first - BEFORE_UNREAD);
    const show = () => setFloor(Math.min(latest, from));
    if (holds(conv.ranges, first) || !client.transport.connected) {
      show();
      return;
    }
    opening.current = true;
    void once(`open:${first}`, () => loadDownTo(from, from + HISTORY_PAGE)).finally(show);
  }, [client, conv, floor, unreadAfter, once, loadDownTo]);

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

  // Still at the top once a page has loaded (or a load was skipped while another ran): go on.
  useEffect(() => {
    if (atTop && !loadingOlder) loadOlder();
  }, [atTop, loadingOlder, firstSeq, loadOlder]);

  const fillHole = useCallback(
    (to: number) => {
      void once(`hole:${to}`, async () => {
        const from = await client.loadPage(conversationId, to + 1);
        setFloor((f) => Math.min(f ?? from, from));
      });
    },
    [client, conversationId, once],
  );

  /** Shows the message at `seq` (a reply's original), loading its page first if not held here. */
  const jump = useCallback(
    (seq: number) => {
      if (!conv) return;
      setJumpTo(seq);
      const lower = (to: number) => setFloor((f) => Math.min(f ?? to, to));
      if (holds(conv.ranges, seq)) {
        lower(Math.max(conv.firstSeq, seq - 5));
        return;
      }
      setLoadingOlder(true);
      void once(`jump:${seq}`, async () => {
        try {
          await loadDownTo(seq, seq + 1);
        } catch (err) {
          // Nothing to settle on: reading what is on screen goes on.
          setJumpTo(null);
          throw err;
        }
        lower(Math.max(conv.firstSeq, seq - 5));
      }).finally(() => setLoadingOlder(false));
    },
    [conv, once, loadDownTo],
  );

  // Opened at a message from elsewhere (a search result): show it once the log is there.
  const pendingJump = useUi((s) => (s.pendingJump?.conversationId === conversationId ? s.pendingJump.seq : null));
  useEffect(() => {
    if (pendingJump === null || !conv || floor === null) return;
    useUi.getState().clearJump();
    jump(pendingJump);
  }, [pendingJump, conv, floor, jump]);

  // The latest rows, for the jump's later tries.
  const latest = useRef(items);
  latest.current = items;
  /** A jump still settling: the row it shows, until when it keeps trying. */
  const settling = useRef<{ key: string; until: number } | null>(null);
  const stopSettling = useCallback(() => {
    settling.current = null;
  }, []);
  /** A jump on its way (a search result, a quote): the log is not where the person reads yet. */
  const jumping = useRef(false);
  jumping.current = pendingJump !== null || jumpTo !== null;

  /**
   * Looks at what is on screen, once per frame at most: the newest line whose end is inside the
   * log is what the person has seen, once the log has stayed still. Not while a jump moves the
   * log to where they asked.
   */
  const frame = useRef<number | null>(null);
  const still = useRef<{ at: string; since: number } | null>(null);
  const lookAgain = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lookAtScreen = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const el = scroller.current;
      if (!el || settling.current !== null || jumping.current) return;
      const box = el.getBoundingClientRect();
      const rows = [...el.querySelectorAll<HTMLElement>('[data-index]')].map((row) => {
        const r = row.getBoundingClientRect();
        return { seq: lineOf(latest.current[Number(row.dataset.index)])?.seq ?? null, top: r.top, bottom: r.bottom };
      });
      const newest = newestOnScreen(box, rows);
      // The end of the log on screen is read whatever the list still moves above it: no wait
      // (a person glancing at a new message and leaving has read it).
      const end = lineOf(latest.current.findLast((i) => lineOf(i)?.seq != null))?.seq ?? null;
      const at = `${el.scrollTop}:${el.scrollHeight}:${el.clientHeight}`;
      const now = performance.now();
      if (still.current?.at !== at) still.current = { at, since: now };
      const wait = still.current.since + STILL_MS - now;
      if (wait > 0 && !(newest !== null && newest === end)) {
        lookAgain.current ??= setTimeout(() => {
          lookAgain.current = null;
          lookAtScreen();
        }, wait);
        return;
      }
      setNewestSeen(newest);
    });
  }, []);
  useEffect(() => () => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    if (lookAgain.current !== null) clearTimeout(lookAgain.current);
  }, []);
  // New rows (a message arriving, a page loaded) change what is on screen without a scroll.
  useEffect(lookAtScreen, [items, jumpTo, lookAtScreen]);

  /**
   * Scrolls to a row and keeps at it until the row is on screen (`center`), or its end is (`end`,
   * the newest message), for a bounded time, unless the person scrolls themselves. The list lays
   * rows out after a render (pages may have been prepended in it, a conversation just opened first
   * settles, rows not yet measured are guessed), so a single scroll can fall short.
   */
  const settle = useCallback(
    (key: string, align: 'center' | 'end', behavior: 'auto' | 'smooth' = 'auto') => {
      settling.current = { key, until: Date.now() + JUMP_SETTLE_MS };
      let first = true;
      const tryScroll = () => {
        if (settling.current?.key !== key) return;
        const index = latest.current.findIndex((i) => i.key === key);
        if ((index >= 0 && onScreen(scroller.current, index, align === 'end' ? 'end' : 'any')) || Date.now() > settling.current.until) {
          settling.current = null;
          lookAtScreen();
          return;
        }
        if (index >= 0) virtuoso.current?.scrollToIndex({ index, align, behavior: first ? behavior : 'auto' });
        timers.current.push(setTimeout(tryScroll, first && behavior === 'smooth' ? SMOOTH_SCROLL_MS : JUMP_RETRY_MS));
        first = false;
      };
      tryScroll();
    },
    [lookAtScreen],
  );

  useEffect(() => {
    if (jumpTo === null) return;
    const target = items.find((i) => lineOf(i)?.seq === jumpTo);
    if (!target) return;
    const seq = jumpTo;
    settle(target.key, 'center');
    timers.current.push(setTimeout(() => setHighlight((h) => (h === seq ? null : h)), HIGHLIGHT_MS));
    setHighlight(seq);
    setJumpTo(null);
  }, [jumpTo, items, settle]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);

  const group = conv?.kind === 'group';
  const moderator = group && conv?.leftSeq === null && (conv.role === 'owner' || conv.role === 'admin');
  const onSend = useCallback(
    (text: string, picked: ReadonlyMap<string, string>) => {
      release();
      const quoted = replyTo?.seq;
      setReplyTo(null);
      // Names chosen in the picker, else any person this device knows by that user name (the
      // server keeps only current members).
      const byName = new Map([...byId.values()].map((u) => [u.username, u.id]));
      const mentions = group ? toMentions(text, (n) => picked.get(n) ?? byName.get(n), moderator) : undefined;
      client.send(conversationId, text, undefined, { replyToSeq: quoted, mentions }).then(
        () => virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' }),
        (err: unknown) => setError(describeError(err)),
      );
    },
    [client, conversationId, replyTo, setReplyTo, release, byId, group, moderator],
  );
  const suggest = useMemo(
    () =>
      group
        ? async (query: string): Promise<MentionCandidate[]> => {
            if (!client.transport.connected) return [];
            const r = await client.transport.request({ type: 'members', conversationId, limit: 8, ...(query ? { query } : {}) });
            return r.members.filter((m) => m.user.id !== client.me).map((m) => m.user);
          }
        : undefined,
    [client, conversationId, group],
  );
  const onDraft = useCallback((text: string) => void client.reads.saveDraft(conversationId, text).catch(() => {}), [client, conversationId]);
  const onTyped = useCallback(() => client.typed(conversationId), [client, conversationId]);

  const handlers = useMemo(
    () => ({
      onRetry: (key: string) => void client.outbox.retry(key),
      onDiscard: (key: string) => void client.outbox.discard(key),
      onRecall: (seq: number) => client.recall(conversationId, seq),
      onMarkUnread: async (seq: number) => {
        holdUnread();
        try {
          await client.reads.markUnread(conversationId, seq);
        } catch (err) {
          // Not done (offline, refused): reading goes on as before; the menu says why.
          release();
          throw err;
        }
      },
      onReply: (m: StoredMessage) => {
        if (m.seq === null) return;
        setReplyTo({ seq: m.seq, senderName: m.senderId === client.me ? t('message.you') : nameOf(m.senderId), text: quoteText(m.text) });
      },
      onJump: jump,
    }),
    [client, conversationId, holdUnread, release, nameOf, jump, setReplyTo],
  );

  // Where the log opens, decided once with the first rows: at the `Unread messages` line, near
  // the top with what came before it just above (the list cannot scroll past its end, so when
  // the unread fit on screen it opens at the bottom anyway), else at the newest message.
  const startAt = useRef<IndexLocationWithAlign | null>(null);
  const startsAtEnd = useRef(false);
  if (startAt.current === null && messages) {
    const at = firstUnreadKey === null || pendingJump !== null ? -1 : items.findIndex((i) => i.key === firstUnreadKey);
    startAt.current = at >= 0 ? { index: at, align: 'start', offset: -UNREAD_LINE_PX } : { index: 'LAST', align: 'end' };
    startsAtEnd.current = at < 0;
  }
  const newestHere = useMemo(() => items.findLast((i) => lineOf(i)?.seq != null), [items]);
  const newestHereSeq = lineOf(newestHere)?.seq ?? null;
  useEffect(() => {
    if (following || !startAt.current) return;
    if (startsAtEnd.current || (newestSeen !== null && newestHereSeq !== null && newestSeen >= newestHereSeq)) setFollowing(true);
  }, [following, newestSeen, newestHereSeq]);

  if (!conv) return null;
  const title = conversationTitle(conv, client.me, byId);
  const context: HeaderContext = { loading: loadingOlder, atBeginning, error };
  const peer = group ? null : { deliveredSeq: conv.peerDeliveredSeq, readSeq: conv.peerReadSeq };
  const recallWindowMs = hello?.recallWindowMs ?? DEFAULT_RECALL_WINDOW_S * 1000;
  const clockOffsetMs = hello?.clockOffsetMs ?? 0;

  const renderItem = (_index: number, item: LogItem) => {
    if (item.kind === 'hole') return <HoleRow to={item.to} fill={fillHole} />;
    const day = item.day !== undefined && <DayLine at={item.day} />;
    if (item.kind === 'system') {
      return (
        <>
          {day}
          <SystemLine message={item.message} me={client.me} nameOf={nameOf} />
        </>
      );
    }
    const m = item.message;
    const mine = m.senderId === client.me;
    const recalled = m.recalledBy !== null;
    return (
      <>
        {day}
        {item.key === firstUnreadKey && <UnreadLine />}
        <MessageRow
          message={m}
          mine={mine}
          me={client.me}
          nameOf={nameOf}
          state={mine && !recalled ? deliveryState(m, peer) : null}
          readers={mine && !recalled ? readersOf(m.seq) : null}
          senderName={group && !mine && !recalled && item.first ? nameOf(m.senderId) : null}
          recalledText={m.recalledBy !== null ? recallText(m.recalledBy, client.me, nameOf) : null}
          highlighted={m.seq !== null && m.seq === highlight}
          mentioned={
            m.mentions
              ? {
                  names: new Set(m.mentions.userIds.flatMap((id) => byId.get(id)?.username ?? [])),
                  all: m.mentions.all,
                  // One's own @all is not news to oneself.
                  me: !mine && (m.mentions.all || m.mentions.userIds.includes(client.me)),
                }
              : null
          }
          moderator={moderator}
          recallWindowMs={recallWindowMs}
          clockOffsetMs={clockOffsetMs}
          handlers={handlers}
        />
      </>
    );
  };

  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <ConversationHeader conv={conv} title={title} />
      <div role="log" aria-label={t('conversation.log')} className="log">
        {!messages && unreadAfter !== null && unreadAfter >= 0 && (
          <div role="status" className="log-note">
            {t('conversation.loadingHole')}
          </div>
        )}
        {messages && (
          <Virtuoso<LogItem, HeaderContext>
            ref={virtuoso}
            data={items}
            context={context}
            firstItemIndex={firstItemIndex}
            initialTopMostItemIndex={startAt.current ?? { index: 'LAST', align: 'end' }}
            computeItemKey={(_i, item) => item.key}
            itemContent={renderItem}
            components={{ Header: LogHeader, Footer: LogFooter }}
            startReached={loadOlder}
            rangeChanged={lookAtScreen}
            followOutput={following ? followAtBottom : false}
            atBottomStateChange={setAtBottom}
            atTopStateChange={setAtTop}
            atBottomThreshold={AT_BOTTOM_PX}
            alignToBottom
            increaseViewportBy={{ top: 400, bottom: 200 }}
            scrollerRef={(el) => {
              scroller.current = el instanceof HTMLElement ? el : null;
              // A person scrolling takes over from a jump still settling (the same listener is added once).
              scroller.current?.addEventListener('wheel', stopSettling, { passive: true });
              scroller.current?.addEventListener('touchstart', stopSettling, { passive: true });
              scroller.current?.addEventListener('scroll', noteAnchor, { passive: true });
              scroller.current?.addEventListener('scroll', lookAtScreen, { passive: true });
            }}
          />
        )}
      </div>
      {/* Under the log, beside who is typing, never over a message: the log gives up the room
          while the button shows (a row moves up rather than go under it). */}
      <div className="log-foot">
        <TypingLine conversationId={conversationId} nameOf={nameOf} />
        {!atBottom && (
          <button
            type="button"
            className="to-latest"
            aria-label={unread > 0 ? t('conversation.jumpToLatestUnread', { count: unread }) : t('conversation.jumpToLatest')}
            onClick={() => {
              const newest = latest.current.at(-1);
              if (newest) settle(newest.key, 'end', 'smooth');
            }}
          >
            <span aria-hidden="true">↓</span>
            {unread > 0 && <span className="badge" aria-hidden="true">{unread}</span>}
          </button>
        )}
      </div>
      {conv.leftSeq === null ? (
        <Composer
          key={conversationId}
          draft={conv.draft}
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          onSend={onSend}
          onDraft={onDraft}
          onTyped={onTyped}
          {...(suggest ? { suggest, canMentionAll: moderator } : {})}
        />
      ) : (
        <p className="no-longer-member">{t('conversation.noLongerMember')}</p>
      )}
    </section>
  );
}
