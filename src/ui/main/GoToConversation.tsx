import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { t } from '../../i18n';
import { useUi } from '../../state/connection';
import { useClient } from '../client-context';
import { conversationTitle } from '../titles';
import { useUsers } from '../use-users';

const foldCase = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Ctrl/Cmd+K: jump to a conversation by typing part of its title. Arrows move, Enter opens,
 * Escape closes; the best matches (titles starting with what was typed) come first.
 */
export function GoToConversation({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const listId = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const conversations = useLiveQuery(() => client.db.conversations.orderBy('activityAt').reverse().toArray(), [client]);
  const { byId } = useUsers();

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const matches = useMemo(() => {
    const q = foldCase(query.trim());
    const titled = (conversations ?? []).map((c) => ({ c, title: conversationTitle(c, client.me, byId) }));
    if (!q) return titled.slice(0, 20);
    const found = titled.filter(({ title }) => foldCase(title).includes(q));
    return [...found.filter(({ title }) => foldCase(title).startsWith(q)), ...found.filter(({ title }) => !foldCase(title).startsWith(q))].slice(0, 20);
  }, [conversations, query, client, byId]);

  function open(id: string) {
    useUi.getState().openConversation(id);
    onClose();
    // The message box of the conversation (mounted anew, or the one already open) takes focus.
    requestAnimationFrame(() => document.getElementById('message-input')?.focus());
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (matches.length > 0) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const chosen = matches[active];
      if (chosen) open(chosen.c.id);
    }
  }

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} className="dialog go-to">
      <h2 id={titleId} className="visually-hidden">
        {t('goTo.title')}
      </h2>
      <input
        aria-label={t('goTo.field')}
        placeholder={t('goTo.field')}
        value={query}
        autoFocus
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-activedescendant={matches[active] ? `${listId}-${active}` : undefined}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul role="listbox" id={listId} aria-label={t('goTo.results')} className="go-to-list">
        {matches.map(({ c, title }, i) => (
          <li
            key={c.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => open(c.id)}
          >
            <bdi>{title}</bdi>
          </li>
        ))}
        {matches.length === 0 && <li className="muted">{t('goTo.none')}</li>}
      </ul>
    </dialog>
  );
}
