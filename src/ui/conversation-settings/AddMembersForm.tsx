import { t } from '../../i18n';
import { useState } from 'react';
import { parseUsernames } from '../user-names';

/** Comma-separated user names; the field empties only once the server took them. */
export function AddMembersForm(props: { busy: boolean; onAdd: (usernames: string[]) => Promise<boolean> }) {
  const [text, setText] = useState('');
  const names = parseUsernames(text);
  return (
    <form
      className="add-members"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onAdd(names).then((ok) => ok && setText(''));
      }}
    >
      <label>
        {t('convSettings.addMembers')}
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('convSettings.addPlaceholder')} autoCapitalize="none" />
      </label>
      <button type="submit" disabled={props.busy || names.length === 0}>
        {t('convSettings.add')}
      </button>
    </form>
  );
}
