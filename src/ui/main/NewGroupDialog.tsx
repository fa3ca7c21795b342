import { t } from '../../i18n';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { LIMITS } from '../../protocol';
import { useUi } from '../../state/connection';
import { useClient } from '../client-context';
import { parseUsernames } from '../user-names';
import { describeError, fieldProblem } from '../words';

/** Names a group and its first members; an unknown name creates nothing and says which. */
export function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const openConversation = useUi((s) => s.openConversation);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [name, setName] = useState('');
  const [members, setMembers] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  async function create(e: FormEvent) {
    e.preventDefault();
    const usernames = parseUsernames(members).filter((u) => u !== client.session.user.username);
    const problem = fieldProblem('groupName', name);
    if (problem) {
      setError(problem);
      return;
    }
    if (usernames.length === 0) {
      setError(t('newGroup.nobody'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const id = await client.createGroup(name.trim(), usernames);
      openConversation(id);
      onClose();
    } catch (err) {
      setError(describeError(err, { not_found: t('newGroup.unknownMember') }));
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} className="dialog">
      <form onSubmit={(e) => void create(e)}>
        <h2 id={titleId}>{t('newGroup.title')}</h2>
        <label>
          {t('newGroup.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} autoFocus required maxLength={LIMITS.groupNameMax} />
        </label>
        {[...name].length >= LIMITS.groupNameMax - 10 && (
          <p className="hint">
            {t('newGroup.length', { count: [...name].length, max: LIMITS.groupNameMax })}
          </p>
        )}
        <label>
          {t('newGroup.members')}
          <input value={members} onChange={(e) => setMembers(e.target.value)} autoCapitalize="none" placeholder={t('newGroup.membersPlaceholder')} required />
        </label>
        <p className="hint">{t('newGroup.membersHint')}</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {t('newGroup.create')}
          </button>
          <button type="button" onClick={onClose}>
            {t('newGroup.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
