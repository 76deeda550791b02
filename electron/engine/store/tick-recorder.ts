/**
 * Recording of live market data: every normalized NBBO quote and trade, into its own SQLite file
 * (`recordings.db` beside the workstation's database), so a trader can replay a past session
 * through the {@link ReplayFeed}.
 *
 * - The live path writes eight numbers into a per-symbol typed array; every `flushMs` (default
 *   200 ms, or at `maxBatch` ticks) each symbol's packed ticks become one row (a Float64 blob,
 *   64 bytes a tick) in one transaction, so the write costs a few rows, not one per tick.
 * - `synchronous = NORMAL`: a power cut may lose the last batch of market data (never an order:
 *   those live in the main database, `FULL`).
 * - Retention: chunks older than the retention (days, a setting; default 30) are deleted at
 *   start and every hour; freed pages are returned to the file system (incremental vacuum).
 * - Prices USD, sizes shares, times ms since epoch.
 */
import type { Quote, Symbol, Trade } from '../../../shared/domain';
import { exchangeTimeToEpoch } from '../market/session-clock';
import { openDatabase, type SqliteDatabase } from './database';

export const RECORDINGS_FILE = 'recordings.db';

const RECORDING_MIGRATIONS: readonly string[] = [
  // One row per symbol per flush: the ticks packed in a Float64 blob (see TickChunk).
  `
  CREATE TABLE tick_chunks (
    symbol TEXT NOT NULL,
    first_time INTEGER NOT NULL,
    last_time INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX tick_chunks_time ON tick_chunks (first_time);
  `,
];

/**
 * Packed layout of one tick: 8 float64 — time, kind (0 trade, 1 quote), price | bid,
 * size | bid size, ask, ask size, exchange codes (trade: exchange; quote: bid exchange << 16 |
 * ask exchange, each the letter's char code), conditions (trades).
 */
const STRIDE = 8;
const KIND_TRADE = 0;
const KIND_QUOTE = 1;

/** Growable column of packed ticks for one symbol. */
class TickChunk {
  data = new Float64Array(STRIDE * 1024);
  count = 0;

  push(a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number): void {
    if ((this.count + 1) * STRIDE > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const i = this.count * STRIDE;
    const x = this.data;
    x[i] = a;
    x[i + 1] = b;
    x[i + 2] = c;
    x[i + 3] = d;
    x[i + 4] = e;
    x[i + 5] = f;
    x[i + 6] = g;
    x[i + 7] = h;
    this.count++;
  }

  /** A view of the packed bytes: valid until the next push (written synchronously, then {@link clear}). */
  bytes(): Buffer {
    return Buffer.from(this.data.buffer, 0, this.count * STRIDE * 8);
  }

  /** Empties the chunk, keeping its memory (no allocation on the hot path). */
  clear(): void {
    this.count = 0;
  }
}

const code = (letter: string): number => (letter.length > 0 ? letter.charCodeAt(0) : 0);
const letter = (c: number): string => (c > 0 ? String.fromCharCode(c) : '');

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
  /** Ticks queued before a write regardless of the timer. */
  readonly maxBatch?: number;
}

export class TickRecorder {
  private readonly db: SqliteDatabase;
  private readonly insert;
  private readonly writeChunks;
  private readonly chunks = new Map<Symbol, TickChunk>();
  private queued = 0;
  private flushScheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly maxBatch: number;
  /** Ticks in the file (counted once at open, then kept up to date). */
  private ticks: number;
  /** Oldest and newest recorded tick, ms since epoch; null when the file is empty. */
  private oldest: number | null = null;
  private newest: number | null = null;

