/**
 * Settings → Data & Brokers, kept by main in `connections.json` in the user-data folder:
 * validated with zod on read and on write; a missing file means the defaults (simulated market,
 * paper broker), a bad one is logged and the defaults used. The file holds no key or secret.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ConnectionSettings } from '../../shared/preload-api';
import { writeFileAtomic } from './atomic-file';

/** File name of the connection settings in the user-data folder. */
export const CONNECTIONS_FILE = 'connections.json';

/** First launch: no keys needed. */
export const DEFAULT_CONNECTION_SETTINGS: ConnectionSettings = {
  dataPrimary: 'simulated',
  dataBackup: 'none',
  alpacaFeed: 'iex',
  broker: 'paper',
  alpacaEnvironment: 'paper',
};

/** Schema of {@link ConnectionSettings}, field by field (rules that span fields are the service's). */
export const connectionSettingsSchema = z.strictObject({
  dataPrimary: z.enum(['simulated', 'alpaca', 'polygon']),
  dataBackup: z.enum(['none', 'alpaca', 'polygon']),
  alpacaFeed: z.enum(['iex', 'sip']),
  broker: z.enum(['paper', 'alpaca']),
  alpacaEnvironment: z.enum(['paper', 'live']),
}) satisfies z.ZodType<ConnectionSettings>;

/** The persisted form: a version, so a later format can be told apart. */
const fileSchema = z.object({ version: z.literal(1), settings: connectionSettingsSchema });

/**
 * Reads the settings at `path`.
 * @returns the saved settings; the defaults when the file is missing, or (logged through `warn`)
 *   unreadable or invalid.
 */
export function readConnectionSettings(path: string, warn: (message: string) => void): ConnectionSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`Could not read ${CONNECTIONS_FILE} (${(error as Error).message}); using the defaults`);
    return DEFAULT_CONNECTION_SETTINGS;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    warn(`${CONNECTIONS_FILE} is not valid JSON; using the defaults`);
    return DEFAULT_CONNECTION_SETTINGS;
  }
  const parsed = fileSchema.safeParse(json);
  if (parsed.success) return parsed.data.settings;
  const issue = parsed.error.issues[0];
  warn(`${CONNECTIONS_FILE} is invalid (${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid'}); using the defaults`);
  return DEFAULT_CONNECTION_SETTINGS;
}

/**
 * Validates and writes `settings` to `path` atomically (temp file, then rename).
 * @throws {z.ZodError} when the settings are invalid; a Node error when the file cannot be written.
 */
export function writeConnectionSettings(path: string, settings: ConnectionSettings): void {
  const valid = connectionSettingsSchema.parse(settings);
  writeFileAtomic(path, `${JSON.stringify({ version: 1, settings: valid }, null, 2)}\n`, 0o644);
}
