import { t } from '../../i18n';
import type { Member, Role } from '../../protocol';
import { ConfirmButton } from '../ConfirmButton';

const roleWord = (role: Role): string | null => (role === 'owner' ? t('convSettings.owner') : role === 'admin' ? t('convSettings.admin') : null);

export interface MemberActions {
  remove: (m: Member) => void;
  setRole: (m: Member, role: 'admin' | 'member') => void;
}

/**
 * The members, each with the actions the viewer's role allows: the owner and admins remove
 * ordinary members, only the owner removes admins and makes or unmakes them; nobody removes
 * the owner. The server enforces the same rules; hiding buttons only spares people the error.
 */
export function MemberList(props: {
  members: readonly Member[];
  total: number;
  me: string;
  myRole: Role;
  busy: boolean;
  actions: MemberActions;
}) {
  const { members, me, myRole, busy, actions } = props;
  return (
    <>
      <ul aria-label={t('convSettings.members')} className="members">
        {members.map((m) => {
          const self = m.user.id === me;
          const role = roleWord(m.role);
          const canRemove = !self && m.role !== 'owner' && (myRole === 'owner' || (myRole === 'admin' && m.role === 'member'));
          const canPromote = !self && myRole === 'owner' && m.role !== 'owner';
          return (
            <li key={m.user.id} className="member">
              <span className="member-name">
                <bdi>{m.user.displayName || m.user.username}</bdi>
                {/* A tag like the role's, not "(you)" after a space: full-width brackets bring their own space in Chinese. */}
                {self && <span className="role">{t('convSettings.you')}</span>}
                {role && <span className={`role ${m.role}`}>{role}</span>}
              </span>
              <span className="member-actions">
                {canPromote && (
                  <button type="button" className="small" disabled={busy} onClick={() => actions.setRole(m, m.role === 'admin' ? 'member' : 'admin')}>
                    {m.role === 'admin' ? t('convSettings.removeAdmin') : t('convSettings.makeAdmin')}
                  </button>
                )}
                {canRemove && (
                  <ConfirmButton
                    label={t('convSettings.remove')}
                    question={t('convSettings.removeQuestion', { name: m.user.displayName || m.user.username })}
                    confirmLabel={t('convSettings.removeYes')}
                    className="small danger"
                    disabled={busy}
                    onConfirm={() => actions.remove(m)}
                  />
                )}
              </span>
            </li>
          );
        })}
      </ul>
      {props.total > members.length && <p className="muted hint-line">{t('convSettings.andMore', { count: props.total - members.length })}</p>}
    </>
  );
}
