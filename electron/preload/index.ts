/**
 * The preload: the only bridge between the sandboxed renderer and the main process. It
 * exposes a small typed API as `window.tidings`; the renderer works without it (browser mode).
 */
import { contextBridge } from 'electron';

const api = {
  platform: process.platform,
  desktop: true as const,
};

export type TidingsDesktopApi = typeof api;

contextBridge.exposeInMainWorld('tidings', api);
