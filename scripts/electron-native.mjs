#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into `.electron-native/better_sqlite3.node`, leaving
 * the Node build in node_modules untouched so `npm test` keeps working. Main passes the file to
 * the engine worker, which opens the database with better-sqlite3's `nativeBinding` option.
 *
 * Runs before `npm start`; skips the work when the binary for this Electron version exists.
 * Needs the network once (Electron headers) — on a trader's PC, not on CI.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const outDir = join(root, '.electron-native');
const binary = join(outDir, 'better_sqlite3.node');
const stamp = join(outDir, 'electron-version.txt');

const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === electronVersion) {
  process.exit(0);
}

const work = join(outDir, 'work');
rmSync(work, { recursive: true, force: true });
const source = dirname(require.resolve('better-sqlite3/package.json'));
const target = join(work, 'node_modules', 'better-sqlite3');
mkdirSync(dirname(target), { recursive: true });
cpSync(source, target, { recursive: true, filter: (path) => !path.includes(`${join('better-sqlite3', 'build')}`) });
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }));

const { rebuild } = await import('@electron/rebuild');
process.stdout.write(`Building better-sqlite3 for Electron ${electronVersion}…\n`);
await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true });
cpSync(join(target, 'build', 'Release', 'better_sqlite3.node'), binary);
writeFileSync(stamp, `${electronVersion}\n`);
rmSync(work, { recursive: true, force: true });
process.stdout.write(`Electron build of better-sqlite3 written to ${binary}\n`);
