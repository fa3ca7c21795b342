// After `npm install`: fetch the Electron binary when this machine can, and carry on when it
// cannot. Electron's own install script fails the whole install when its download fails (no
// internet, a registry-only mirror), yet the web app, the build and every test run without the
// binary; only `npm run desktop` needs it. So npm skips that script (package.json allowScripts)
// and this one runs it, turning a failed download into a note instead of a failed install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);

let installer;
try {
  installer = join(dirname(createRequire(import.meta.url).resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // installed without dev dependencies: no desktop app to fetch for
}
if (!existsSync(installer)) process.exit(0);

const run = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
if (run.status !== 0) {
  const why = run.error?.message ?? run.stderr.toString().trim().split('\n')[0] ?? `exit ${run.status}`;
  console.warn(
    [
      'tidings: the Electron binary could not be downloaded (' + why + ').',
      '  The web app (npm start), the build and the tests do not need it.',
      '  For the desktop app, get it later with: node node_modules/electron/install.js',
    ].join('\n'),
  );
}
