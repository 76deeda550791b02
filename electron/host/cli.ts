/**
 * `npm run host -- [options]`: runs the workstation headless and serves it to a browser.
 *
 *   --feed simulated|replay|alpaca|polygon
 *                             market data (default simulated). alpaca: APCA_API_KEY_ID,
 *                             APCA_API_SECRET_KEY, APCA_API_STREAM_URL (stream base) and
 *                             APCA_API_DATA_URL (REST history, to repair gaps); polygon:
 *                             POLYGON_API_KEY, POLYGON_WS_URL
 *   --backup-feed alpaca|polygon  live: the provider that takes over when the first fails
 *   --alpaca-feed iex|sip|delayed_sip|test  Alpaca's feed (default iex: 30 symbols)
 *   --dir <folder>            replay: folder holding equity/usa/… (Lean layout)
 *   --recording <file>        replay: the app's own recording (recordings.db in the data folder)
 *   --symbols IBM,SPY         replay: symbols; simulated: watchlist (default AAPL,MSFT,…)
 *   --date 2013-10-07         replay: trading date
 *   --speed 60|max            replay: feed-time multiplier (default 60)
 *   --from 09:45              replay: fast-forward to this exchange time first
 *   --port 0                  port (0 = any free port)
 *   --host 127.0.0.1          interface; anything but loopback prints a warning
 *   --data-dir <folder>       database and logs (default: <user data>/host)
 *   --broker paper|alpaca     where orders go (default: alpaca when APCA_API_KEY_ID and
 *                             APCA_API_SECRET_KEY are set, APCA_API_BASE_URL choosing paper or
 *                             live; otherwise the built-in paper broker)
 *
 * Test and benchmark hooks (environment; never set them in production):
 *   WORKSTATION_TEST_HOOKS=1  SIGUSR2 terminates the engine worker as a crash would; the host
 *                             restarts it (fault drills, tests/integration/worker-crash.test.ts)
 *   WORKSTATION_TEST_OUTBOX_MAX_STALL_MS=<ms>  with the hook above: how long a window may stop
 *                             reading before it is disconnected (tests/integration/renderer-flood.test.ts)
 *   WORKSTATION_BENCH_EVENTS_PER_S=<n>  the simulated feed emits n messages per second with
 *                             prices that encode their wall-clock time (tests/bench/tick-to-screen.ts)
 *
 * Prints `Workstation host listening at http://127.0.0.1:<port>/?token=<token>` when ready.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import log from 'electron-log/node';
import { alpacaHistoryFromEnv, alpacaTradingFromEnv, liveProviderFromEnv, type EngineConfig, type FeedConfig, type LiveProviderConfig } from '../../shared/engine-config';
import { symbolSchema } from '../../shared/schemas';
import { startHost } from './host-server';
import { defaultUserDataDir } from './user-data-dir';

class UsageError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function parseSymbols(text: string): string[] {
  return text.split(',').filter(Boolean).map((s) => {
    const parsed = symbolSchema.safeParse(s);
    if (!parsed.success) throw new UsageError(`Not a ticker symbol: ${s}`);
    return parsed.data;
  });
}

function parseSpeed(text: string): number | 'max' {
  if (text === 'max') return 'max';
  const speed = Number(text);
  if (!(speed > 0) || speed > 100_000) throw new UsageError(`--speed must be a positive multiplier or max, got ${text}`);
  return speed;
}

const ALPACA_FEEDS = ['iex', 'sip', 'delayed_sip', 'test'] as const;

function liveProvider(name: string, alpacaFeed: (typeof ALPACA_FEEDS)[number]): LiveProviderConfig {
  if (name !== 'alpaca' && name !== 'polygon') throw new UsageError(`A live feed is alpaca or polygon, got ${name}`);
  const provider = liveProviderFromEnv(name, process.env, alpacaFeed);
  if (!provider) {
    throw new UsageError(name === 'alpaca' ? '--feed alpaca needs APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment' : '--feed polygon needs POLYGON_API_KEY in the environment');
  }
  return provider;
}

function feedConfig(values: Record<string, string | undefined>): FeedConfig {
  const kind = values.feed ?? 'simulated';
  if (kind === 'simulated') {
    return values.symbols ? { kind, symbols: parseSymbols(values.symbols) } : { kind };
  }
  if (kind === 'alpaca' || kind === 'polygon') {
    const alpacaFeed = (values['alpaca-feed'] ?? 'iex') as (typeof ALPACA_FEEDS)[number];
    if (!ALPACA_FEEDS.includes(alpacaFeed)) throw new UsageError(`--alpaca-feed must be ${ALPACA_FEEDS.join(', ')}, got ${alpacaFeed}`);
    const backupName = values['backup-feed'];
    if (backupName === kind) throw new UsageError('--backup-feed must differ from --feed');
    return {
      kind: 'live',
      primary: liveProvider(kind, alpacaFeed),
      ...(backupName ? { backup: liveProvider(backupName, alpacaFeed) } : {}),
      ...(values.symbols ? { symbols: parseSymbols(values.symbols) } : {}),
    };
  }
  if (kind !== 'replay') throw new UsageError(`--feed must be simulated, replay, alpaca or polygon, got ${kind}`);
  const { date, symbols, recording } = values;
  const dir = values.dir ?? (recording ? '.' : undefined);
  if (!dir || !date || !symbols) throw new UsageError('--feed replay needs --dir (or --recording), --symbols and --date');
  if (!existsSync(dir)) throw new UsageError(`Replay folder not found: ${dir}`);
  if (recording !== undefined && !existsSync(recording)) throw new UsageError(`Recording not found: ${recording}`);
  if (values.from !== undefined && !/^\d{1,2}:\d{2}$/.test(values.from)) throw new UsageError(`--from must be HH:MM, got ${values.from}`);
  return {
    kind,
    dir: resolve(dir),
    date,
    symbols: parseSymbols(symbols),
    speed: parseSpeed(values.speed ?? '60'),
    ...(recording ? { recording: resolve(recording) } : {}),
    ...(values.from ? { from: values.from } : {}),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      feed: { type: 'string' },
      dir: { type: 'string' },
      symbols: { type: 'string' },
      date: { type: 'string' },
      speed: { type: 'string' },
      from: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      broker: { type: 'string' },
      'backup-feed': { type: 'string' },
      'alpaca-feed': { type: 'string' },
      recording: { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be 0–65535, got ${values.port}`);
  const dataDir = resolve(values['data-dir'] ?? join(defaultUserDataDir(), 'host'));
  log.transports.file.resolvePathFn = () => join(dataDir, 'logs', 'host.log');
  log.transports.console.level = 'warn';
  const broker = values.broker ?? 'auto';
  if (!['auto', 'paper', 'alpaca'].includes(broker)) throw new UsageError(`--broker must be paper or alpaca, got ${broker}`);
  const alpaca = broker === 'paper' ? null : alpacaTradingFromEnv(process.env);
  if (broker === 'alpaca' && !alpaca) throw new UsageError('--broker alpaca needs APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment');
  const feed = feedConfig(values);
  // Gaps in a live feed are repaired from Alpaca's REST history when Alpaca keys are there.
  const history = feed.kind === 'live' ? alpacaHistoryFromEnv(process.env, values['alpaca-feed'] === 'sip' ? 'sip' : 'iex') : null;
  const engine: EngineConfig = { dataDir, feed, ...(alpaca ? { alpaca } : {}), ...(history ? { history } : {}) };
  if (alpaca) process.stdout.write(`Orders go to Alpaca ${alpaca.live ? 'LIVE (real money)' : 'paper'} at ${alpaca.baseUrl}\n`);
  if (!LOOPBACK.has(values.host)) {
    process.stderr.write(`WARNING: listening on ${values.host}, beyond this computer. Anyone on that network with the token can trade.\n`);
  }
  const testHooks = process.env.WORKSTATION_TEST_HOOKS === '1';
  const maxStallMs = Number(process.env.WORKSTATION_TEST_OUTBOX_MAX_STALL_MS);
  const host = await startHost({
    ...(testHooks && maxStallMs > 0 ? { outbox: { maxStallMs } } : {}),
    host: values.host,
    port,
    rendererDir: join(__dirname, '..', 'renderer'),
    workerPath: join(__dirname, '..', 'engine', 'worker.cjs'),
    engine,
    log: (level, message) => log[level](message),
  });
  process.stdout.write(`Workstation host listening at ${host.url}\n`);
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    void host.close().then(() => process.exit(0));
  };
  if (testHooks) {
    process.on('SIGUSR2', () => {
      log.warn('Test hook: terminating the engine worker (SIGUSR2)');
      host.supervisor.kill();
    });
  }
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`host: ${(error as Error).message}\n`);
  process.exit(error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
});
