/**
 * Electronegativity (Doyensec's Electron security linter) over main, preload and the renderer
 * page: no finding unless it is listed, with the reason, in build/electronegativity-accepted.json.
 *
 * Offline: the two network look-ups electronegativity makes (updated translations and Electron's
 * release list for AvailableSecurityFixesGlobalCheck) are stubbed, and that check, which only
 * says whether a newer Electron exists, is left out. The Electron version is the installed one.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/shared-data';

interface Finding {
  readonly id: string;
  readonly file: string;
  readonly location: { readonly line: number; readonly column: number };
  readonly sample: string;
  readonly description: string;
}

interface Accepted {
  readonly check: string;
  readonly file: string;
  readonly match: string;
  readonly why: string;
}

type Run = (options: Record<string, unknown>) => Promise<{ errors: Array<{ file: string; message: string; tolerable: boolean }>; issues: Finding[] }>;

const require = createRequire(import.meta.url);

/** `got` for electronegativity: every request fails at once, as with no network. */
function offlineGot(): void {
  const runner = require.resolve('@doyensec/electronegativity');
  const gotPath = createRequire(runner).resolve('got');
  const fail = (): Promise<never> => Promise.reject(new Error('offline (tests/integration/electronegativity.test.ts)'));
  const got = Object.assign(fail, { head: fail, get: fail });
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: got } as unknown as NodeJS.Module;
}

/** What is scanned: the Electron sources, copied so that nothing else (node_modules, tests) is. */
const SCANNED = ['electron/main', 'electron/preload', 'renderer/index.html'];

const ACCEPTED = (JSON.parse(readFileSync(join(REPO_ROOT, 'build', 'electronegativity-accepted.json'), 'utf8')) as { accepted: Accepted[] }).accepted;

const covers = (entry: Accepted, finding: Finding): boolean =>
  entry.check === finding.id && entry.file === finding.file.replaceAll('\\', '/') && finding.sample.includes(entry.match);

describe('electronegativity', () => {
  let input = '';
  let findings: Finding[] = [];
  let errors: Array<{ file: string; message: string; tolerable: boolean }> = [];

  beforeAll(async () => {
    input = mkdtempSync(join(tmpdir(), 'tw-electronegativity-'));
    for (const path of SCANNED) {
      mkdirSync(dirname(join(input, path)), { recursive: true });
      cpSync(join(REPO_ROOT, path), join(input, path), { recursive: true });
    }
    offlineGot();
    const run = require('@doyensec/electronegativity') as Run;
    const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
    const result = await run({
      input,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    });
    findings = result.issues;
    errors = result.errors;
  });
  afterAll(() => {
    if (input) rmSync(input, { recursive: true, force: true });
  });

  it('parses every scanned file (TypeScript included)', () => {
    expect(errors.filter((e) => !e.tolerable)).toEqual([]);
  });

  it('finds nothing that is not accepted, with a reason, in build/electronegativity-accepted.json', () => {
    const unexplained = findings
      .filter((finding) => !ACCEPTED.some((entry) => covers(entry, finding)))
      .map((f) => `${f.id} ${f.file}:${f.location.line} ${f.sample.trim()} — ${f.description}`);
    expect(unexplained).toEqual([]);
  });

  it('lists no accepted finding that no longer occurs, and explains each one', () => {
    for (const entry of ACCEPTED) {
      expect(entry.why.length, `${entry.check} ${entry.file}`).toBeGreaterThan(40);
      expect(findings.some((finding) => covers(entry, finding)), `stale entry: ${entry.check} ${entry.file} "${entry.match}"`).toBe(true);
    }
  });
});
