import { t } from '../../i18n';
import { useEffect, useId, useState } from 'react';
import { LIMITS } from '../../protocol';
import { fieldProblem } from '../words';

/**
 * The group's name: the owner and admins rename it (Rename, or Enter in the field), everyone
 * else reads it. A rename reaches every member as a line in the log, and the new title with it.
 */
export function GroupNameField(props: { value: string; editable: boolean; busy: boolean; onSave: (name: string) => Promise<boolean> }) {
  const id = useId();
  const [text, setText] = useState(props.value);
  // Someone else's rename shows unless we are typing; ours shows once its line has come back.
  const [edited, setEdited] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (edited && props.value !== text.trim()) return;
    setText(props.value);
    setEdited(false);
    // Not on `text`: typing must not pull the stored name back in.
  }, [props.value, edited]);

  if (!props.editable) {
    return (
      <div className="field">
        <label htmlFor={id}>{t('convSettings.groupName')}</label>
        <input id={id} className="readonly" value={props.value} readOnly />
      </div>
    );
  }
  const name = text.trim();
  const length = [...text].length;
  return (
    <form
      className="field"
      onSubmit={(e) => {
        e.preventDefault();
        if (name === '' || name === props.value) return;
        const wrong = fieldProblem('groupName', name);
        setProblem(wrong);
        if (!wrong) void props.onSave(name).then(setSaved);
      }}
    >
      <label htmlFor={id}>{t('convSettings.groupName')}</label>
      <div className="row group-name">
        <input
          id={id}
          value={text}
          required
          maxLength={LIMITS.groupNameMax}
          onChange={(e) => {
            setText(e.target.value);
            setEdited(true);
            setProblem(null);
            setSaved(false);
          }}
        />
        <button type="submit" className="small" disabled={props.busy || name === '' || name === props.value}>
          {t('convSettings.rename')}
        </button>
      </div>
      {length >= LIMITS.groupNameMax - 10 && <p className="hint">{t('newGroup.length', { count: length, max: LIMITS.groupNameMax })}</p>}
      {saved && (
        <p role="status" className="muted hint-line">
          {t('convSettings.saved')}
        </p>
      )}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </form>
  );
}
