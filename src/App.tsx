import { useEffect, useState } from 'react';
import { useUi } from './state/connection';
import { useSession } from './state/session';
import { TidingsClient } from './sync/client';
import { ClientContext } from './ui/client-context';
import { MainScreen } from './ui/main/MainScreen';
import { SignIn } from './ui/sign-in/SignIn';

export function App() {
  const session = useSession((s) => s.session);
  const signOut = useSession((s) => s.signOut);
  const [client, setClient] = useState<TidingsClient | null>(null);

  useEffect(() => {
    if (!session) {
      setClient(null);
      return;
    }
    const ui = useUi.getState();
    ui.setSyncStatus('catching-up');
    const c = new TidingsClient(session, {
      onStatus: (s) => useUi.getState().setSyncStatus(s),
      onProgress: (done, total) => useUi.getState().setProgress(done, total),
      onUnauthorized: (message) => {
        c.close();
        signOut(message);
      },
      onError: (err) => console.warn('[tidings]', err),
    });
    setClient(c);
    return () => c.stop();
  }, [session, signOut]);

  if (!session) return <SignIn />;
  if (!client) return null;
  return (
    <ClientContext.Provider value={client}>
      <MainScreen />
    </ClientContext.Provider>
  );
}
