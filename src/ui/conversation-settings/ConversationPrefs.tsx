import { t } from '../../i18n';
import { useEffect, useId, useState } from 'react';
import type { Notify } from '../../protocol';
import type { StoredConversation } from '../../store/db';
import { useClient } from '../client-context';

const CHOICES = [
  { value: 'all', label: 'convSettings.all', hint: 'convSettings.allHint' },
  { value: 'mentions', label: 'convSettings.mentions', hint: 'convSettings.mentionsHint' },
  { value: 'muted', label: 'convSettings.muted', hint: 'convSettings.mutedHint' },
] as const satisfies readonly { value: Notify; label: string; hint: string }[];

/** This user's own settings of one conversation: pinned, and which messages notify. Synced to their devices. */
export function ConversationPrefs({ conv }: { conv: StoredConversation }) {
  const client = useClient();
  const id = useId();
  // Shown at once; the store (and then every device) follows a moment later.
  const [pinned, setPinned] = useState(conv.pinned ?? false);
  const [notify, setNotify] = useState<Notify>(conv.notify ?? 'all');
  useEffect(() => setPinned(conv.pinned ?? false), [conv.pinned]);
  useEffect(() => setNotify(conv.notify ?? 'all'), [conv.notify]);
  const set = (change: { pinned?: boolean; notify?: Notify }) => {
    if (change.pinned !== undefined) setPinned(change.pinned);
    if (change.notify !== undefined) setNotify(change.notify);
    void client.settings.setConversation(conv.id, change).catch(() => {});
  };
  return (
    <section className="conversation-prefs">
      <label className="check">
        <input type="checkbox" checked={pinned} onChange={(e) => set({ pinned: e.target.checked })} />
        {t('convSettings.pin')}
      </label>
      <div role="radiogroup" aria-labelledby={`${id}-notify`} className="radios">
        <span id={`${id}-notify`} className="radios-label">
          {t('convSettings.notifications')}
        </span>
        {CHOICES.map((c) => (
          <div key={c.value} className="radio">
            <label>
              <input
                type="radio"
                name={`${id}-notify`}
                value={c.value}
                checked={notify === c.value}
                aria-describedby={`${id}-${c.value}`}
                onChange={() => set({ notify: c.value })}
              />
              {t(c.label)}
            </label>
            <span id={`${id}-${c.value}`} className="muted radio-hint">
              {t(c.hint)}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}
