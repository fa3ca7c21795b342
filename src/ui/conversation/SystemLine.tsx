import { memo } from 'react';
import type { StoredMessage } from '../../store/db';
import { systemText, type NameOf } from '../system-lines';

/** A group event (joined, left, renamed…) in the log: a note between messages, not a message. */
export const SystemLine = memo(function SystemLine(props: { message: StoredMessage; me: string; nameOf: NameOf }) {
  const { message: m } = props;
  if (!m.system) return null;
  return (
    <div role="note" className="system-line">
      <span dir="auto">{systemText(m.system, m.senderId, props.me, props.nameOf)}</span>
    </div>
  );
});
