/**
 * `npm run replay -- --dir <lean folder> --symbol IBM --date 2013-10-07 --timeframe 1m`
 *
 * Replays recorded tick trades through the engine's bar builder and indicators and writes one
 * JSON line per completed bar to stdout. Errors go to stderr; bad arguments or a missing
 * recording exit with code 2.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MinuteSeries } from '../bars/minute-series';
import { RecordingNotFoundError, leanPath, parseLeanTickTrades, readZippedCsv } from '../feeds/lean-data';

const USAGE = 'usage: npm run replay -- --dir <folder holding equity/usa/...> --symbol IBM --date 2013-10-07 [--timeframe 1m]';

class UsageError extends Error {}

function run(argv: readonly string[]): void {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dir: { type: 'string' },
      symbol: { type: 'string' },
      date: { type: 'string' },
      timeframe: { type: 'string', default: '1m' },
    },
    strict: true,
  });
  const { dir, symbol, date, timeframe } = values;
  if (!dir || !symbol || !date) throw new UsageError(`--dir, --symbol and --date are required\n${USAGE}`);
  if (!existsSync(dir)) throw new UsageError(`Folder not found: ${dir}`);
  if (timeframe !== '1m') throw new UsageError(`Unsupported timeframe ${timeframe}: only 1m is available`);
  if (!/^[A-Za-z][A-Za-z0-9.-]{0,9}$/.test(symbol)) throw new UsageError(`Not a ticker symbol: ${symbol}`);
  let path: string;
  try {
    path = leanPath(dir, 'tick', symbol.toUpperCase(), date, 'trade');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const counts = { rows: 0, malformed: 0, suspicious: 0 };
  const trades = parseLeanTickTrades(readZippedCsv(path), symbol.toUpperCase(), date, counts);
  const lines: string[] = [];
  const series = new MinuteSeries(symbol.toUpperCase(), (bar, indicators, final) => {
    if (!final) return;
    lines.push(
      JSON.stringify({
        symbol: bar.symbol,
        timeframe: bar.timeframe,
        openTime: bar.openTime,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        tradeCount: bar.tradeCount,
        vwap: bar.vwap,
        sessionVwap: indicators.sessionVwap,
        ema9: indicators.ema9,
        ema20: indicators.ema20,
      }),
    );
  });
  for (const trade of trades) series.addTrade(trade);
  series.finish();
  process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  process.stderr.write(
    `replayed ${counts.rows} prints (${counts.suspicious} suspicious dropped, ${counts.malformed} malformed) into ${lines.length} bars\n`,
  );
}

try {
  run(process.argv.slice(2));
} catch (error) {
  const known = error instanceof UsageError || error instanceof RecordingNotFoundError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`replay: ${(error as Error).message}\n`);
  process.exit(known ? 2 : 1);
}
