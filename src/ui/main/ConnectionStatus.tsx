import { t } from '../../i18n';
import { useUi } from '../../state/connection';


export function ConnectionStatus() {
  const connection = useUi((s) => s.connection);
  const progress = useUi((s) => s.progress);
  return (
    <div role="status" className={`connection ${connection}`}>
      <span className="dot" aria-hidden="true" />
      {connection === 'syncing' && progress && progress.total > 0
        ? t('connection.updating', { percent: Math.min(100, Math.round((100 * progress.done) / progress.total)) })
        : t(`connection.${connection}`)}
    </div>
  );
}
