/**
 * Entry point of the engine worker thread (Electron main and the headless host both spawn it).
 * Receives {@link WorkerInbound} messages from its parent, answers with {@link WorkerOutbound}.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Alert } from '../../shared/domain';
import type { EngineConfig } from '../../shared/engine-config';
import type { LogLevel, WorkerInbound, WorkerOutbound } from '../../shared/worker-protocol';
import { Engine } from './engine';
import { createFeed } from './feeds/create-feed';
import { SimulatedFeed } from './feeds/simulated-feed';
import { AlpacaBarsHistory } from './history/alpaca-bars-history';
import { AlertStore } from './store/alert-store';
import { RECORDINGS_FILE } from './store/tick-recorder';
import { openDatabase, type SqliteDatabase } from './store/database';
import { SettingsStore } from './store/settings-store';

/** File name of the database inside the data folder. */
export const DATABASE_FILE = 'workstation.db';

/**
 * File in the data folder that says an engine is running: written at start, removed by the
 * orderly shutdown. Found at start, it means the previous engine died (worker crash, host killed,
 * power cut), and the trader is told so with an "Engine restarted" alert.
 */
export const RUNNING_MARKER_FILE = 'engine.running';

/**
 * Benchmarks only: with the simulated feed, `WORKSTATION_BENCH_EVENTS_PER_S=<n>` makes it emit
 * `n` messages per second in all (see {@link SimulatedFeed}'s `eventsPerSecond` and
 * `clockPrices`), so a benchmark can measure tick-to-screen latency. Never set in production.
 */
export const BENCH_RATE_ENV = 'WORKSTATION_BENCH_EVENTS_PER_S';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

function post(message: WorkerOutbound): void {
  port?.postMessage(message);
}

function log(level: LogLevel, message: string): void {
  post({ type: 'log', level, message });
}

/**
 * Stores an "Engine restarted" alert when the marker of the previous run is still there (it did
 * not shut down in order), then writes this run's marker. Windows see the alert in the `alerts`
 * snapshot they get when they (re)subscribe: the supervisor resubscribes every window after a
 * restart, so a window that was open during the crash gets it at once.
 */
function markRunning(dataDir: string, db: SqliteDatabase): void {
  const marker = join(dataDir, RUNNING_MARKER_FILE);
  if (existsSync(marker)) {
    let since = '';
    try {
      const started = (JSON.parse(readFileSync(marker, 'utf8')) as { startedAt?: unknown }).startedAt;
      if (typeof started === 'number') since = ` (it had started at ${new Date(started).toISOString()})`;
    } catch {
      // An unreadable marker still means an unclean stop.
    }
    const alert: Alert = {
      id: randomUUID(),
      time: Date.now(),
      source: 'system',
      kind: 'engine-restarted',
      instanceId: null,
      symbol: null,
      severity: 'warning',
      title: 'Engine restarted',
      message: `Engine restarted after an unclean stop${since}: orders and fills were reloaded from the database and working orders reconciled with the broker; check the blotter before sending again.`,
      values: {},
      suggestion: null,
      barTime: null,
    };
    try {
      new AlertStore(db).save(alert);
    } catch (error) {
      log('warn', `Engine restart alert not saved: ${(error as Error).message}`);
    }
    log('warn', alert.message);
  }
  writeFileSync(marker, JSON.stringify({ startedAt: Date.now(), pid: process.pid }));
}

function main(): void {
  const config = workerData as EngineConfig;
  const db = openDatabase({
    path: join(config.dataDir, DATABASE_FILE),
    // The engine syncs once before acknowledging what it wrote (DurabilityBarrier), not on every commit.
    synchronous: 'NORMAL',
    ...(config.sqliteNativeBinding ? { nativeBinding: config.sqliteNativeBinding } : {}),
  });
  markRunning(config.dataDir, db);
  const settings = new SettingsStore(db).load();
  const feedConfig = (config.feed.kind === 'simulated' || config.feed.kind === 'live') && !config.feed.symbols ? { ...config.feed, symbols: settings.watchlist } : config.feed;
  const benchRate = Number(process.env[BENCH_RATE_ENV] ?? '');
  const feed = feedConfig.kind === 'simulated' && benchRate > 0
    ? new SimulatedFeed({ symbols: feedConfig.symbols ?? settings.watchlist, stepMs: 5, eventsPerSecond: benchRate, clockPrices: true })
    : createFeed(feedConfig);
  const history = config.history ? new AlpacaBarsHistory(config.history) : undefined;
  const engine = new Engine({
    feed,
    db,
    ...(history ? { history } : {}),
    ...(config.alpaca ? { alpaca: config.alpaca } : {}),
    recordingPath: join(config.dataDir, RECORDINGS_FILE),
    ...(config.sqliteNativeBinding ? { sqliteNativeBinding: config.sqliteNativeBinding } : {}),
    logger: { info: (m) => log('info', m), warn: (m) => log('warn', m), error: (m) => log('error', m) },
  });
  port?.on('message', (message: WorkerInbound) => {
    switch (message.type) {
      case 'connect':
        engine.connect(message.clientId, (m) => post({ type: 'message', clientId: message.clientId, message: m }));
        return;
      case 'disconnect':
        engine.disconnect(message.clientId);
        return;
      case 'request':
        engine.handleRequest(message.clientId, message.request);
        return;
      case 'shutdown':
        engine.stop();
        db.close();
        rmSync(join(config.dataDir, RUNNING_MARKER_FILE), { force: true });
        post({ type: 'stopped' });
        port?.close();
        return;
    }
  });
  void engine.start().then(() => {
    log('info', `Engine started: ${config.feed.kind} feed, ${feed.symbols.length} symbols, data in ${config.dataDir}`);
    post({ type: 'ready' });
  });
}

try {
  main();
} catch (error) {
  const e = error as Error;
  post({ type: 'fatal', error: { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) } });
  process.exit(1);
}
