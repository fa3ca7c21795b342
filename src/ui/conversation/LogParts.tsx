/** The log's fixed rows: its header (older history, the beginning), footer, and holes. */
import { t } from '../../i18n';
import { useEffect } from 'react';
import { useUi } from '../../state/connection';
import { dayLabel } from '../words';

export interface HeaderContext {
  loading: boolean;
  atBeginning: boolean;
  error: string | null;
}

export function LogHeader({ context }: { context?: HeaderContext }) {
  if (context?.loading) {
    return (
      <div role="status" className="log-note">
        {t('conversation.loadingOlder')}
      </div>
    );
  }
  if (context?.error) return <div className="log-note error">{context.error}</div>;
  if (context?.atBeginning) return <div className="log-note">{t('conversation.beginning')}</div>;
  return <div className="log-note" />;
}

/** The start of a day in the log. */
export function DayLine({ at }: { at: number }) {
  return (
    <div className="day-line">
      <time dateTime={new Date(at).toISOString().slice(0, 10)}>{dayLabel(at)}</time>
    </div>
  );
}

/** Above the first message that was unread when the conversation was opened. */
export function UnreadLine() {
  return (
    <div className="unread-line" role="separator">
      <span>{t('conversation.unreadBelow')}</span>
    </div>
  );
}

/** Breathing room between the newest message and the input. */
export function LogFooter() {
  return <div className="log-end" aria-hidden="true" />;
}

/** Asks for the hole's newest page when shown, again as it shrinks, and after reconnecting. */
export function HoleRow({ to, fill }: { to: number; fill: (to: number) => void }) {
  const connection = useUi((s) => s.connection);
  useEffect(() => {
    if (connection === 'connected') fill(to);
  }, [to, fill, connection]);
  return (
    <div role="status" className="log-note hole">
      {t('conversation.loadingHole')}
    </div>
  );
}
