import { t } from '../../i18n';
import { useEffect, useId, useState } from 'react';
import { fieldProblem } from '../words';

/** The group's announcement: editable with Save for the owner and admins, read-only for others. */
export function AnnouncementField(props: { value: string; editable: boolean; busy: boolean; onSave: (text: string) => Promise<boolean> }) {
  const id = useId();
  const [text, setText] = useState(props.value);
  // Someone else's change arrives while the field is open: show it unless we are editing.
  const [edited, setEdited] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!edited) setText(props.value);
  }, [props.value, edited]);

  if (!props.editable) {
    return (
      <div className="field">
        <label htmlFor={id}>{t('convSettings.announcement')}</label>
        <textarea id={id} className="readonly" value={props.value || t('convSettings.noAnnouncement')} readOnly rows={2} />
      </div>
    );
  }
  return (
    <form
      className="field"
      onSubmit={(e) => {
        e.preventDefault();
        const wrong = fieldProblem('announcement', text);
        setProblem(wrong);
        if (wrong) return;
        setEdited(false);
        void props.onSave(text).then(setSaved);
      }}
    >
      <label htmlFor={id}>{t('convSettings.announcement')}</label>
      <textarea
        id={id}
        value={text}
        rows={3}
        placeholder={t('convSettings.announcementPlaceholder')}
        onChange={(e) => {
          setText(e.target.value);
          setEdited(true);
          setProblem(null);
          setSaved(false);
        }}
      />
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <div className="row end">
        {saved && (
          <span role="status" className="muted save-status">
            {t('convSettings.saved')}
          </span>
        )}
        <button type="submit" className="small" disabled={props.busy || text === props.value}>
          {t('convSettings.save')}
        </button>
      </div>
    </form>
  );
}
