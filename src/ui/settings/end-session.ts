/**
 * Ending this device's session, by choice (`Sign out`) or because the server revoked it
 * (`Sign out device` on another device, or expiry): the client stops, the local store of this
 * account is deleted, and the sign-in screen shows why.
 */
import { useSession } from '../../state/session';
import { useUi } from '../../state/connection';
import { signOut } from '../../sync/api';
import type { TidingsClient } from '../../sync/client';

export async function endSession(client: TidingsClient, how: { tellServer: boolean; reason?: string }): Promise<void> {
  if (how.tellServer) await signOut(client.session.serverUrl, client.session.token).catch(() => {});
  client.close();
  await client.db.delete().catch(() => {});
  useUi.getState().resetForSession();
  useSession.getState().signOut(how.reason);
}
