import { t } from '../../i18n';
import { useEffect, useState } from 'react';
import { desktopApi, type DesktopCommand } from '../../desktop/bridge';
import { useUi } from '../../state/connection';
import { useClient } from '../client-context';
import { ConversationView } from '../conversation/ConversationView';
import { ConnectionStatus } from './ConnectionStatus';
import { ConversationList } from './ConversationList';
import { NewChatDialog } from './NewChatDialog';
import { GoToConversation } from './GoToConversation';
import { NewGroupDialog } from './NewGroupDialog';
import { NotificationPrompt } from './NotificationPrompt';
import { useBackToList } from './use-back-to-list';
import { useActivity } from '../hooks/use-activity';
import { useVisibleHeight } from '../hooks/use-visible-height';
import { useWindowTitle } from '../hooks/use-window-title';
import { SearchPanel } from '../search/SearchPanel';
import { SettingsDialog } from '../settings/SettingsDialog';
import { useOwnProfile } from '../use-users';

export function MainScreen() {
  const client = useClient();
  const openId = useUi((s) => s.openConversationId);
  const [newChat, setNewChat] = useState(false);
  const [newGroup, setNewGroup] = useState(false);
  const settings = useUi((s) => s.settingsOpen);
  const setSettings = useUi((s) => s.setSettingsOpen);
  const [goTo, setGoTo] = useState(false);
  useActivity(client);
  const profile = useOwnProfile();
  // Shortcuts: the desktop app's menu sends them; in a browser Ctrl/Cmd+K is caught here.
  useEffect(() => {
    const run = (command: DesktopCommand) => {
      if (command === 'new-chat') setNewChat(true);
      else if (command === 'go-to-conversation') setGoTo(true);
      else document.getElementById('search-messages')?.focus();
    };
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        run('go-to-conversation');
      }
    };
    window.addEventListener('keydown', onKey);
    const stop = desktopApi()?.onCommand(run);
    return () => {
      window.removeEventListener('keydown', onKey);
      stop?.();
    };
  }, []);
  useWindowTitle(client);
  useBackToList();
  useVisibleHeight();

  return (
    <div className={`app ${openId ? 'has-open' : ''}`}>
      <aside className="sidebar">
        <header className="sidebar-head">
          <div className="me">
            <strong>
              <bdi>{profile.displayName || profile.username}</bdi>
            </strong>
            <span className="muted">@{profile.username}</span>
          </div>
          <button type="button" onClick={() => setSettings(true)} className="quiet">
            {t('main.settings')}
          </button>
        </header>
        <ConnectionStatus />
        <NotificationPrompt />
        <div className="actions">
          <button type="button" className="primary" onClick={() => setNewChat(true)}>
            {t('main.newChat')}
          </button>
          <button type="button" onClick={() => setNewGroup(true)}>
            {t('main.newGroup')}
          </button>
        </div>
        <SearchPanel />
        <ConversationList />
      </aside>
      <main className="pane">
        {openId ? <ConversationView key={openId} conversationId={openId} /> : <p className="empty">{t('main.choose')}</p>}
      </main>
      {newChat && <NewChatDialog onClose={() => setNewChat(false)} />}
      {newGroup && <NewGroupDialog onClose={() => setNewGroup(false)} />}
      {settings && <SettingsDialog onClose={() => setSettings(false)} />}
      {goTo && <GoToConversation onClose={() => setGoTo(false)} />}
    </div>
  );
}
