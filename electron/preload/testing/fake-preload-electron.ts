/**
 * A stand-in for what a sandboxed preload gets from `electron` (`contextBridge`, `ipcRenderer`),
 * enough to run electron/preload/index.ts in plain Node under vitest (`vi.mock('electron', …)`):
 * what it exposes, sends and invokes is recorded, and a test plays main's side with `emit` and
 * `answers`.
 */
type Listener = (event: unknown, ...args: unknown[]) => void;

export function createFakePreloadElectron() {
  const state = {
    exposed: new Map<string, unknown>(),
    sent: [] as [string, unknown[]][],
    invoked: [] as [string, unknown[]][],
    /** What main answers an `invoke` on each channel. */
    answers: new Map<string, unknown>(),
    listeners: new Map<string, Set<Listener>>(),
  };
  /** The event object main's messages arrive with: it must never reach the page. */
  const ipcEvent = { sender: { send: () => undefined, invoke: () => undefined }, ports: [] };

  const ipcRenderer = {
    send(channel: string, ...args: unknown[]) {
      state.sent.push([channel, args]);
    },
    invoke(channel: string, ...args: unknown[]) {
      state.invoked.push([channel, args]);
      return Promise.resolve(state.answers.get(channel));
    },
    on(channel: string, listener: Listener) {
      const set = state.listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      state.listeners.set(channel, set);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: Listener) {
      state.listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown) {
      if (state.exposed.has(key)) throw new Error(`${key} exposed twice`);
      state.exposed.set(key, api);
    },
  };

  /** Main sends `payload` on `channel` to this window. */
  const emit = (channel: string, payload: unknown) => {
    for (const l of state.listeners.get(channel) ?? []) l(ipcEvent, payload);
  };
  const listenerCount = (channel: string) => state.listeners.get(channel)?.size ?? 0;

  return { electron: { contextBridge, ipcRenderer }, state, emit, listenerCount, ipcEvent };
}
