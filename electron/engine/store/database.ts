/**
 * The workstation's SQLite database (better-sqlite3) in the user-data folder.
 *
 * - WAL journal: readers never block the writer.
 * - Durability: with `synchronous = FULL` (the default) every commit is fsynced. The engine opens
 *   its database with `NORMAL` and a {@link DurabilityBarrier} instead: each transaction commits
 *   at once (a crash of the app loses nothing committed: it is in the operating system's cache)
 *   and one fsync of the WAL before anything written is acknowledged to the trader (a command's
 *   reply, a frame's events) makes it survive power loss too. An order that goes through
 *   pending → accepted → filled in one command thus costs one fsync instead of four.
 * - Versioned migrations: `PRAGMA user_version` holds the number of migrations applied; each
 *   runs in its own transaction.
 */
import Database from 'better-sqlite3';
import { closeSync, fdatasyncSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
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
  /**
   * `FULL` (default: committed = durable), `NORMAL` (a power loss may lose the last commits: with
   * a {@link DurabilityBarrier}, or for data such as recorded ticks) or `OFF` (never synced: only
   * for measuring the code path in benchmarks).
   */
  readonly synchronous?: 'FULL' | 'NORMAL' | 'OFF';
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

/**
 * Group commit for a database opened with `synchronous = NORMAL` (SQLite, "PRAGMA synchronous":
 * in WAL mode, NORMAL commits without syncing the WAL; a power loss may roll back the last
 * commits, an application crash cannot). {@link sync} syncs the WAL (fdatasync) when any row changed since
 * the last sync, which makes every commit so far durable; call it before acknowledging anything
 * written. With `synchronous = FULL` (or an in-memory database) it has nothing to do.
 */
export class DurabilityBarrier {
  private readonly totalChanges: Database.Statement<[], number> | null;
  private syncedChanges = 0;
  private wal: number | null = null;

  constructor(private readonly db: SqliteDatabase) {
    let normal = (db.pragma('synchronous', { simple: true }) as number) === 1;
    if (normal && !db.memory && db.pragma('journal_mode', { simple: true }) !== 'wal') {
      // No WAL (a file system that cannot share memory): no file to sync, so every commit syncs.
      db.pragma('synchronous = FULL');
      normal = false;
    }
    this.totalChanges = normal && !db.memory ? db.prepare<[], number>('SELECT total_changes()').pluck() : null;
    this.syncedChanges = this.totalChanges?.get() ?? 0;
  }

  /**
   * Makes every commit so far durable (one fdatasync of the WAL file) when anything changed since
   * the last call; returns whether it synced.
   * @throws the file system's error when the WAL cannot be opened or synced (the data may not be
   *   on disk: treat as a failing store).
   */
  sync(): boolean {
    if (!this.totalChanges) return false;
    const changes = this.totalChanges.get() ?? 0;
    if (changes === this.syncedChanges) return false;
    // The WAL exists once anything was committed, and stays while the connection is open.
    // fdatasync, as SQLite itself syncs on Linux: the data and the size it needs, not the times.
    if (this.wal === null) {
      this.wal = openSync(`${this.db.name}-wal`, 'r+');
      syncDirectoryOf(this.db.name); // the WAL's directory entry, once (SQLite does so on its first WAL sync)
    }
    fdatasyncSync(this.wal);
    this.syncedChanges = changes;
    return true;
  }

  /** Closes the WAL handle (before the database closes). */
  close(): void {
    if (this.wal !== null) closeSync(this.wal);
    this.wal = null;
  }
}

/** fsyncs the directory holding `path` (where the platform allows: Windows cannot open a directory). */
function syncDirectoryOf(path: string): void {
  if (process.platform === 'win32') return;
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
