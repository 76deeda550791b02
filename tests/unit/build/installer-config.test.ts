/**
 * The installer configuration (electron-builder.yml) is valid for electron-builder, locks the
 * packaged Electron down with fuses, packages better-sqlite3 for Electron, and names files that
 * exist. `npm run dist` needs the Electron download, so this is what CI can check of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/shared-data';

const require = createRequire(import.meta.url);
// Dependencies of electron-builder, already in node_modules (untyped here: only what the test uses).
const yaml = require('js-yaml') as { load(text: string): unknown };
const Ajv = require('ajv') as new (options: object) => {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
};
const { minimatch } = require('minimatch') as { minimatch(path: string, pattern: string, options?: object): boolean };

interface BuilderConfig {
  readonly directories: { readonly buildResources: string; readonly output: string };
  readonly files: readonly string[];
  readonly icon: string;
  readonly asar: boolean;
  readonly asarUnpack: readonly string[];
  readonly npmRebuild: boolean;
  readonly electronFuses: Record<string, boolean>;
  readonly win: { readonly target: string | readonly string[] };
  readonly nsis: { readonly perMachine: boolean; readonly oneClick: boolean };
  readonly mac: {
    readonly target: readonly string[];
    readonly hardenedRuntime: boolean;
    readonly entitlements: string;
    readonly entitlementsInherit: string;
    readonly notarize: boolean;
  };
  readonly linux: { readonly target: readonly string[] };
}

const CONFIG_PATH = join(REPO_ROOT, 'electron-builder.yml');
const config = yaml.load(readFileSync(CONFIG_PATH, 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

const asList = (value: string | readonly string[]): readonly string[] => (typeof value === 'string' ? [value] : value);

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema (app-builder-lib/scheme.json)", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('flips the fuses that close Node-level back doors in the packaged app', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('grants file:// its extra privileges only while windows load the renderer from file://', () => {
    // Off, Chromium refuses the renderer's module scripts from file:// (CORS); so the fuse is off
    // exactly when the windows have moved to a custom protocol.
    const windowManager = readFileSync(join(REPO_ROOT, 'electron', 'main', 'window-manager.ts'), 'utf8');
    const loadsFromFile = /\.loadFile\(/.test(windowManager);
    expect(config.electronFuses).toHaveProperty('grantFileProtocolExtraPrivileges');
    expect(config.electronFuses.grantFileProtocolExtraPrivileges).toBe(loadsFromFile);
  });

  it('builds a per-user NSIS installer for Windows', () => {
    expect(asList(config.win.target)).toContain('nsis');
    expect(config.nsis.perMachine).toBe(false);
  });

  it('builds a hardened, notarizable dmg and zip for macOS', () => {
    expect(config.mac.target).toEqual(expect.arrayContaining(['dmg', 'zip']));
    expect(config.mac.hardenedRuntime).toBe(true);
    // electron-builder notarizes when APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID are set.
    expect(config.mac.notarize).toBe(true);
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const plist = readFileSync(join(REPO_ROOT, file), 'utf8');
      expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
      // Nothing that would undo the hardened runtime.
      expect(plist).not.toMatch(/allow-dyld-environment-variables|disable-executable-page-protection|get-task-allow/);
    }
  });

  it('builds an AppImage and a deb for Linux', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it("packs the app in asar, rebuilds better-sqlite3 for Electron and unpacks its .node addon", () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(pkg.dependencies).toHaveProperty('better-sqlite3');
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(config.asarUnpack.some((pattern) => minimatch(addon, pattern, { dot: true }))).toBe(true);
  });

  it('packages the built app (the entry point in package.json) without source maps', () => {
    expect(config.files.some((pattern) => minimatch(pkg.main, pattern))).toBe(true);
    expect(config.files).toContain('!out/**/*.map');
    expect(pkg.scripts.dist).toMatch(/npm run build && electron-builder --config electron-builder\.yml/);
  });

  it('names files that exist', () => {
    const referenced = [config.icon, config.mac.entitlements, config.mac.entitlementsInherit];
    for (const file of referenced) expect(existsSync(join(REPO_ROOT, file)), file).toBe(true);
    expect(existsSync(join(REPO_ROOT, config.directories.buildResources))).toBe(true);
  });
});

describe('build/icon.png (drawn by build/make-icon.mjs)', () => {
  const png = PNG.sync.read(readFileSync(join(REPO_ROOT, 'build', 'icon.png')));
  const pixel = (x: number, y: number): number[] => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4)];

  it('is a 1024×1024 RGBA image, the size electron-builder derives .ico and .icns from', () => {
    expect([png.width, png.height]).toEqual([1024, 1024]);
  });

  it('shows green and red candles on the dark background, with transparent corners', () => {
    expect(pixel(0, 0)[3]).toBe(0);
    expect(pixel(1023, 1023)[3]).toBe(0);
    expect(pixel(512, 120)).toEqual([15, 17, 21, 255]);
    expect(pixel(752, 400)).toEqual([38, 166, 154, 255]);
    expect(pixel(272, 650)).toEqual([239, 83, 80, 255]);
  });
});
