/**
 * Whether the person chose the bundled server, and on which port it ran: `<userData>/server/
 * bundled-server.json`. Kept apart from bundled-server.ts so that reading it at start-up does
 * not load the server's modules. Signing out of it, or signing in elsewhere, keeps the port (the
 * data is still there if the person comes back) but no longer starts it with the app.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const SETTINGS_FILE = 'bundled-server.json';

/** Saved once the bundled server has been chosen. A file without `start` is from before it existed, when the file meant "start it". */
export const BundledSettingsSchema = z.object({ port: z.number().int().min(1).max(65_535), start: z.boolean().default(true) });
export type BundledSettings = z.infer<typeof BundledSettingsSchema>;

export function loadBundledSettings(dataDir: string): BundledSettings | null {
  try {
    const parsed = BundledSettingsSchema.safeParse(JSON.parse(readFileSync(join(dataDir, SETTINGS_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveBundledSettings(dataDir: string, settings: BundledSettings): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SETTINGS_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(settings));
  renameSync(`${file}.tmp`, file);
}


/** Whether the app starts the bundled server as it launches: it was chosen, and not left since. */
export function startsAtLaunch(dataDir: string): boolean {
  return loadBundledSettings(dataDir)?.start === true;
}
