import { defineConfig } from 'tsup';

/** Main, preload, engine worker and headless host, bundled to CommonJS under out/. */
export default defineConfig({
  entry: {
    'main/index': 'electron/main/index.ts',
    'preload/index': 'electron/preload/index.ts',
    'engine/worker': 'electron/engine/worker.ts',
    'host/cli': 'electron/host/cli.ts',
  },
  outDir: 'out',
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: false,
  splitting: false,
  external: ['electron', 'better-sqlite3'],
});
