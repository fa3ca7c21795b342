/**
 * The `@` autocomplete of a group's composer: a listbox of members whose name starts with what
 * was typed (asked of the server, so it works in a group of 10,000), and `@all` for the owner
 * and admins. The input keeps focus; arrows move, Enter or Tab choose, Escape closes.
 */
import { t } from '../../i18n';
import { useEffect, useMemo, useState } from 'react';
import { EVERYONE } from './mentions';

export interface MentionCandidate {
  id: string;
  username: string;
  displayName: string;
}

export interface PickerState {
  options: MentionCandidate[];
  active: number;
}

/** The `@all` choice (its words are read when shown, in the person's language). */
export const everyoneOption = (): MentionCandidate => ({ id: '', username: EVERYONE, displayName: t('composer.everyone') });

/** `@all` is found by `all`, `everyone` or its name in the person's language. */
const everyoneMatches = (query: string) => [EVERYONE, 'everyone', t('composer.everyone').toLowerCase()].some((w) => w.startsWith(query));

/** Whether a shown option still fits what is typed now (the server's answer for it may be on its way). */
function stillMatches(o: MentionCandidate, query: string): boolean {
  if (o.id === '') return everyoneMatches(query);
  return o.username.startsWith(query) || o.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(query));
}

/**
 * Suggestions for `query` (null when no `@` is being typed). Between a keystroke and the
 * server's answer for it, the options shown are the last answer narrowed to what still fits, so
 * Enter never picks a name the typing has already ruled out.
 */
export function useMentionOptions(
  query: string | null,
  suggest: ((query: string) => Promise<MentionCandidate[]>) | undefined,
  canMentionAll: boolean,
): MentionCandidate[] {
  const [answer, setAnswer] = useState<{ query: string; options: MentionCandidate[] }>({ query: '', options: [] });
  useEffect(() => {
    if (query === null || !suggest) {
      setAnswer({ query: '', options: [] });
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void suggest(query).then(
        (found) => {
          if (!live) return;
          const everyone = canMentionAll && everyoneMatches(query) ? [everyoneOption()] : [];
          setAnswer({ query, options: [...found, ...everyone] });
        },
        () => live && setAnswer({ query, options: [] }),
      );
    }, 100);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query, suggest, canMentionAll]);
  return useMemo(() => {
    if (query === null) return [];
    if (answer.query === query) return answer.options;
    return query.startsWith(answer.query) ? answer.options.filter((o) => stillMatches(o, query)) : [];
  }, [answer, query]);
}

export function MentionPicker(props: { id: string; options: readonly MentionCandidate[]; active: number; onPick: (c: MentionCandidate) => void }) {
  if (props.options.length === 0) return null;
  return (
    <ul role="listbox" id={props.id} aria-label={t('composer.mentionList')} className="mention-picker">
      {props.options.map((c, i) => (
        <li
          key={c.username}
          id={`${props.id}-${i}`}
          role="option"
          aria-selected={i === props.active}
          className={i === props.active ? 'active' : undefined}
          // Keep the input's focus (and caret) while choosing with the pointer.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => props.onPick(c)}
        >
          <bdi className="mention-name">{c.displayName}</bdi> <span className="muted">@{c.username}</span>
        </li>
      ))}
    </ul>
  );
}
