import { useUi } from '../../state/connection';

const WORDS = {
  connecting: 'Connecting…',
  syncing: 'Connecting… (updating)',
  connected: 'Connected',
  offline: 'Offline — messages will be sent when the connection returns',
} as const;

export function ConnectionStatus() {
  const connection = useUi((s) => s.connection);
  return (
    <div role="status" className={`connection ${connection}`}>
      <span className="dot" aria-hidden="true" />
      {WORDS[connection]}
    </div>
  );
}
