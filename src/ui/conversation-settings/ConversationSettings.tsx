import { t } from '../../i18n';
import { useEffect, useId, useRef, useState } from 'react';
import type { Member } from '../../protocol';
import type { StoredConversation } from '../../store/db';
import { useClient } from '../client-context';
import { describeError } from '../words';
import { AddMembersForm } from './AddMembersForm';
import { ConfirmButton } from '../ConfirmButton';
import { AnnouncementField } from './AnnouncementField';
import { GroupNameField } from './GroupNameField';
import { HistoryOnJoinField } from './HistoryOnJoinField';
import { ConversationPrefs } from './ConversationPrefs';
import { MemberList } from './MemberList';
import { useMembers } from './use-members';

/**
 * One conversation's settings. For a group: its name, announcement, members and what the viewer's
 * role allows them to change; every change goes to the server, and the list is asked again.
 */
export function ConversationSettings({ conv, title, onClose }: { conv: StoredConversation; title: string; onClose: () => void }) {
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const member = conv.kind === 'group' && conv.leftSeq === null;
  const page = useMembers(conv.id, member, conv.stateSeq);
  // The server's list is the truth about roles (an owner who left hands the group on).
  const myRole = page.members?.find((m) => m.user.id === client.me)?.role ?? conv.role;

  useEffect(() => {
    ref.current?.showModal();
    // showModal focuses the first control (a checkbox Space would flip); the sheet opens on its
    // title instead, at the top: focusing Close, at the bottom, scrolled the name out of view.
    headingRef.current?.focus();
  }, []);

  async function run(change: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await change();
      await page.reload();
      return true;
    } catch (err) {
      setError(describeError(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  const conversationId = conv.id;
  const request = client.transport.request.bind(client.transport);
  const actions = {
    remove: (m: Member) => void run(() => request({ type: 'removeMember', conversationId, userId: m.user.id })),
    setRole: (m: Member, role: 'admin' | 'member') => void run(() => request({ type: 'setRole', conversationId, userId: m.user.id, role })),
  };

  async function leave() {
    if (await run(() => request({ type: 'leaveGroup', conversationId }))) onClose();
  }

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} className="dialog settings">
      <div className="dialog-body">
        <h2 id={titleId} ref={headingRef} tabIndex={-1}>
          {t('convSettings.title')}
        </h2>
        <p className="muted dialog-subtitle">
          <bdi>{title}</bdi>
          {conv.kind === 'direct' && ` · ${t('convSettings.direct')}`}
        </p>
        {conv.kind === 'group' && !member && <p className="notice">{t('convSettings.notMember')}</p>}
        {conv.leftSeq === null && <ConversationPrefs conv={conv} />}
        {member && (
          <>
            <GroupNameField
              value={conv.name ?? ''}
              editable={myRole !== 'member'}
              busy={busy}
              onSave={(name) => run(() => request({ type: 'updateGroup', conversationId, name }))}
            />
            <AnnouncementField
              value={conv.announcement}
              editable={myRole !== 'member'}
              busy={busy}
              onSave={(announcement) => run(() => request({ type: 'updateGroup', conversationId, announcement }))}
            />
            <section className="members-section" aria-labelledby={`${titleId}-members`}>
              <h3 id={`${titleId}-members`}>
                {t('convSettings.members')} <span className="muted">{page.total || conv.memberCount}</span>
              </h3>
              {page.members ? (
                <MemberList members={page.members} total={page.total} me={client.me} myRole={myRole} busy={busy} actions={actions} />
              ) : (
                !page.error && <p className="muted">{t('convSettings.loadingMembers')}</p>
              )}
              {page.error && <p className="error">{page.error}</p>}
              <AddMembersForm busy={busy} onAdd={(usernames) => run(() => request({ type: 'addMembers', conversationId, usernames }))} />
            </section>
            <HistoryOnJoinField
              value={conv.historyOnJoin ?? 0}
              editable={myRole !== 'member'}
              busy={busy}
              onChange={(historyOnJoin) => void run(() => request({ type: 'updateGroup', conversationId, historyOnJoin }))}
            />
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row dialog-actions">
          {member && (
            <ConfirmButton
              label={t('convSettings.leave')}
              question={t('convSettings.leaveQuestion')}
              confirmLabel={t('convSettings.leaveYes')}
              disabled={busy}
              onConfirm={() => void leave()}
            />
          )}
          <button type="button" onClick={onClose}>
            {t('convSettings.close')}
          </button>
        </div>
      </div>
    </dialog>
  );
}

