/** Writing small files so a crash never leaves half a file: write a temp file, then rename it over. */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `text` to `path` through a temp file in the same folder and a rename, creating the
 * folder if needed. The file gets permissions `mode` (e.g. `0o600`: owner only; ignored on
 * Windows, where the user-data folder is already per-user).
 * @throws a Node error when the folder or file cannot be written.
 */
export function writeFileAtomic(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text, { encoding: 'utf8', mode });
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
