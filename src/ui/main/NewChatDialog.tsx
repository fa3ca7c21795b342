import { t } from '../../i18n';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useUi } from '../../state/connection';
import { useClient } from '../client-context';
import { LIMITS, UsernameSchema } from '../../protocol';
import { describeError } from '../words';

export function NewChatDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const openConversation = useUi((s) => s.openConversation);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  async function start(e: FormEvent) {
    e.preventDefault();
    const name = username.trim().toLowerCase();
    const problem =
      name === client.session.user.username
        ? t('newChat.notYourself')
        : UsernameSchema.safeParse(name).success
          ? null
          : t('signIn.usernameRule', { min: LIMITS.usernameMin, max: LIMITS.usernameMax });
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const id = await client.openDirect(name);
      openConversation(id);
      onClose();
    } catch (err) {
      setError(describeError(err, { not_found: t('newChat.noSuchUser', { name }) }));
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} className="dialog">
      <form onSubmit={(e) => void start(e)}>
        <h2 id={titleId}>{t('newChat.title')}</h2>
        <label>
          {t('newChat.username')}
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoFocus autoCapitalize="none" required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {t('newChat.start')}
          </button>
          <button type="button" onClick={onClose}>
            {t('newChat.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
