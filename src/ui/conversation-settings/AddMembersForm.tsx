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
        Add members
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="user names, separated by commas" autoCapitalize="none" />
      </label>
      <button type="submit" disabled={props.busy || names.length === 0}>
        Add
      </button>
    </form>
  );
}
