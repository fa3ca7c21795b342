/** The signed-in account's client, created once per session and shared by the screens. */
import { createContext, useContext } from 'react';
import type { TidingsClient } from '../sync/client';

export const ClientContext = createContext<TidingsClient | null>(null);

export function useClient(): TidingsClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside a signed-in screen');
  return client;
}
