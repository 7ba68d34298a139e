import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// main: the Electron shell (security + IPC relay); preload: the narrow typed API (CommonJS, as a
// sandboxed preload must be); renderer: the React UI, also served by `npm run serve` in browser mode.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // engine-host: the utility process of a packaged app (a checkout runs its TypeScript sources instead).
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/main/index.ts'), 'engine-host': resolve(__dirname, 'electron/main/engine-host.ts') },
        external: ['electron'],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages: bundle zod into it.
      externalizeDeps: { exclude: ['zod'] },
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
