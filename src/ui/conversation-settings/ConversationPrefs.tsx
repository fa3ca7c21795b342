import { useEffect, useId, useState } from 'react';
import type { Notify } from '../../protocol';
import type { StoredConversation } from '../../store/db';
import { useClient } from '../client-context';

const CHOICES: { value: Notify; label: string; hint: string }[] = [
  { value: 'all', label: 'All messages', hint: 'A notification for every message.' },
  { value: 'mentions', label: 'Mentions only', hint: 'Only when someone @mentions you.' },
  { value: 'muted', label: 'Muted', hint: 'No notifications; unread counts stay, left out of the total.' },
];

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
        Pin conversation
      </label>
      <div role="radiogroup" aria-labelledby={`${id}-notify`} className="radios">
        <span id={`${id}-notify`} className="radios-label">
          Notifications
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
              {c.label}
            </label>
            <span id={`${id}-${c.value}`} className="muted radio-hint">
              {c.hint}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}
