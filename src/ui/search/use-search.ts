/**
 * The search panel's data, live: the results of a query (re-run when stored messages change,
 * e.g. a recall or a downloaded page), what the search covered, and the conversations whose
 * older history this device lacks.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useRef } from 'react';
import { backfillState, type BackfillState } from '../../search/backfill';
import { lacksOlderHistory, searchCoverage, searchMessages, type Coverage, type SearchResult } from '../../search/search';
import type { StoredConversation } from '../../store/db';
import { useClient } from '../client-context';

export interface SearchScope extends Coverage {
  conversations: ReadonlyMap<string, StoredConversation>;
  /** How many conversations have older messages that are not on this device. */
  lacking: number;
  /** Messages stored before search existed and not indexed yet (null: none). */
  indexing: BackfillState | null;
}

export function useSearchResults(query: string): SearchResult | undefined {
  const client = useClient();
  const result = useLiveQuery(() => (query ? searchMessages(client.db, query) : undefined), [client, query]);
  // While a new query runs, the previous results stay (with the query they were made for)
  // rather than flashing an empty list at every keystroke.
  const last = useRef<SearchResult | undefined>(undefined);
  if (result) last.current = result;
  return query ? (result ?? last.current) : undefined;
}

export function useSearchScope(): SearchScope | undefined {
  const client = useClient();
  return useLiveQuery(async () => {
    const [coverage, conversations, indexing] = await Promise.all([searchCoverage(client.db), client.db.conversations.toArray(), backfillState(client.db)]);
    return {
      ...coverage,
      indexing,
      conversations: new Map(conversations.map((c) => [c.id, c])),
      lacking: conversations.filter(lacksOlderHistory).length,
    };
  }, [client]);
}
