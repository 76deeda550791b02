#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into `.electron-native/better_sqlite3.node`, leaving
 * the Node build in node_modules untouched so `npm test` keeps working. Main passes the file to
 * the engine worker, which opens the database with better-sqlite3's `nativeBinding` option.
 *
 * The build is Electron's documented manual one ("Using Native Node Modules"): node-gyp with
 * `--runtime=electron --target=<version> --dist-url=https://electronjs.org/headers`, using the
 * node-gyp that npm ships (npm passes its path in `npm_config_node_gyp`).
 *
 * Runs before `npm start`; skips the work when the binary for this Electron version exists.
 * Needs the network once (Electron headers) — on a trader's PC, not on CI.
 */
import { execFileSync } from 'node:child_process';
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

const nodeGyp = process.env.npm_config_node_gyp ?? join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
if (!existsSync(nodeGyp)) {
  process.stderr.write(`node-gyp not found (${nodeGyp}); run this through npm (npm start)\n`);
  process.exit(1);
}

const work = join(outDir, 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const source = dirname(require.resolve('better-sqlite3/package.json'));
cpSync(source, work, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });

process.stdout.write(`Building better-sqlite3 for Electron ${electronVersion}…\n`);
execFileSync(
  process.execPath,
  [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
  // A configured nodedir would make node-gyp build against Node's headers instead of Electron's.
  { cwd: work, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '' } },
);
cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), binary);
rmSync(work, { recursive: true, force: true });
writeFileSync(stamp, `${electronVersion}\n`);
process.stdout.write(`Electron build of better-sqlite3 written to ${binary}\n`);