  /** @throws when the file cannot be opened. */
  constructor(private readonly options: TickRecorderOptions) {
    this.db = openDatabase({ path: options.path, migrations: RECORDING_MIGRATIONS, synchronous: 'NORMAL', ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    this.now = options.now ?? Date.now;
    this.maxBatch = options.maxBatch ?? 20_000;
    this.insert = this.db.prepare('INSERT INTO tick_chunks (symbol, first_time, last_time, count, data) VALUES (?, ?, ?, ?, ?)');
    this.writeChunks = this.db.transaction((rows: ReadonlyArray<readonly [Symbol, number, number, number, Buffer]>) => {
      for (const row of rows) this.insert.run(...row);
    });
    this.ticks = this.db.prepare<[], { n: number | null }>('SELECT SUM(count) AS n FROM tick_chunks').get()?.n ?? 0;
    // Deleted chunks give their pages back to the file system (set on a new, empty file; VACUUM applies it).
    if ((this.db.pragma('auto_vacuum', { simple: true }) as number) !== 2 && this.ticks === 0) {
      this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.exec('VACUUM');
    }
    this.readSpan();
    this.prune();
    this.timer = setInterval(() => this.flush(), options.flushMs ?? 200);
    this.timer.unref?.();
    this.pruneTimer = setInterval(() => this.prune(), 3_600_000);
    this.pruneTimer.unref?.();
  }

  private chunkOf(symbol: Symbol): TickChunk {
    let chunk = this.chunks.get(symbol);
    if (!chunk) {
      chunk = new TickChunk();
      this.chunks.set(symbol, chunk);
    }
    return chunk;
  }

  /** Queues a quote (hot path: eight numbers into a typed array). */
  recordQuote(q: Quote): void {
    this.chunkOf(q.symbol).push(q.time, KIND_QUOTE, q.bid, q.bidSize, q.ask, q.askSize, code(q.bidExchange) * 65_536 + code(q.askExchange), 0);
    if (++this.queued >= this.maxBatch) this.flushSoon();
  }

  /** Queues a trade (hot path: eight numbers into a typed array). */
  recordTrade(t: Trade): void {
    this.chunkOf(t.symbol).push(t.time, KIND_TRADE, t.price, t.size, 0, 0, code(t.exchange), t.conditions);
    if (++this.queued >= this.maxBatch) this.flushSoon();
  }

  /**
   * A full batch is written on the next turn of the event loop, after the message being
   * processed (and the rest of its frame): the hot path never waits for SQLite.
   */
  private flushSoon(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.timer !== null) this.flush();
    });
  }

  /** Writes the queued ticks (one row per symbol) in one transaction; returns how many ticks. */
  flush(): number {
    if (this.queued === 0) return 0;
    const rows: Array<readonly [Symbol, number, number, number, Buffer]> = [];
    for (const [symbol, chunk] of this.chunks) {
      if (chunk.count === 0) continue;
      const count = chunk.count;
      // A late print can be older than the ticks before it: the chunk spans its earliest to latest time.
      let first = Infinity;
      let last = -Infinity;
      for (let i = 0; i < count * STRIDE; i += STRIDE) {
        const time = chunk.data[i] as number;
        if (time < first) first = time;
        if (time > last) last = time;
      }
      rows.push([symbol, first, last, count, chunk.bytes()]);
      this.oldest = Math.min(this.oldest ?? first, first);
      this.newest = Math.max(this.newest ?? last, last);
    }
    this.writeChunks(rows);
    for (const chunk of this.chunks.values()) chunk.clear();
    const written = this.queued;
    this.ticks += written;
    this.queued = 0;
    return written;
  }

  /** Deletes chunks older than the retention and gives the space back; returns the ticks deleted. */
  prune(): number {
    const cutoff = this.now() - this.options.retentionDays() * 86_400_000;
    // first_time ≤ last_time: the index on first_time narrows the range.
    const old = this.db.prepare<[number, number], { n: number | null }>('SELECT SUM(count) AS n FROM tick_chunks WHERE first_time < ? AND last_time < ?').get(cutoff, cutoff)?.n ?? 0;
    if (old === 0) return 0;
    this.db.prepare('DELETE FROM tick_chunks WHERE first_time < ? AND last_time < ?').run(cutoff, cutoff);
    this.ticks -= old;
    this.readSpan();
    this.db.pragma('incremental_vacuum');
    return old;
  }

  /** Oldest and newest tick in the file, through the index on first_time (at open and after a prune). */
  private readSpan(): void {
    this.oldest = this.db.prepare<[], { t: number | null }>('SELECT MIN(first_time) AS t FROM tick_chunks').get()?.t ?? null;
    this.newest = this.db.prepare<[], { t: number }>('SELECT last_time AS t FROM tick_chunks ORDER BY first_time DESC LIMIT 1').get()?.t ?? null;
  }

  /** Cheap enough to call every second: counts and the time span are kept in memory. */
  stats(): RecordingStats {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return { ticks: this.ticks, bytes: pages * pageSize, oldest: this.oldest, newest: this.newest };
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

/** One recorded tick. */
export type RecordedTick = { readonly trade: Trade } | { readonly quote: Quote };

/**
 * A recorded session read back: the NBBO quotes and trades of `symbols` on `date`. Each symbol's
 * ticks keep the order they arrived in (a late print stays where it came, as it did live); the
 * symbols are merged by time.
 */
export interface RecordedSession {
  readonly ticks: RecordedTick[];
  readonly trades: number;
  readonly quotes: number;
}

/** Merges per-symbol tick lists by the time at their heads, never reordering within a list. */
function mergeByHead(lists: ReadonlyArray<readonly RecordedTick[]>): RecordedTick[] {
  const time = (t: RecordedTick): number => ('trade' in t ? t.trade.time : t.quote.time);
  const heads = lists.map(() => 0);
  const out: RecordedTick[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i] as readonly RecordedTick[];
      const head = heads[i] as number;
      if (head >= list.length) continue;
      if (best < 0 || time(list[head] as RecordedTick) < time((lists[best] as readonly RecordedTick[])[heads[best] as number] as RecordedTick)) best = i;
    }
    if (best < 0) return out;
    out.push((lists[best] as readonly RecordedTick[])[heads[best] as number] as RecordedTick);
    heads[best] = (heads[best] as number) + 1;
  }
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
    const bySymbol = new Map<Symbol, RecordedTick[]>(symbols.map((s) => [s, []]));
    let trades = 0;
    let quotes = 0;
    // rowid order is the order chunks were written: arrival order per symbol.
    const rows = db
      .prepare<[number, number], { symbol: string; data: Buffer }>('SELECT symbol, data FROM tick_chunks WHERE last_time >= ? AND first_time < ? ORDER BY rowid')
      .iterate(from, to);
    for (const r of rows) {
      const symbol = r.symbol;
      const list = bySymbol.get(symbol);
      if (!list) continue;
      const x = new Float64Array(r.data.buffer.slice(r.data.byteOffset, r.data.byteOffset + r.data.byteLength));
      for (let i = 0; i + STRIDE <= x.length; i += STRIDE) {
        const time = x[i] as number;
        if (time < from || time >= to) continue;
        const exchanges = x[i + 6] as number;
        if (x[i + 1] === KIND_TRADE) {
          trades++;
          list.push({ trade: { symbol, time, price: x[i + 2] as number, size: x[i + 3] as number, exchange: letter(exchanges), conditions: x[i + 7] as number } });
        } else {
          quotes++;
          list.push({
            quote: {
              symbol,
              time,
              bid: x[i + 2] as number,
              bidSize: x[i + 3] as number,
              bidExchange: letter(Math.floor(exchanges / 65_536)),
              ask: x[i + 4] as number,
              askSize: x[i + 5] as number,
              askExchange: letter(exchanges % 65_536),
            },
          });
        }
      }
    }
    return { ticks: mergeByHead([...bySymbol.values()]), trades, quotes };
  } finally {
    db.close();
  }
}
