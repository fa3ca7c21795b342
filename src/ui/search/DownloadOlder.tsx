/**
 * "Download older messages": offered under the search results when some conversation's older
 * history is not on this device, so the person knows the search could not see it and can
 * fetch it. The results re-run by themselves as the pages are stored (they are live).
 */
import { t } from '../../i18n';
import { useEffect, useRef, useState } from 'react';
import { downloadOlderHistory } from '../../search/download-history';
import { useClient } from '../client-context';
import { describeError } from '../words';


type Download = { state: 'idle' } | { state: 'running'; messages: number } | { state: 'failed'; error: string };

export function DownloadOlder({ lacking }: { lacking: number }) {
  const client = useClient();
  const [download, setDownload] = useState<Download>({ state: 'idle' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function start() {
    const controller = new AbortController();
    abort.current = controller;
    setDownload({ state: 'running', messages: 0 });
    try {
      await downloadOlderHistory(client.db, client.me, client.transport, {
        signal: controller.signal,
        onProgress: (p) => {
          if (!controller.signal.aborted) setDownload({ state: 'running', messages: p.messages });
        },
      });
      if (!controller.signal.aborted) setDownload({ state: 'idle' });
    } catch (err) {
      console.warn('[tidings] search: download older messages', err);
      if (!controller.signal.aborted) setDownload({ state: 'failed', error: describeError(err) });
    }
  }

  const running = download.state === 'running';
  return (
    <div className="search-download">
      <p className="search-note">
        {t('search.lacking', { count: lacking })}
      </p>
      <button type="button" className="small" disabled={running} onClick={() => void start()}>
        {t('search.download')}
      </button>
      {running && (
        <p role="status" className="search-note">
          {t('search.downloading', { count: download.messages })}
        </p>
      )}
      {download.state === 'failed' && (
        <p role="alert" className="error">
          {t('search.downloadFailed', { reason: download.error })}
        </p>
      )}
    </div>
  );
}
