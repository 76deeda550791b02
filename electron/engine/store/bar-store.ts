/**
 * Closed bars in SQLite, so a chart opened after a restart gets the session's history. Bars are
 * queued and written in one transaction per flush (the engine flushes every second), so storing
 * them costs the live path a queue push. A corrected bar replaces the stored one.
 */
import type { Bar, Symbol, Timeframe } from '../../../shared/domain';
import type { SqliteDatabase } from './database';

interface BarRow {
  symbol: string;
  timeframe: Timeframe;
  open_time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trade_count: number;
  vwap: number;
  session: Bar['session'];
}

export class BarStore {
  private readonly queue: Bar[] = [];
  private readonly writeBatch;
  private readonly select;

  /** Bars waiting to be written. */
  get queued(): number {
    return this.queue.length;
  }

  constructor(db: SqliteDatabase) {
    const upsert = db.prepare(`
      INSERT OR REPLACE INTO bars (symbol, timeframe, open_time, open, high, low, close, volume, trade_count, vwap, session)
      VALUES (@symbol, @timeframe, @openTime, @open, @high, @low, @close, @volume, @tradeCount, @vwap, @session)`);
    this.writeBatch = db.transaction((bars: readonly Bar[]) => {
      for (const bar of bars) upsert.run(bar);
    });
    this.select = db.prepare<[string, string, number, number], BarRow>(
      'SELECT * FROM bars WHERE symbol = ? AND timeframe = ? AND open_time >= ? AND open_time < ? ORDER BY open_time',
    );
  }

  /** Queues a closed bar for the next {@link flush}. */
  enqueue(bar: Bar): void {
    this.queue.push(bar);
  }

  /** Writes the queued bars in one transaction; returns how many. */
  flush(): number {
    if (this.queue.length === 0) return 0;
    const bars = this.queue.splice(0);
    this.writeBatch(bars);
    return bars.length;
  }

  /** Stored bars of `symbol` and `timeframe` with `from ≤ openTime < to` (ms since epoch), oldest first. */
  load(symbol: Symbol, timeframe: Timeframe, from: number, to: number): Bar[] {
    return this.select.all(symbol, timeframe, from, to).map((r) => ({
      symbol: r.symbol,
      timeframe: r.timeframe,
      openTime: r.open_time,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      volume: r.volume,
      tradeCount: r.trade_count,
      vwap: r.vwap,
      session: r.session,
    }));
  }
}
