/**
 * The results of a local search (`Search results`), what the search covered (`Searched N
 * messages on this device since D.`), and, when this device lacks older history, the offer
 * to download it.
 */
import { useMemo } from 'react';
import { highlightParts } from '../../search/highlight';
import type { SearchResult } from '../../search/search';
import type { StoredConversation, StoredMessage, StoredUser } from '../../store/db';
import { useClient } from '../client-context';
import { conversationTitle } from '../titles';
import { useEnsureUsers, useUsers } from '../use-users';
import { DownloadOlder } from './DownloadOlder';
import { useSearchScope } from './use-search';

const countFmt = new Intl.NumberFormat();
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const yearDayFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const sinceFmt = new Intl.DateTimeFormat(undefined, { month: 'long', day: 'numeric' });
const sinceYearFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

const sameYear = (a: Date, b: Date) => a.getFullYear() === b.getFullYear();

/** A result's time: today's clock time, else the date (with the year when not this one). */
function hitTime(ms: number, now = new Date()): string {
  const d = new Date(ms);
  if (d.toDateString() === now.toDateString()) return timeFmt.format(d);
  return sameYear(d, now) ? dayFmt.format(d) : yearDayFmt.format(d);
}

/** "Searched 12,340 messages on this device since March 3." */
export function coverageText(count: number, since: number | null, now = new Date()): string {
  const what = `Searched ${countFmt.format(count)} ${count === 1 ? 'message' : 'messages'} on this device`;
  if (since === null) return `${what}.`;
  const d = new Date(since);
  return `${what} since ${(sameYear(d, now) ? sinceFmt : sinceYearFmt).format(d)}.`;
}

function Highlighted({ text, query }: { text: string; query: string }) {
  const parts = useMemo(() => highlightParts(text, query), [text, query]);
  return (
    <>
      {parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

function Hit(props: {
  m: StoredMessage;
  query: string;
  conversation: StoredConversation | undefined;
  byId: ReadonlyMap<string, StoredUser>;
  sender: string;
  chosen: boolean;
  onChoose: (m: StoredMessage) => void;
}) {
  const client = useClient();
  const { m, conversation } = props;
  const title = conversation ? conversationTitle(conversation, client.me, props.byId) : 'Conversation';
  const at = m.serverTime ?? m.createdAt;
  return (
    <li className="search-hit">
      <button type="button" onClick={() => props.onChoose(m)} aria-current={props.chosen ? 'true' : undefined}>
        <span className="hit-head">
          <bdi className="hit-title">{title}</bdi>
          <time dateTime={new Date(at).toISOString()} title={fullFmt.format(at)}>
            {hitTime(at)}
          </time>
        </span>
        <bdi className="hit-sender">{props.sender}</bdi>
        <bdi className="hit-text">
          <Highlighted text={m.text} query={props.query} />
        </bdi>
      </button>
    </li>
  );
}

export function SearchResults(props: { result: SearchResult | undefined; chosen: string | null; onChoose: (m: StoredMessage) => void }) {
  const client = useClient();
  const scope = useSearchScope();
  const { byId, nameOf } = useUsers();
  const { result } = props;
  const senders = useMemo(() => (result?.messages ?? []).map((m) => m.senderId), [result]);
  useEnsureUsers(senders, byId);

  if (!result) return <p className="search-note">Searching…</p>;
  const found = result.messages.length;
  return (
    <>
      {found === 0 ? (
        <p role="status" className="search-empty">
          No messages found
        </p>
      ) : (
        <>
          <p role="status" className="visually-hidden">
            {result.more ? `More than ${found} messages found` : `${found} ${found === 1 ? 'message' : 'messages'} found`}
          </p>
          <ul aria-label="Search results" className="search-results">
            {result.messages.map((m) => (
              <Hit
                key={m.key}
                m={m}
                query={result.query}
                conversation={scope?.conversations.get(m.conversationId)}
                byId={byId}
                sender={m.senderId === client.me ? 'You' : nameOf(m.senderId)}
                chosen={props.chosen === m.key}
                onChoose={props.onChoose}
              />
            ))}
          </ul>
        </>
      )}
      {scope && (
        <p className="search-coverage">
          {coverageText(scope.count, scope.since)}
          {result.more && ` Showing the newest ${found}.`}
          {scope.indexing && ` Still preparing older messages for search (${Math.floor((100 * scope.indexing.done) / Math.max(1, scope.indexing.total))} %); some may not be found yet.`}
        </p>
      )}
      {scope && scope.lacking > 0 && <DownloadOlder lacking={scope.lacking} />}
    </>
  );
}
