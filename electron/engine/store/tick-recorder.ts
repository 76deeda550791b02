/**
 * Recording of live market data: every normalized NBBO quote and trade, into its own SQLite file
 * (`recordings.db` beside the workstation's database), so a trader can replay a past session
 * through the {@link ReplayFeed}.
 *
 * - The live path only appends to an in-memory batch; the batch is written in one transaction
 *   every `flushMs` (default 200 ms) or at `maxBatch` ticks, with a prepared statement.
 * - `synchronous = NORMAL`: a power cut may lose the last batch of market data (never an order:
 *   those live in the main database, `FULL`).
 * - Retention: ticks older than the retention (days, a setting; default 30) are deleted at start
 *   and every hour; freed pages are returned to the file system (incremental vacuum).
 * - Prices USD, sizes shares, times ms since epoch.
 */
import type { Quote, Symbol, Trade } from '../../../shared/domain';
import { exchangeTimeToEpoch } from '../market/session-clock';
import { openDatabase, type SqliteDatabase } from './database';

export const RECORDINGS_FILE = 'recordings.db';

const RECORDING_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ticks (
    time INTEGER NOT NULL,
    symbol TEXT NOT NULL,
    kind INTEGER NOT NULL CHECK (kind IN (0, 1)),
    price REAL,
    size INTEGER,
    exchange TEXT,
    conditions INTEGER,
    bid REAL,
    bid_size INTEGER,
    bid_exchange TEXT,
    ask REAL,
    ask_size INTEGER,
    ask_exchange TEXT
  );
  CREATE INDEX ticks_time ON ticks (time);
  `,
];

const KIND_TRADE = 0;
const KIND_QUOTE = 1;

/** What the recording holds, for the UI. */
export interface RecordingStats {
  readonly ticks: number;
  /** Size of the file, bytes. */
  readonly bytes: number;
  /** Oldest and newest tick, ms since epoch; null when empty. */
  readonly oldest: number | null;
  readonly newest: number | null;
}

export interface TickRecorderOptions {
  readonly path: string;
  readonly nativeBinding?: string;
  /** Retention in days, read at each prune. */
  readonly retentionDays: () => number;
  /** Wall clock, ms since epoch. */
  readonly now?: () => number;
  readonly flushMs?: number;
  readonly maxBatch?: number;
}

type Row = readonly [number, Symbol, number, number | null, number | null, string | null, number | null, number | null, number | null, string | null, number | null, number | null, string | null];

export class TickRecorder {
  private readonly db: SqliteDatabase;
  private readonly insert;
  private readonly writeBatch;
  private batch: Row[] = [];
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly maxBatch: number;
  /** Ticks in the file (counted once at open, then kept up to date). */
  private ticks: number;

  /** @throws when the file cannot be opened. */
  constructor(private readonly options: TickRecorderOptions) {
    this.db = openDatabase({ path: options.path, migrations: RECORDING_MIGRATIONS, synchronous: 'NORMAL', ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    this.now = options.now ?? Date.now;
    this.maxBatch = options.maxBatch ?? 50_000;
    this.insert = this.db.prepare(
      'INSERT INTO ticks (time, symbol, kind, price, size, exchange, conditions, bid, bid_size, bid_exchange, ask, ask_size, ask_exchange) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.writeBatch = this.db.transaction((rows: readonly Row[]) => {
      for (const row of rows) this.insert.run(...row);
    });
    this.ticks = this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM ticks').get()?.n ?? 0;
    // Deleted ticks give their pages back to the file system (set on a new, empty file; VACUUM applies it).
    if ((this.db.pragma('auto_vacuum', { simple: true }) as number) !== 2 && this.ticks === 0) {
      this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.exec('VACUUM');
    }
    this.prune();
    this.timer = setInterval(() => this.flush(), options.flushMs ?? 200);
    this.timer.unref?.();
    this.pruneTimer = setInterval(() => this.prune(), 3_600_000);
    this.pruneTimer.unref?.();
  }

  /** Queues a quote (hot path: an array push). */
  recordQuote(q: Quote): void {
    this.batch.push([q.time, q.symbol, KIND_QUOTE, null, null, null, null, q.bid, q.bidSize, q.bidExchange, q.ask, q.askSize, q.askExchange]);
    if (this.batch.length >= this.maxBatch) this.flush();
  }

  /** Queues a trade (hot path: an array push). */
  recordTrade(t: Trade): void {
    this.batch.push([t.time, t.symbol, KIND_TRADE, t.price, t.size, t.exchange, t.conditions, null, null, null, null, null, null]);
    if (this.batch.length >= this.maxBatch) this.flush();
  }

  /** Writes the queued ticks in one transaction; returns how many. */
  flush(): number {
    if (this.batch.length === 0) return 0;
    const rows = this.batch;
    this.batch = [];
    this.writeBatch(rows);
    this.ticks += rows.length;
    return rows.length;
  }

  /** Deletes ticks older than the retention and gives the space back. */
  prune(): number {
    const cutoff = this.now() - this.options.retentionDays() * 86_400_000;
    const deleted = this.db.prepare('DELETE FROM ticks WHERE time < ?').run(cutoff).changes;
    if (deleted > 0) {
      this.ticks -= deleted;
      this.db.pragma('incremental_vacuum');
    }
    return deleted;
  }

  /** Cheap enough to call every second: counts are kept, MIN/MAX use the time index. */
  stats(): RecordingStats {
    const row = this.db.prepare<[], { oldest: number | null; newest: number | null }>('SELECT MIN(time) AS oldest, MAX(time) AS newest FROM ticks').get();
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return { ticks: this.ticks, bytes: pages * pageSize, oldest: row?.oldest ?? null, newest: row?.newest ?? null };
  }

  /** Writes what is queued and closes the file. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.timer = null;
    this.pruneTimer = null;
    this.flush();
    this.db.close();
  }
}

/** A recorded session read back: NBBO quotes and trades of `symbols` on `date`, time-ordered. */
export interface RecordedSession {
  readonly quotes: Quote[];
  readonly trades: Trade[];
}

/**
 * Reads the ticks of `symbols` on trading date `date` (`YYYY-MM-DD`, 04:00–20:00 ET) from a
 * recording file.
 * @throws when the file does not exist or is not a recording.
 */
export function readRecordedSession(path: string, symbols: readonly Symbol[], date: string, nativeBinding?: string): RecordedSession {
  const db = openDatabase({ path, migrations: RECORDING_MIGRATIONS, synchronous: 'NORMAL', ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    // The whole trading day, 04:00–20:00 ET, with room on both sides.
    const from = exchangeTimeToEpoch(date, 3 * 3_600_000);
    const to = exchangeTimeToEpoch(date, 21 * 3_600_000);
    const wanted = new Set(symbols);
    const quotes: Quote[] = [];
    const trades: Trade[] = [];
    const rows = db
      .prepare<[number, number], Record<string, number | string | null>>('SELECT * FROM ticks WHERE time >= ? AND time < ? ORDER BY time, rowid')
      .iterate(from, to);
    for (const r of rows) {
      const symbol = r.symbol as string;
      if (!wanted.has(symbol)) continue;
      if (r.kind === KIND_TRADE) {
        trades.push({ symbol, time: r.time as number, price: r.price as number, size: r.size as number, exchange: (r.exchange as string) ?? '', conditions: (r.conditions as number) ?? 0 });
      } else {
        quotes.push({
          symbol,
          time: r.time as number,
          bid: r.bid as number,
          bidSize: r.bid_size as number,
          bidExchange: (r.bid_exchange as string) ?? '',
          ask: r.ask as number,
          askSize: r.ask_size as number,
          askExchange: (r.ask_exchange as string) ?? '',
        });
      }
    }
    return { quotes, trades };
  } finally {
    db.close();
  }
}
