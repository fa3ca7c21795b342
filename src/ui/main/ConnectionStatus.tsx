import { useUi } from '../../state/connection';

const WORDS = {
  connecting: 'Connecting…',
  syncing: 'Connecting… (updating)',
  connected: 'Connected',
  offline: 'Offline — will send when reconnected',
} as const;

export function ConnectionStatus() {
  const connection = useUi((s) => s.connection);
  const progress = useUi((s) => s.progress);
  return (
    <div role="status" className={`connection ${connection}`}>
      <span className="dot" aria-hidden="true" />
      {connection === 'syncing' && progress && progress.total > 0
        ? `Connecting… updating ${Math.min(100, Math.round((100 * progress.done) / progress.total))}%`
        : WORDS[connection]}
    </div>
  );
}
