import { t } from '../../i18n';
import { useId } from 'react';

/** The choices offered; a value set elsewhere (another client, the protocol) is shown as well. */
const CHOICES = [0, 20, 100, 1000] as const;

/**
 * How many earlier lines a member who joins may read (the seed's 查看加入群之前若干条消息):
 * a select for the owner and admins, the same select disabled for everyone else. It applies
 * to people added from now on, which the hint says.
 */
export function HistoryOnJoinField(props: { value: number; editable: boolean; busy: boolean; onChange: (count: number) => void }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const choices = CHOICES.some((c) => c === props.value) ? [...CHOICES] : [...CHOICES, props.value].sort((a, b) => a - b);
  return (
    <div className="field">
      <label htmlFor={id}>{t('convSettings.historyOnJoin')}</label>
      <select
        id={id}
        value={props.value}
        aria-describedby={hintId}
        disabled={!props.editable || props.busy}
        onChange={(e) => props.onChange(Number(e.target.value))}
      >
        {choices.map((n) => (
          <option key={n} value={n}>
            {n === 0 ? t('convSettings.historyNone') : t('convSettings.historyLast', { count: n })}
          </option>
        ))}
      </select>
      <p id={hintId} className="muted hint">
        {t('convSettings.historyHint')}
      </p>
    </div>
  );
}
