import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { cspPlugin } from './electron/build-config/csp';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Dependencies stay external (electron-vite's default): node_modules are shipped with the
      // app, and better-sqlite3 is a native module that must be loaded from its own folder (and
      // rebuilt for Electron's ABI: `electron-builder install-app-deps`, done when packaging).
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only `electron` (and a few Node shims): zod and the
      // bridge are bundled into it.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src',
    publicDir: resolve(__dirname, 'src/public'),
    base: './',
    plugins: [react(), cspPlugin()],
    build: {
      outDir: 'out/renderer',
      // The renderer is also the web client served over the network.
      minify: true,
      sourcemap: true,
      rollupOptions: { input: resolve(__dirname, 'src/index.html') },
    },
  },
});
