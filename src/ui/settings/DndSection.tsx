import { t } from '../../i18n';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useState } from 'react';
import { DEFAULT_PREFS, type Prefs } from '../../protocol';
import { storedPrefs } from '../../sync/settings';
import { useClient } from '../client-context';
import { NotificationsHereLine } from './NotificationsHere';

/** Do not disturb for every conversation, optionally only between two times of day (this device's clock). */
export function DndSection() {
  const client = useClient();
  const id = useId();
  const stored = useLiveQuery(() => storedPrefs(client.db), [client]);
  // Shown at once; the store (and then every device) follows a moment later.
  const [shown, setShown] = useState<Prefs | null>(null);
  useEffect(() => setShown(null), [stored]);
  const prefs = shown ?? stored ?? DEFAULT_PREFS;
  const dnd = prefs.dnd;
  const scheduled = dnd.from !== null && dnd.to !== null;
  const save = (next: Prefs['dnd']) => {
    setShown({ ...prefs, dnd: next });
    void client.settings.setPrefs({ ...prefs, dnd: next }).catch(() => {});
  };
  return (
    <section className="dnd">
      <label className="check">
        <input type="checkbox" checked={dnd.on} onChange={(e) => save({ ...dnd, on: e.target.checked })} />
        {t('settings.dnd')}
      </label>
      <p className="muted hint-line">{t('settings.dndHint')}</p>
      <NotificationsHereLine />
      <label className="check">
        <input
          type="checkbox"
          checked={scheduled}
          disabled={!dnd.on}
          onChange={(e) => save(e.target.checked ? { ...dnd, from: '22:00', to: '07:00' } : { ...dnd, from: null, to: null })}
        />
        {t('settings.dndHours')}
      </label>
      {scheduled && (
        <div className="row schedule">
          <label htmlFor={`${id}-from`}>{t('settings.from')}</label>
          <input id={`${id}-from`} type="time" value={dnd.from ?? ''} disabled={!dnd.on} onChange={(e) => e.target.value && save({ ...dnd, from: e.target.value })} />
          <label htmlFor={`${id}-to`}>{t('settings.to')}</label>
          <input id={`${id}-to`} type="time" value={dnd.to ?? ''} disabled={!dnd.on} onChange={(e) => e.target.value && save({ ...dnd, to: e.target.value })} />
        </div>
      )}
    </section>
  );
}
