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
  // The desktop app's menu, tray and badge speak the page's language.
  useEffect(() => {
    desktopApi()?.setLanguage(lng);
  }, [lng]);
  return <SessionScreens lng={lng} />;
}

/** The signed-in client lives here; only the screens below it are re-made for a new language. */
function SessionScreens({ lng }: { lng: string }) {
  const session = useSession((s) => s.session);
  const [client, setClient] = useState<TidingsClient | null>(null);

  // The desktop app's bundled server runs while a session is on it, and may have moved to
  // another port since the last run: the session follows it (its local store is named by
  // `bundled`, so nothing is lost). Signed out, or signed in elsewhere: main may stop it, and
  // no longer starts it with the app.
  useEffect(() => {
    const api = desktopApi();
    if (!api) return;
    if (!session?.bundled) {
      api.releaseBundledServer();
      return;
    }
    api.startBundledServer().then(
      (running) => {
        if (running.url !== session.serverUrl) useSession.getState().signIn({ ...session, serverUrl: running.url });
      },
      (err: unknown) => console.warn('[tidings] bundled server', err),
    );
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
    const notifications = notificationHooks(() => current);
    const c = new TidingsClient(session, {
      profile,
      ...notifications.hooks,
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
    return () => {
      // Signed out, revoked or another account: nothing of this one stays on screen.
      notifications.dispose();
      c.stop();
    };
  }, [session]);

  if (!session) return <SignIn key={lng} />;
  if (!client) return null;
  return (
    <ClientContext.Provider value={client}>
      <MainScreen key={lng} />
    </ClientContext.Provider>
  );
}
