/**
 * Readers for QuantConnect Lean's recorded US-equity files (format: `../shared/data/README.md`):
 * one headerless CSV per zip; times are ms since exchange midnight (America/New_York) of the date
 * in the file name; prices are USD × 10 000.
 *
 * Malformed rows are counted and skipped, never thrown.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import type { Bar, Symbol, Trade } from '../../../shared/domain';
import { SessionCursor, exchangeTimeToEpoch } from '../market/session-clock';

const PRICE_SCALE = 10_000;

/** Error thrown when a requested recording does not exist; `message` says which file. */
export class RecordingNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingNotFoundError';
  }
}

/** One side of one exchange's top of book, from a Lean tick quote row. */
export interface ExchangeQuoteUpdate {
  readonly symbol: Symbol;
  readonly time: number;
  readonly exchange: string;
  /** USD; 0 when this row does not update the bid. */
  readonly bid: number;
  readonly bidSize: number;
  /** USD; 0 when this row does not update the ask. */
  readonly ask: number;
  readonly askSize: number;
}

/** Rows read from a file and rows skipped, by reason. */
export interface ParseCounts {
  rows: number;
  malformed: number;
  suspicious: number;
}

/** `YYYY-MM-DD` → `YYYYMMDD`. @throws {RangeError} for any other shape. */
export function compactDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`Date must be YYYY-MM-DD: ${date}`);
  return date.replaceAll('-', '');
}

/** Path of a Lean zip under `dir` (the folder holding `equity/usa/…`). */
export function leanPath(
  dir: string,
  resolution: 'tick' | 'minute',
  symbol: Symbol,
  date: string,
  kind: 'trade' | 'quote',
): string {
  return join(dir, 'equity', 'usa', resolution, symbol.toLowerCase(), `${compactDate(date)}_${kind}.zip`);
}

/**
 * Text of the single CSV inside a Lean zip.
 * @throws {RecordingNotFoundError} when the file does not exist or holds no entry.
 */
export function readZippedCsv(path: string): string {
  if (!existsSync(path)) throw new RecordingNotFoundError(`No recording at ${path}`);
  const entries = unzipSync(readFileSync(path));
  const first = Object.values(entries)[0];
  if (!first) throw new RecordingNotFoundError(`Empty zip: ${path}`);
  return strFromU8(first);
}

/** ms since epoch of exchange midnight of `date`, valid for times after 03:00 (DST switches at 02:00). */
function exchangeDayBase(date: string): number {
  const noon = 12 * 3_600_000;
  return exchangeTimeToEpoch(date, noon) - noon;
}

