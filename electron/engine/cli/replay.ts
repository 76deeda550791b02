/**
 * `npm run replay -- --dir <lean folder> --symbol IBM --date 2013-10-07 [--timeframe 1m|5m|15m|1h|1d]
 *   [--indicators sma20,ema9,…|all]`
 *
 * Replays recorded tick trades through the engine's bar builder and indicators and writes one
 * JSON line per completed bar to stdout: `symbol, timeframe, openTime, open, high, low, close,
 * volume, tradeCount, vwap`, then each indicator by its spec (null until warm). Indicators are
 * computed over exactly the bars printed (04:00–20:00 ET; daily bars: the regular session).
 * Relative volume compares with the vendor minute bars of up to 10 earlier sessions in the folder.
 *
 * With `--screener gap-and-go|vwap-reclaim` (parameters from the defaults, overridden by
 * `--screener-params '{"minGapPercent":4}'`), prints instead every alert the screener would have
 * raised, one JSON line each with `"type":"alert"` and the bar it fired on (`barTime`).
 * Errors go to stderr; bad arguments or a missing recording exit with code 2.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, TIMEFRAMES, type ScreenerConfig, type Timeframe } from '../../../shared/domain';
import { parseSettings } from '../../../shared/schemas';
import { ScreenerRunner } from '../screeners/screener-runner';
import { SymbolBars } from '../bars/symbol-bars';
import {
  RecordingNotFoundError,
  leanPath,
  parseLeanTickTrades,
  readLeanPreviousClose,
  readLeanPriorMinuteSessions,
  readZippedCsv,
} from '../feeds/lean-data';
import { DEFAULT_INDICATORS, parseIndicatorList } from '../indicators/indicator-set';

const USAGE =
  'usage: npm run replay -- --dir <folder holding equity/usa/...> --symbol IBM --date 2013-10-07 [--timeframe 1m|5m|15m|1h|1d] [--indicators sma20,ema9,...|all]';

class UsageError extends Error {}

function run(argv: readonly string[]): void {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dir: { type: 'string' },
      symbol: { type: 'string' },
      date: { type: 'string' },
      timeframe: { type: 'string', default: '1m' },
      indicators: { type: 'string' },
      screener: { type: 'string' },
      'screener-params': { type: 'string' },
    },
    strict: true,
  });
  const { dir, symbol: rawSymbol, date } = values;
  if (!dir || !rawSymbol || !date) throw new UsageError(`--dir, --symbol and --date are required\n${USAGE}`);
  if (!existsSync(dir)) throw new UsageError(`Folder not found: ${dir}`);
  const timeframe = values.timeframe as Timeframe;
  if (!TIMEFRAMES.includes(timeframe)) throw new UsageError(`Unsupported timeframe ${values.timeframe}: use ${TIMEFRAMES.join(', ')}`);
  if (!/^[A-Za-z][A-Za-z0-9.-]{0,9}$/.test(rawSymbol)) throw new UsageError(`Not a ticker symbol: ${rawSymbol}`);
  const symbol = rawSymbol.toUpperCase();
  let indicators: readonly string[] = DEFAULT_INDICATORS;
  let path: string;
  try {
    if (values.indicators !== undefined) indicators = parseIndicatorList(values.indicators);
    path = leanPath(dir, 'tick', symbol, date, 'trade');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const screener = values.screener === undefined ? null : screenerConfig(values.screener, values['screener-params']);
  if (screener) indicators = indicators.includes('sessionVwap') ? indicators : [...indicators, 'sessionVwap'];
  const runner = screener ? new ScreenerRunner([screener]) : null;
  const previousClose = readLeanPreviousClose(dir, symbol, date);
  const counts = { rows: 0, malformed: 0, suspicious: 0 };
  const trades = parseLeanTickTrades(readZippedCsv(path), symbol, date, counts);
  const lines: string[] = [];
  const bars: SymbolBars = new SymbolBars(
    symbol,
    (tf, bar, values) => {
      if (runner && tf === '1m') {
        for (const alert of runner.onBar({
          bar,
          sessionVwap: values.sessionVwap ?? null,
          previousClose,
          cumulativeRelativeVolume: bars.cumulativeRelativeVolume(bar.openTime),
        })) {
          lines.push(JSON.stringify({ type: 'alert', ...alert }));
        }
      }
      if (runner || tf !== timeframe) return;
      const line: Record<string, unknown> = {
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
      };
      for (const spec of indicators) line[spec] = values[spec] ?? null;
      lines.push(JSON.stringify(line));
    },
    { indicators, timeframes: timeframe === '1m' ? ['1m'] : ['1m', timeframe] },
  );
  bars.seedSessions(readLeanPriorMinuteSessions(dir, symbol, date));
  for (const trade of trades) bars.addTrade(trade);
  bars.finish();
  process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  process.stderr.write(
    `replayed ${counts.rows} prints (${counts.suspicious} suspicious dropped, ${counts.malformed} malformed) into ${
      runner ? `${lines.length} alerts` : `${lines.length} ${timeframe} bars`
    }\n`,
  );
}

/** The default configuration of a screener kind with `paramsJson` applied, validated like settings. */
function screenerConfig(kind: string, paramsJson: string | undefined): ScreenerConfig {
  const base = DEFAULT_SETTINGS.screeners.find((s) => s.kind === kind);
  if (!base) throw new UsageError(`Unknown screener ${kind}: use ${DEFAULT_SETTINGS.screeners.map((s) => s.kind).join(' or ')}`);
  let params: unknown = {};
  try {
    params = paramsJson ? JSON.parse(paramsJson) : {};
  } catch {
    throw new UsageError(`--screener-params is not JSON: ${paramsJson}`);
  }
  const candidate = { ...base, params: { ...base.params, ...(params as object) }, maxAlertsPerDay: 1000, cooldownMinutes: 0 };
  const parsed = parseSettings({ ...DEFAULT_SETTINGS, screeners: [candidate] });
  if (!parsed.ok) throw new UsageError(`Invalid screener parameters: ${parsed.error.message}`);
  return parsed.value.screeners[0] as ScreenerConfig;
}

try {
  run(process.argv.slice(2));
} catch (error) {
  const known =
    error instanceof UsageError || error instanceof RecordingNotFoundError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`replay: ${(error as Error).message}\n`);
  process.exit(known ? 2 : 1);
}
