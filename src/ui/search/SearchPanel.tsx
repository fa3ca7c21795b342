/**
 * `Search messages` in the sidebar: searches what is stored on this device as the person
 * types (debounced), and while a query is there the results take the conversation list's
 * place (search.css hides the list that follows this panel). Escape clears it; the arrow keys
 * move between the field and the results.
 */
import { t } from '../../i18n';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { backfillTokens } from '../../search/backfill';
import { useUi } from '../../state/connection';
import type { StoredMessage } from '../../store/db';
import { useClient } from '../client-context';
import { SearchResults } from './SearchResults';
import { useSearchResults } from './use-search';
import './search.css';

/** Long enough to skip most intermediate keystrokes, short enough to feel instant. */
const DEBOUNCE_MS = 150;

export function SearchPanel() {
  const client = useClient();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  /** An input method is composing (pinyin, kana): its letters are not the query yet. */
  const [composing, setComposing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const results = useRef<HTMLDivElement>(null);
  const result = useSearchResults(query);

  // Messages stored before search existed are indexed in the background while the app runs.
  useEffect(() => {
    const stop = new AbortController();
    backfillTokens(client.db, { signal: stop.signal }).catch((err: unknown) => console.warn('[tidings] search: indexing stored messages', err));
    return () => stop.abort();
  }, [client]);

  useEffect(() => {
    if (composing) return;
    const next = text.trim();
    // Emptying the field brings the conversation list back at once.
    if (next === '') {
      setQuery('');
      return;
    }
    const t = setTimeout(() => setQuery(next), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, composing]);

  function clear() {
    setText('');
    setQuery('');
    setChosen(null);
    input.current?.focus();
  }

  function choose(m: StoredMessage) {
    setChosen(m.key);
    // The search stays, so the person can go through the other results (Escape clears it).
    if (m.seq !== null) useUi.getState().openAt(m.conversationId, m.seq);
    else useUi.getState().openConversation(m.conversationId);
  }

  const hits = () => [...(results.current?.querySelectorAll<HTMLButtonElement>('.search-hit > button') ?? [])];

  function onFieldKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'Escape' && text !== '') {
      e.preventDefault();
      clear();
    } else if (e.key === 'ArrowDown') {
      const first = hits()[0];
      if (first) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const first = result?.messages[0];
      // The first result of what is typed now, not of a query still waiting for its debounce.
      if (first && result.query === text.trim()) choose(first);
      else setQuery(text.trim());
    }
  }

  function onResultsKey(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape') {
      e.preventDefault();
      clear();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const list = hits();
    const at = list.findIndex((b) => b === document.activeElement);
    if (at < 0) return;
    e.preventDefault();
    if (e.key === 'Home') list[0]?.focus();
    else if (e.key === 'End') list.at(-1)?.focus();
    else if (e.key === 'ArrowDown') list[Math.min(list.length - 1, at + 1)]?.focus();
    else if (at === 0) input.current?.focus();
    else list[at - 1]?.focus();
  }

  return (
    <div className={`search-panel${query ? ' has-query' : ''}`}>
      <div role="search" className="search-field">
        <input
          ref={input}
          id="search-messages"
          type="search"
          aria-label={t('search.field')}
          placeholder={t('search.field')}
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onFieldKey}
          onCompositionStart={() => setComposing(true)}
          onCompositionEnd={(e) => {
            setComposing(false);
            setText(e.currentTarget.value);
          }}
        />
      </div>
      {query && (
        // Arrow keys for the result buttons inside; each is reachable with Tab as well.
        <div className="search-area" ref={results} onKeyDown={onResultsKey}>
          <SearchResults result={result} chosen={chosen} onChoose={choose} />
        </div>
      )}
    </div>
  );
}
