import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
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
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // The renderer is also the web client served over the network.
      minify: true,
      sourcemap: true,
      rollupOptions: { input: resolve(__dirname, 'src/index.html') },
    },
  },
});