function forEachRow(csv: string, onRow: (fields: string[]) => void): void {
  let start = 0;
  while (start < csv.length) {
    let end = csv.indexOf('\n', start);
    if (end === -1) end = csv.length;
    const line = csv.charCodeAt(end - 1) === 13 ? csv.slice(start, end - 1) : csv.slice(start, end);
    if (line.length > 0) onRow(line.split(','));
    start = end + 1;
  }
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

/**
 * Parses Lean tick trades (`ms, price×1e4, size, exchange, sale_condition(hex), suspicious`).
 * Rows flagged suspicious by the vendor are dropped and counted.
 */
export function parseLeanTickTrades(csv: string, symbol: Symbol, date: string, counts: ParseCounts): Trade[] {
  const base = exchangeDayBase(date);
  const trades: Trade[] = [];
  forEachRow(csv, (f) => {
    counts.rows++;
    const ms = Number(f[0]);
    const price = Number(f[1]) / PRICE_SCALE;
    const size = Number(f[2]);
    const exchange = f[3] ?? '';
    const conditions = Number.parseInt(f[4] ?? '', 16);
    if (f.length < 6 || !isCount(ms) || !(price > 0) || !(size > 0) || !isCount(size) || exchange === '' || Number.isNaN(conditions)) {
      counts.malformed++;
      return;
    }
    if (f[5] === '1') {
      counts.suspicious++;
      return;
    }
    trades.push({ symbol, price, size, exchange, conditions, time: base + ms });
  });
  return trades;
}

/**
 * Parses Lean tick quotes (`ms, bid×1e4, bid_size, ask×1e4, ask_size, exchange, condition,
 * suspicious`): each row updates one side of one exchange's top of book.
 */
export function parseLeanTickQuotes(csv: string, symbol: Symbol, date: string, counts: ParseCounts): ExchangeQuoteUpdate[] {
  const base = exchangeDayBase(date);
  const updates: ExchangeQuoteUpdate[] = [];
  forEachRow(csv, (f) => {
    counts.rows++;
    const ms = Number(f[0]);
    const bid = Number(f[1]) / PRICE_SCALE;
    const bidSize = Number(f[2]);
    const ask = Number(f[3]) / PRICE_SCALE;
    const askSize = Number(f[4]);
    const exchange = f[5] ?? '';
    if (f.length < 8 || !isCount(ms) || !(bid >= 0) || !(ask >= 0) || !isCount(bidSize) || !isCount(askSize) || exchange === '' || (bid === 0 && ask === 0)) {
      counts.malformed++;
      return;
    }
    if (f[7] === '1') {
      counts.suspicious++;
      return;
    }
    updates.push({ symbol, time: base + ms, exchange, bid, bidSize, ask, askSize });
  });
  return updates;
}

/** A vendor minute bar (trade OHLCV). */
export interface LeanMinuteBar {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Reads the vendor's minute trade bars of `symbol` on `date` (`ms, o, h, l, c, v`). */
export function readLeanMinuteTradeBars(dir: string, symbol: Symbol, date: string): LeanMinuteBar[] {
  const csv = readZippedCsv(leanPath(dir, 'minute', symbol, date, 'trade'));
  const base = exchangeDayBase(date);
  const bars: LeanMinuteBar[] = [];
  forEachRow(csv, (f) => {
    const [ms, o, h, l, c, v] = f.map(Number);
    if (ms === undefined || o === undefined || h === undefined || l === undefined || c === undefined || v === undefined) return;
    bars.push({
      openTime: base + ms,
      open: o / PRICE_SCALE,
      high: h / PRICE_SCALE,
      low: l / PRICE_SCALE,
      close: c / PRICE_SCALE,
      volume: v,
    });
  });
  return bars;
}

/**
 * Close of the last daily bar before `date` in `equity/usa/daily/<symbol>.zip`
 * (`YYYYMMDD 00:00, o, h, l, c, v`), or null when there is no such file or bar.
 */
export function readLeanPreviousClose(dir: string, symbol: Symbol, date: string): number | null {
  const path = join(dir, 'equity', 'usa', 'daily', `${symbol.toLowerCase()}.zip`);
  if (!existsSync(path)) return null;
  const target = compactDate(date);
  let previous: number | null = null;
  forEachRow(readZippedCsv(path), (f) => {
    const day = (f[0] ?? '').slice(0, 8);
    const close = Number(f[4]);
    if (day < target && close > 0) previous = close / PRICE_SCALE;
  });
  return previous;
}

/**
 * The vendor's 1-minute bars of up to `max` sessions before `date` (oldest session first), as
 * bars 04:00–20:00 ET, e.g. to seed relative volume. Their VWAP is not recorded: the typical
 * price (high + low + close) / 3 stands in; trade counts are 0.
 */
export function readLeanPriorMinuteSessions(dir: string, symbol: Symbol, date: string, max = 10): Bar[][] {
  const folder = join(dir, 'equity', 'usa', 'minute', symbol.toLowerCase());
  if (!existsSync(folder)) return [];
  const target = compactDate(date);
  const dates = readdirSync(folder)
    .map((name) => /^(\d{8})_trade\.zip$/.exec(name)?.[1])
    .filter((d): d is string => d !== undefined && d < target)
    .sort()
    .slice(-max);
  const sessions = new SessionCursor();
  return dates.map((d) => {
    const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
    return readLeanMinuteTradeBars(dir, symbol, iso).flatMap((b): Bar[] => {
      const session = sessions.kindAt(b.openTime);
      if (session === 'closed') return [];
      return [{ symbol, timeframe: '1m', ...b, tradeCount: 0, vwap: (b.high + b.low + b.close) / 3, session }];
    });
  });
}
