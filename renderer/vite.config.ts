import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The renderer: one React app for every window kind, built to out/renderer with relative paths (file:// in Electron). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome120',
  },
  logLevel: 'warn',
});
