/**
 * Where the recorded market data lives for tests (`../shared/data` beside the repository; never
 * copied into it). Tests that need it skip with a clear message when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LEAN_DIR = resolve(REPO_ROOT, '..', 'shared', 'data', 'lean');
export const HAS_LEAN_DATA = existsSync(join(LEAN_DIR, 'equity', 'usa', 'tick', 'ibm'));
/** Appended to the names of tests that need the recorded data. */
export const NO_DATA_REASON = 'skipped when ../shared/data is absent';

/** Rows of a CSV with a header line, as records of strings. */
export function readReferenceCsv(name: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(join(LEAN_DIR, 'testdata', name), 'utf8').trim().split(/\r?\n/);
  const columns = (header ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}
