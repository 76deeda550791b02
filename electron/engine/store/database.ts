/**
 * The workstation's SQLite database (better-sqlite3) in the user-data folder.
 *
 * - WAL journal: readers never block the writer.
 * - `synchronous = FULL`: a committed transaction (an acknowledged order or a fill) survives a
 *   crash or power loss; in WAL mode this costs one fsync per commit, which the order path can
 *   afford (orders are not high-rate; ticks are recorded in batched transactions).
 * - Versioned migrations: `PRAGMA user_version` holds the number of migrations applied; each
 *   runs in its own transaction.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations';

export type SqliteDatabase = Database.Database;

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** Path of the database file, or `:memory:`. */
  readonly path: string;
  /** Path of a better-sqlite3 native addon built for another runtime (Electron's ABI). */
  readonly nativeBinding?: string;
  /** Schema migrations (default: the workstation's). */
  readonly migrations?: readonly string[];
  /** `FULL` (default: committed = durable) or `NORMAL` (data that may lose its last batch, e.g. recorded ticks). */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens (creating if needed) the database and brings its schema up to date.
 * @throws when the file cannot be opened or a migration fails (nothing of that migration is applied).
 */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('foreign_keys = ON');
  migrate(db, options.migrations);
  return db;
}

/** Applies the migrations not yet applied, in order. Returns the schema version reached. */
export function migrate(db: SqliteDatabase, migrations: readonly string[] = MIGRATIONS): number {
  let version = db.pragma('user_version', { simple: true }) as number;
  for (; version < migrations.length; version++) {
    const sql = migrations[version] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return version;
}
