import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Import direction of DESIGN.md: shared ← engine, main, preload, host, renderer; no other crossings. */
const boundary = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: patterns.map((group) => ({ group: [group.pattern], message: group.message })),
        paths: [
          { name: 'electron', importNames: ['ipcRenderer', 'ipcMain'], message: 'Use the typed IPC wrappers (electron/main/ipc.ts, electron/preload/ipc.ts).' },
        ],
      },
    ],
  },
});

const NOT = (folder, why) => ({ pattern: `**/${folder}/**`, message: why });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', '.tsc/**', 'node_modules/**', 'bench-results/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['*.config.{js,ts}', 'renderer/vite.config.ts'], rules: { 'no-restricted-syntax': 'off' } },
  boundary(['shared/**'], [
    NOT('electron', 'shared/ runs everywhere: it may not import electron/.'),
    NOT('renderer', 'shared/ may not import the renderer.'),
    { pattern: 'node:*', message: 'shared/ has no Node: inject what you need.' },
    { pattern: 'electron', message: 'shared/ has no Electron.' },
    { pattern: 'react', message: 'shared/ has no React.' },
  ]),
  boundary(['electron/engine/**'], [
    NOT('main', 'The engine never imports main.'),
    NOT('preload', 'The engine never imports preload.'),
    NOT('host', 'The engine never imports the host.'),
    NOT('renderer', 'The engine never imports the renderer.'),
    { pattern: 'electron', message: 'The engine runs in plain Node: no electron.' },
  ]),
  boundary(['electron/main/**'], [
    NOT('engine', 'Main talks to the engine through the worker protocol only.'),
    NOT('host', 'Main never imports the host.'),
    NOT('renderer', 'Main never imports the renderer.'),
  ]),
  boundary(['electron/preload/**'], [
    NOT('engine', 'Preload never imports the engine.'),
    NOT('main', 'Preload never imports main.'),
    NOT('renderer', 'Preload never imports the renderer.'),
  ]),
  boundary(['electron/host/**'], [
    NOT('engine', 'The host talks to the engine through the worker protocol only.'),
    NOT('main', 'The host never imports main.'),
    NOT('renderer', 'The host serves the built renderer; it never imports it.'),
    { pattern: 'electron', message: 'The host runs in plain Node: no electron.' },
  ]),
  boundary(['renderer/**'], [
    NOT('electron', 'The renderer reaches the engine through WorkstationClient only.'),
    { pattern: 'node:*', message: 'The renderer has no Node.' },
    { pattern: 'electron', message: 'The renderer has no Electron: use window.workstation.' },
  ], ['renderer/vite.config.ts']),
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['electron/main/ipc.ts', 'electron/preload/ipc.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
