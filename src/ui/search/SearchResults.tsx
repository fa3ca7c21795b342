/**
 * The results of a local search (`Search results`), what the search covered (`Searched N
 * messages on this device since D.`), and, when this device lacks older history, the offer
 * to download it.
 */
import { useMemo } from 'react';
import { t } from '../../i18n';
import { highlightParts } from '../../search/highlight';
import type { SearchResult } from '../../search/search';
import type { StoredConversation, StoredMessage, StoredUser } from '../../store/db';
import { useClient } from '../client-context';
import { conversationTitle } from '../titles';
import { useEnsureUsers, useUsers } from '../use-users';
import { DownloadOlder } from './DownloadOlder';
import { coverageText, hitFullTime, hitTime } from './search-dates';
import { useSearchScope } from './use-search';

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
  const title = conversation ? conversationTitle(conversation, client.me, props.byId) : t('search.conversation');
  const at = m.serverTime ?? m.createdAt;
  return (
    <li className="search-hit">
      <button type="button" onClick={() => props.onChoose(m)} aria-current={props.chosen ? 'true' : undefined}>
        <span className="hit-head">
          <bdi className="hit-title">{title}</bdi>
          <time dateTime={new Date(at).toISOString()} title={hitFullTime(at)}>
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

  if (!result) return <p className="search-note">{t('search.searching')}</p>;
  const found = result.messages.length;
  return (
    <>
      {found === 0 ? (
        <p role="status" className="search-empty">
          {t('search.none')}
        </p>
      ) : (
        <>
          <p role="status" className="search-count">
            {result.more ? t('search.foundMore', { count: found }) : t('search.found', { count: found })}
          </p>
          <ul aria-label={t('search.results')} className="search-results">
            {result.messages.map((m) => (
              <Hit
                key={m.key}
                m={m}
                query={result.query}
                conversation={scope?.conversations.get(m.conversationId)}
                byId={byId}
                sender={m.senderId === client.me ? t('message.you') : nameOf(m.senderId)}
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
          {result.more && ` ${t('search.newest', { count: found })}`}
          {scope.indexing && ` ${t('search.indexing', { percent: Math.floor((100 * scope.indexing.done) / Math.max(1, scope.indexing.total)) })}`}
        </p>
      )}
      {scope && scope.lacking > 0 && <DownloadOlder lacking={scope.lacking} />}
    </>
  );
}
