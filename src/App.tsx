import { useEffect, useState } from 'react';
import { desktopApi } from './desktop/bridge';
import { language, onLanguageChanged } from './i18n';
import { useUi } from './state/connection';
import { profile } from './state/profile';
import { useLive } from './state/live';
import { useSession } from './state/session';
import { TidingsClient } from './sync/client';
import { ClientContext } from './ui/client-context';
import { MainScreen } from './ui/main/MainScreen';
import { notificationHooks } from './ui/notifications/desktop-notifications';
import { endSession } from './ui/settings/end-session';
import { SignIn } from './ui/sign-in/SignIn';

export function App() {
  // A new language re-renders every screen: the tree below is keyed by it.
  const [lng, setLng] = useState(language);
  useEffect(() => onLanguageChanged(() => setLng(language())), []);
  return <SessionScreens key={lng} />;
}

function SessionScreens() {
  const session = useSession((s) => s.session);
  const [client, setClient] = useState<TidingsClient | null>(null);

  // The desktop app's bundled server may have moved to another port since the last run: the
  // session follows it (its local store is named by `bundled`, so nothing is lost).
  useEffect(() => {
    const api = desktopApi();
    if (!session?.bundled || !api) return;
    void api.bundledServer().then((running) => {
      if (running && running.url !== session.serverUrl) useSession.getState().signIn({ ...session, serverUrl: running.url });
    });
  }, [session]);

  useEffect(() => {
    if (!session) {
      setClient(null);
      return;
    }
    const ui = useUi.getState();
    ui.setSyncStatus('catching-up');
    const live = useLive.getState();
    live.reset();
    let current: TidingsClient | null = null;
    const c = new TidingsClient(session, {
      profile,
      ...notificationHooks(() => current),
      onTyping: (conversationId, userIds) => useLive.getState().setTyping(conversationId, userIds),
      onPresence: (list) => useLive.getState().setPresence(list),
      onStatus: (s) => useUi.getState().setSyncStatus(s),
      onConnecting: () => useUi.getState().setConnecting(),
      onProgress: (done, total) => useUi.getState().setProgress(done, total),
      // Revoked from another device, or expired: this device forgets the account's data.
      onUnauthorized: (message) => void endSession(c, { tellServer: false, reason: message }),
      onError: (err) => console.warn('[tidings]', err),
    });
    current = c;
    setClient(c);
    return () => c.stop();
  }, [session]);

  if (!session) return <SignIn />;
  if (!client) return null;
  return (
    <ClientContext.Provider value={client}>
      <MainScreen />
    </ClientContext.Provider>
  );
}
