/**
 * Entry point of the engine worker thread (Electron main and the headless host both spawn it).
 * Receives {@link WorkerInbound} messages from its parent, answers with {@link WorkerOutbound}.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineConfig } from '../../shared/engine-config';
import type { LogLevel, WorkerInbound, WorkerOutbound } from '../../shared/worker-protocol';
import { Engine } from './engine';
import { createFeed } from './feeds/create-feed';
import { AlpacaBarsHistory } from './history/alpaca-bars-history';
import { RECORDINGS_FILE } from './store/tick-recorder';
import { openDatabase } from './store/database';
import { SettingsStore } from './store/settings-store';

/** File name of the database inside the data folder. */
export const DATABASE_FILE = 'workstation.db';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

function post(message: WorkerOutbound): void {
  port?.postMessage(message);
}

function log(level: LogLevel, message: string): void {
  post({ type: 'log', level, message });
}

function main(): void {
  const config = workerData as EngineConfig;
  const db = openDatabase({
    path: join(config.dataDir, DATABASE_FILE),
    ...(config.sqliteNativeBinding ? { nativeBinding: config.sqliteNativeBinding } : {}),
  });
  const settings = new SettingsStore(db).load();
  const feed = createFeed((config.feed.kind === 'simulated' || config.feed.kind === 'live') && !config.feed.symbols ? { ...config.feed, symbols: settings.watchlist } : config.feed);
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
