import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { ConfirmButton } from '../ConfirmButton';
import { useUi } from '../../state/connection';
import { useSession } from '../../state/session';
import { signOut } from '../../sync/api';
import { useClient } from '../client-context';
import { ConversationView } from '../conversation/ConversationView';
import { ConnectionStatus } from './ConnectionStatus';
import { ConversationList } from './ConversationList';
import { NewChatDialog } from './NewChatDialog';
import { NewGroupDialog } from './NewGroupDialog';
import { NotificationPrompt } from './NotificationPrompt';
import { useActivity } from '../hooks/use-activity';
import { useWindowTitle } from '../hooks/use-window-title';
import { SearchPanel } from '../search/SearchPanel';

export function MainScreen() {
  const client = useClient();
  const end = useSession((s) => s.signOut);
  const openId = useUi((s) => s.openConversationId);
  const [newChat, setNewChat] = useState(false);
  const [newGroup, setNewGroup] = useState(false);
  useActivity(client);
  const unsent = useLiveQuery(() => client.db.outbox.count(), [client]) ?? 0;
  useWindowTitle(client);

  async function leave() {
    await signOut(client.session.serverUrl, client.session.token).catch(() => {});
    client.close();
    await client.db.delete().catch(() => {});
    end();
  }

  return (
    <div className={`app ${openId ? 'has-open' : ''}`}>
      <aside className="sidebar">
        <header className="sidebar-head">
          <div className="me">
            <strong>{client.session.user.displayName}</strong>
            <span className="muted">@{client.session.user.username}</span>
          </div>
          {unsent > 0 ? (
            <ConfirmButton
              label="Sign out"
              question={`${unsent} ${unsent === 1 ? 'message has' : 'messages have'} not been sent yet. Signing out deletes ${unsent === 1 ? 'it' : 'them'} from this device.`}
              confirmLabel="Sign out anyway"
              className="quiet"
              disabled={false}
              onConfirm={() => void leave()}
            />
          ) : (
            <button type="button" onClick={() => void leave()} className="quiet">
              Sign out
            </button>
          )}
        </header>
        <ConnectionStatus />
        <NotificationPrompt />
        <div className="actions">
          <button type="button" className="primary" onClick={() => setNewChat(true)}>
            New chat
          </button>
          <button type="button" onClick={() => setNewGroup(true)}>
            New group
          </button>
        </div>
        <SearchPanel />
        <ConversationList />
      </aside>
      <main className="pane">
        {openId ? <ConversationView key={openId} conversationId={openId} /> : <p className="empty">Choose a conversation, or start a new chat.</p>}
      </main>
      {newChat && <NewChatDialog onClose={() => setNewChat(false)} />}
      {newGroup && <NewGroupDialog onClose={() => setNewGroup(false)} />}
    </div>
  );
}
