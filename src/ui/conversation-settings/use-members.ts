/**
 * A group's member list, asked of the server (a group may have thousands, so it is not stored);
 * asked again whenever the group's state moves (`stateSeq`) or after one of our own changes.
 */
import { useCallback, useEffect, useState } from 'react';
import { t } from '../../i18n';
import type { Member } from '../../protocol';
import { useClient } from '../client-context';
import { describeError } from '../words';

export interface MemberPage {
  members: Member[] | null;
  total: number;
  error: string | null;
  reload: () => Promise<void>;
}

export function useMembers(conversationId: string, enabled: boolean, stateSeq: number): MemberPage {
  const client = useClient();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    if (!enabled) return;
    try {
      const r = await client.transport.request({ type: 'members', conversationId });
      setMembers(r.members);
      setTotal(r.total);
      setError(null);
    } catch (err) {
      setError(t('convSettings.membersFailed', { reason: describeError(err) }));
    }
  }, [client, conversationId, enabled]);

  useEffect(() => {
    void reload();
  }, [reload, stateSeq]);

  return { members, total, error, reload };
}
