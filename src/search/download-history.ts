/**
 * "Download older messages": what a search could not cover because this device never held
 * it. Loads history pages below what each conversation holds, down to the first message
 * this user may read, most recently active conversations first, a bounded number of pages
 * per call (the person can ask again). The pages are stored like any other history page,
 * so the index and the conversation views take them as they come.
 */
import type { TidingsDb } from '../store/db';
import { fetchPage } from '../sync/history';
import type { Transport } from '../sync/transport';
import { lacksOlderHistory } from './search';

/** The server's largest page (LIMITS.historyPageMax): fewer round trips than the log's 50. */
export const DOWNLOAD_PAGE = 200;
/** Pages per call: 10,000 messages at most before the person is asked again. */
export const DOWNLOAD_MAX_PAGES = 50;

export interface DownloadProgress {
  /** Messages stored by this download so far. */
  messages: number;
  pages: number;
}

export interface DownloadResult extends DownloadProgress {
  /** Whether every conversation now reaches its first readable message. */
  complete: boolean;
}

export async function downloadOlderHistory(
  db: TidingsDb,
  me: string,
  transport: Transport,
  options: { maxPages?: number; pageSize?: number; onProgress?: (p: DownloadProgress) => void; signal?: AbortSignal } = {},
): Promise<DownloadResult> {
  const maxPages = options.maxPages ?? DOWNLOAD_MAX_PAGES;
  const pageSize = options.pageSize ?? DOWNLOAD_PAGE;
  const before = await db.messages.count();
  const progress: DownloadProgress = { messages: 0, pages: 0 };
  const due = (await db.conversations.orderBy('activityAt').reverse().toArray()).filter(lacksOlderHistory);
  /** Conversations whose server gave nothing older: not asked again in this call. */
  const stuck = new Set<string>();
  for (const { id } of due) {
    for (;;) {
      if (options.signal?.aborted) return { ...progress, complete: false };
      const conv = await db.conversations.get(id);
      if (!conv || !lacksOlderHistory(conv)) break;
      if (progress.pages >= maxPages) return { ...progress, complete: false };
      const lowest = conv.ranges[0]?.[0];
      await fetchPage(db, me, transport, id, lowest, pageSize);
      progress.pages++;
      progress.messages = (await db.messages.count()) - before;
      options.onProgress?.({ ...progress });
      const now = (await db.conversations.get(id))?.ranges[0]?.[0];
      if (now === undefined || (lowest !== undefined && now >= lowest)) {
        stuck.add(id);
        break;
      }
    }
  }
  return { ...progress, complete: stuck.size === 0 };
}
