/**
 * Settings in SQLite, one row per top-level group, stored as JSON and validated on the way in and
 * out: a row that no longer validates falls back to the default for that group.
 */
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain';
import { parseSettings } from '../../../shared/schemas';
import type { SqliteDatabase } from './database';

/** Every settings group, one row each. */
const KEYS = Object.keys(DEFAULT_SETTINGS) as ReadonlyArray<keyof Settings>;

export class SettingsStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Stored settings merged over the defaults. */
  load(): Settings {
    const rows = this.db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings').all();
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const row of rows) {
      if (!(KEYS as readonly string[]).includes(row.key)) continue;
      try {
        const stored: unknown = JSON.parse(row.value);
        const base = merged[row.key];
        // A group stored by an older version lacks newer fields: they take their defaults.
        const value =
          typeof stored === 'object' && stored !== null && !Array.isArray(stored) && typeof base === 'object' && base !== null && !Array.isArray(base)
            ? { ...base, ...stored }
            : stored;
        const candidate = { ...merged, [row.key]: value };
        if (parseSettings(candidate).ok) merged[row.key] = candidate[row.key];
      } catch {
        // unreadable JSON: keep the default for this group
      }
    }
    const parsed = parseSettings(merged);
    return parsed.ok ? parsed.value : DEFAULT_SETTINGS;
  }

  /** Writes every group of already validated settings in one transaction. */
  save(settings: Settings, now: number): void {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    this.db.transaction(() => {
      for (const key of KEYS) upsert.run(key, JSON.stringify(settings[key]), now);
    })();
  }
}
