/**
 * The settings file of Export / Import: `workstation-settings.json`,
 *
 * ```json
 * { "format": "trading-workstation-settings", "version": 1, "exportedAt": "2024-05-01T13:30:00.000Z", "settings": { … } }
 * ```
 *
 * pretty-printed with 2 spaces. `settings` is the whole {@link Settings} object. API keys are
 * never part of the settings (they live in the OS keychain through the main process, or in the
 * headless host's environment), so a file can be shared or kept in a repository without leaking
 * them. Pure: no DOM.
 */
import type { Settings } from '../../../shared/domain';
import type { SettingsPatch } from '../../../shared/protocol';
import { parseSettings } from '../../../shared/schemas';
import { deepEqual, problemOf } from './settings-form';

/** The `format` of a settings file. */
export const SETTINGS_FILE_FORMAT = 'trading-workstation-settings';
/** The version this workstation writes and the newest it reads. */
export const SETTINGS_FILE_VERSION = 1;
/** The name an export is saved under. */
export const SETTINGS_FILE_NAME = 'workstation-settings.json';

/** A parsed settings file. */
export interface SettingsFile {
  readonly format: typeof SETTINGS_FILE_FORMAT;
  readonly version: number;
  /** When it was exported (ISO 8601, UTC); null when the file does not say. */
  readonly exportedAt: string | null;
  /** Complete, validated settings. */
  readonly settings: Settings;
}

/** Result of {@link parseSettingsFile}: the file, or why it cannot be imported (with the bad settings field when there is one). */
export type SettingsFileResult =
  | { readonly ok: true; readonly file: SettingsFile }
  | { readonly ok: false; readonly message: string; readonly field?: string };

/** The groups of {@link Settings}, in the order the window shows them. */
export const SETTINGS_GROUPS = [
  'screeners',
  'anomaly',
  'risk',
  'paper',
  'broker',
  'hotkeys',
  'notifications',
  'appearance',
  'ticket',
  'recording',
  'watchlist',
  'charts',
  'healthThresholds',
  'logging',
] as const satisfies readonly (keyof Settings)[];

// Every settings group is listed above: a new group that is not fails to compile here.
const everyGroupListed: Record<Exclude<keyof Settings, SettingsGroup>, never> = {};
void everyGroupListed;

export type SettingsGroup = (typeof SETTINGS_GROUPS)[number];

/** Settings groups as the trader reads them. */
export const SETTINGS_GROUP_LABELS: Readonly<Record<SettingsGroup, string>> = {
  screeners: 'Screeners',
  anomaly: 'Anomaly detector',
  risk: 'Risk limits',
  paper: 'Paper broker',
  broker: 'Broker stream',
  hotkeys: 'Hotkeys',
  notifications: 'Notifications',
  appearance: 'Appearance',
  ticket: 'Order ticket',
  recording: 'Recording',
  watchlist: 'Watchlist',
  charts: 'Charts',
  healthThresholds: 'Health thresholds',
  logging: 'Log level',
};

/**
 * The export of `settings`: the file's JSON text, pretty-printed with 2 spaces and ending in a
 * newline. `exportedAt` defaults to now.
 */
export function serializeSettingsFile(settings: Settings, exportedAt: Date = new Date()): string {
  const file = { format: SETTINGS_FILE_FORMAT, version: SETTINGS_FILE_VERSION, exportedAt: exportedAt.toISOString(), settings };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Reads a settings file's text. Refuses, with a message for the trader: text that is not JSON, a
 * file of another format, a version this workstation does not read (a newer one says to update),
 * and settings that fail validation (`parseSettings`), naming the bad field (`field`, e.g.
 * `risk.maxOrderQuantity`) in the message.
 */
export function parseSettingsFile(text: string): SettingsFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, message: 'This file is not a settings export: it is not JSON.' };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { ok: false, message: 'This file is not a settings export: it holds no settings object.' };
  const file = data as Record<string, unknown>;
  if (file.format !== SETTINGS_FILE_FORMAT) {
    return { ok: false, message: `This file is not a settings export of the workstation (its format is ${JSON.stringify(file.format ?? null)}, expected "${SETTINGS_FILE_FORMAT}").` };
  }
  const version = file.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, message: `This settings file has no valid version (${JSON.stringify(version ?? null)}).` };
  }
  if (version > SETTINGS_FILE_VERSION) {
    return {
      ok: false,
      message: `This settings file is version ${version}, written by a newer workstation; this one reads version ${SETTINGS_FILE_VERSION}. Update the workstation to import it.`,
    };
  }
  if (file.exportedAt !== undefined && typeof file.exportedAt !== 'string') return { ok: false, message: 'This settings file has an invalid export time (exportedAt).' };
  if (file.settings === null || typeof file.settings !== 'object' || Array.isArray(file.settings)) {
    return { ok: false, message: 'This settings file holds no settings.' };
  }
  const unknownKey = Object.keys(file.settings).find((key) => !(SETTINGS_GROUPS as readonly string[]).includes(key));
  if (unknownKey !== undefined) {
    return { ok: false, message: `This settings file is invalid: ${unknownKey} is not a setting this workstation knows.`, field: unknownKey };
  }
  const parsed = parseSettings(file.settings);
  if (!parsed.ok) {
    const { field, message } = problemOf(parsed.error);
    return field === ''
      ? { ok: false, message: `This settings file is invalid: ${message}.` }
      : { ok: false, message: `This settings file is invalid: ${field} ${message}.`, field };
  }
  return { ok: true, file: { format: SETTINGS_FILE_FORMAT, version, exportedAt: typeof file.exportedAt === 'string' ? file.exportedAt : null, settings: parsed.value } };
}

/** The groups whose values differ between two settings, in {@link SETTINGS_GROUPS} order. */
export function differingGroups(current: Settings, incoming: Settings): SettingsGroup[] {
  return SETTINGS_GROUPS.filter((group) => !deepEqual(current[group], incoming[group]));
}

/**
 * The `updateSettings` patch of an import: every group of the imported settings, except the
 * risk limits when they are locked for the session (the engine would refuse the whole patch).
 */
export function importPatch(incoming: Settings, riskLocked: boolean): SettingsPatch {
  const { risk, ...rest } = incoming;
  return riskLocked ? rest : { ...rest, risk };
}
