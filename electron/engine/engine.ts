/**
 * The engine: everything that is trading, in plain Node (no Electron). It takes normalized
 * market data from a feed, builds bars and indicators, runs orders through risk to the paper
 * broker, keeps positions and P&L, stores orders and fills, and publishes to windows.
 *
 * Windows reach it through {@link Engine.connect} / {@link Engine.handleRequest}; every request
 * is schema-validated here and answered exactly once.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { Alert, Bar, BrokerHealth, EngineHealth, Print, PrintSide, RecordingHealth, Fill, Order, Quote, RiskStatus, Settings, WindowHealth, Symbol, Ticker, Timeframe, Trade } from '../../shared/domain';
import { TIMEFRAMES } from '../../shared/domain';
import type { Command, CommandError, CommandResults, EngineEvent, LinkGroup, ServerMessage, Topic } from '../../shared/protocol';
import { applySettingsPatch, parseClientRequest } from '../../shared/schemas';
import { SymbolBars } from './bars/symbol-bars';
import { updatesOpenClose } from './bars/trade-eligibility';
import { AnomalyDetector } from './anomaly/anomaly-detector';
import { PaperBroker } from './brokers/paper-broker';
import { AlpacaBroker, alpacaAccountId, type AlpacaBrokerConfig, type BrokerSnapshot } from './brokers/alpaca-broker';
import type { Broker, ExecutionReport } from './brokers/broker';
import { SessionCursor, exchangeDate, sessionTimes } from './market/session-clock';
import { ScreenerRunner } from './screeners/screener-runner';
import { AlertStore } from './store/alert-store';
import { BarStore } from './store/bar-store';
import type { BarHistoryProvider } from './history/bar-history';
import type { MarketDataFeed, MarketDataSink, SymbolFeedStatus } from './feeds/market-data-feed';
import { OrderManager } from './orders/order-manager';
import { Portfolio } from './portfolio/portfolio';
import { type ClientSender, Publisher } from './publish/publisher';
import { DurabilityBarrier, type SqliteDatabase } from './store/database';
import { OrderStore, PAPER_ACCOUNT } from './store/order-store';
import { TickRecorder } from './store/tick-recorder';
import { RiskStore } from './store/risk-store';
import { RiskEngine, type RiskChange } from './risk/risk-engine';
import { SettingsStore } from './store/settings-store';
import { LayoutStore } from './store/layout-store';
import { LayoutError, deleteLayout, parseLayout, renameLayout, saveLayout, type Layout } from '../../shared/layouts';

/** Logging hook; the worker forwards these to the main log. */
export interface EngineLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface EngineOptions {
  readonly feed: MarketDataFeed;
  readonly db: SqliteDatabase;
  readonly logger: EngineLogger;
  /** Wall clock, ms since epoch (injected in tests). */
  readonly now?: () => number;
  /** Interval between batches sent to windows, ms (one frame). */
  readonly flushIntervalMs?: number;
  /** The provider's REST history, to backfill the session's bars the store lacks (live feeds). */
  readonly history?: BarHistoryProvider;
  /** Trade through Alpaca instead of the paper broker. */
  readonly alpaca?: AlpacaBrokerConfig;
  /** Where live ticks are recorded when the setting is on (`recordings.db` in the data folder). */
  readonly recordingPath?: string;
  /** better-sqlite3 addon for Electron's ABI, for the recording file. */
  readonly sqliteNativeBinding?: string;
}

/** One symbol's topic names and ticker coalescing key, built once (the hot path builds no strings). */
interface SymbolTopics {
  readonly quotes: Topic;
  readonly trades: Topic;
  readonly bars: Readonly<Record<Timeframe, Topic>>;
  readonly tickerKey: string;
}

function symbolTopics(symbol: Symbol): SymbolTopics {
  const bars = Object.fromEntries(TIMEFRAMES.map((timeframe) => [timeframe, `bars:${symbol}:${timeframe}` as Topic])) as Record<Timeframe, Topic>;
  return { quotes: `quotes:${symbol}`, trades: `trades:${symbol}`, bars, tickerKey: `ticker:${symbol}` };
}

interface TickerState {
  readonly topics: SymbolTopics;
  /** Latest prints for time & sales (trimmed to the last {@link PRINTS_KEPT}). */
  prints: Print[];
  luld: { limitUp: number; limitDown: number } | null;
  /** Live feeds: prints of the last two minutes, replayed into a series rebuilt by a repair. */
  recent: Trade[];
  stale: boolean;
  halt: string | null;
  bid: number | null;
  ask: number | null;
  bidSize: number | null;
  askSize: number | null;
  last: number | null;
  volume: number;
  time: number;
  quote: Quote | null;
}

/** How often the clock checks symbols for staleness, ms of feed time. */
const STALE_CHECK_MS = 250;

/** Prints kept per symbol for a time & sales window that opens. */
const PRINTS_KEPT = 500;

/** Where a print at `price` traded against `quote` (the NBBO at that moment). */
export function printSide(price: number, quote: Quote | null): PrintSide {
  if (!quote || quote.bid <= 0 || quote.ask <= 0) return 'unknown';
  if (price > quote.ask) return 'above_ask';
  if (price === quote.ask) return 'at_ask';
  if (price < quote.bid) return 'below_bid';
  if (price === quote.bid) return 'at_bid';
  return 'between';
}

/** Sampling interval of the event-loop delay histogram, ms. */
const LOOP_RESOLUTION_MS = 10;

/** A handler's failure, told apart from results by `instanceof`. */
class CommandFailure {
  constructor(readonly error: CommandError) {}
}

function fail(error: CommandError): CommandFailure {
  return new CommandFailure(error);
}

type Handler<K extends Command['type']> = (clientId: string, command: Extract<Command, { type: K }>) => CommandResults[K] | CommandFailure;

export class Engine implements MarketDataSink {
  private readonly feed: MarketDataFeed;
  private readonly publisher = new Publisher();
  private readonly series = new Map<Symbol, SymbolBars>();
  private readonly tickers = new Map<Symbol, TickerState>();
  private readonly knownSymbols: ReadonlySet<Symbol>;
  private readonly orderStore: OrderStore;
  private readonly settingsStore: SettingsStore;
  private readonly layoutStore: LayoutStore;
  private layouts: readonly Layout[];
  /** Each window's last drawing report, by client id. */
  private readonly windowHealth = new Map<string, WindowHealth>();
  /** The trader locked the risk settings for this session (until the engine restarts). */
  private riskSettingsLocked = false;
  private readonly portfolio: Portfolio;
  private readonly orders: OrderManager;
  private readonly broker: Broker;
  private readonly fills: Fill[] = [];
  private readonly links = new Map<LinkGroup, Symbol>();
  private readonly alertStore: AlertStore;
  private readonly screeners: ScreenerRunner;
  private readonly detectors = new Map<Symbol, AnomalyDetector>();
  private readonly sessions = new SessionCursor();
  private readonly barStore: BarStore;
  private readonly durability: DurabilityBarrier;
  private readonly risk: RiskEngine;
  /** Series a late print corrected since the last flush (`SYMBOL timeframe`): republished whole. */
  private readonly correctedSeries = new Set<string>();
  /** Symbols whose forming bars changed since the last flush: valued and published at the flush. */
  private readonly formingChanged = new Set<Symbol>();
  /** Symbols whose ticker changed since the last flush: built and published at the flush. */
  private readonly tickersChanged = new Set<Symbol>();
  /** Set while stored bars are replayed at start: they raise no alerts and are not stored again. */
  private restoring = false;
  private readonly now: () => number;
  private settings: Settings;
  /** Position differences from the broker already alerted (`broker/ours` per symbol): alerted once each. */
  private readonly positionMismatches = new Map<Symbol, string>();
  /** Minutes in progress when a gap ended: repaired once closed. */
  private pendingRepairs: Array<{ symbols: readonly Symbol[]; readonly minute: number }> = [];
  /** Last broker state seen (`state/streamUp`), to alert on changes. */
  private brokerState: string | null = null;
  /** Recording of live ticks, while the setting is on (live feeds only). */
  private recorder: TickRecorder | null = null;
  /** Event-loop delay histogram (from start), CPU at the last health event. */
  private loopDelay: IntervalHistogram | null = null;
  private lastCpu = process.cpuUsage();
  private lastHealthAt = performance.now();
  /** The engine's figures of the last health interval; null before the first. */
  private engineFigures: EngineHealth | null = null;
  private feedClock: number | null = null;
  /** Exchange date of the feed clock: a new one restarts day volume and realized P&L. */
  private tradingDay: string | null = null;
  private lastExpiryCheck = 0;
  private lastStaleCheck = -Infinity;
  private flushTimer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: EngineOptions) {
    this.feed = options.feed;
    this.now = options.now ?? Date.now;
    this.knownSymbols = new Set(this.feed.symbols);
    // Each broker account keeps its own orders, fills and risk counters.
    const account = options.alpaca ? alpacaAccountId(options.alpaca) : PAPER_ACCOUNT;
    this.orderStore = new OrderStore(options.db, account);
    this.settingsStore = new SettingsStore(options.db);
    this.settings = this.settingsStore.load();
    this.layoutStore = new LayoutStore(options.db, (message) => options.logger.warn(message));
    this.layouts = this.layoutStore.load();
    this.portfolio = new Portfolio(this.settings.paper.startingCash, (time) => this.sessions.at(time).date);
    this.alertStore = new AlertStore(options.db);
    this.risk = new RiskEngine(new RiskStore(options.db, account), () => this.settings.risk, (time) => this.sessions.at(time).date, this.now());
    this.barStore = new BarStore(options.db);
    this.durability = new DurabilityBarrier(options.db);
    this.screeners = new ScreenerRunner(this.settings.screeners);
    for (const symbol of this.feed.symbols) {
      this.detectors.set(symbol, new AnomalyDetector(symbol, this.settings.anomaly));
      this.series.set(symbol, this.createSeries(symbol));
      this.tickers.set(symbol, { topics: symbolTopics(symbol), bid: null, ask: null, bidSize: null, askSize: null, last: null, volume: 0, time: 0, quote: null, stale: false, halt: null, luld: null, recent: [], prints: [] });
    }
    this.orders = new OrderManager(
      this.orderStore,
      this.portfolio,
      {
        knownSymbols: () => this.knownSymbols,
        quote: (symbol) => this.tickers.get(symbol)?.quote ?? null,
        lastPrice: (symbol) => this.tickers.get(symbol)?.last ?? null,
        now: () => this.feedClock ?? this.now(),
      },
      () => this.settings,
      {
        onOrder: (order) => this.publisher.publish('orders', { type: 'order', order }),
        onFill: (fill, position) => {
          this.fills.push(fill);
          this.publisher.publish('orders', { type: 'fill', fill });
          this.publisher.publish('positions', { type: 'position', position });
          const account = this.portfolio.account();
          this.publisher.publish('positions', { type: 'account', account }, 'account');
          this.checkLossLimit(account.realizedPnl + account.unrealizedPnl, fill.time);
          this.publishRisk();
        },
        onAnomaly: (message) => options.logger.warn(message),
        syncStore: () => void this.durability.sync(),
        onStoreFailure: (message) => {
          if (message === null) {
            this.raise([this.systemAlert('store', 'info', 'Database writable again', 'Orders are accepted again.', null)]);
            return;
          }
          options.logger.error(`The database cannot be written: ${message}`);
          this.raise([this.systemAlert('store', 'critical', 'Database cannot be written', `The database cannot be written (${message}): new orders are refused until it can. Check the disk space and the data folder's permissions.`, null)]);
        },
      },
      this.risk,
    );
    if (this.feed.live) this.restoreBars();
    this.orders.restore();
    this.fills.push(...this.orderStore.loadFills());
    const report = (r: ExecutionReport): void => this.orders.apply(r);
    this.broker = options.alpaca
      ? new AlpacaBroker(options.alpaca, report, {
          onHealth: () => this.onBrokerHealth(),
          onReconciled: (snapshot) => this.onReconciled(snapshot),
          log: (level, message) => options.logger[level](message),
        })
      : new PaperBroker(report, { latencyMs: () => this.settings.paper.latencyMs });
    this.orders.attachBroker(this.broker);
  }

  /** The broker connected, dropped or reconciled: held orders may go, windows see the state. */
  private onBrokerHealth(): void {
    const previous = this.brokerState;
    const health = this.broker.health();
    this.brokerState = `${health.state}/${health.streamUp}`;
    this.orders.serviceHeld();
    this.publishHealth();
    if (previous !== null && previous !== this.brokerState && (!health.streamUp || health.state === 'error')) {
      this.raise([this.systemAlert('broker-stream', health.state === 'error' ? 'critical' : 'warning', 'Broker connection', health.detail ?? "The broker's order-update stream is down", null)]);
    }
  }

  /**
   * After a reconciliation: the broker's positions are the truth. A difference from the
   * positions built from this workstation's fills (orders placed elsewhere, fills before the
   * first start) is raised as an alert with both figures; cash is taken from the broker.
   */
  private onReconciled(snapshot: BrokerSnapshot): void {
    if (!snapshot.consistent) return; // a fill landed while the figures were read: compare next time
    this.portfolio.adoptCash(snapshot.account.cash);
    const broker = new Map(snapshot.positions.map((p) => [p.symbol, p]));
    const symbols = new Set([...broker.keys(), ...this.portfolio.allPositions().filter((p) => p.quantity !== 0).map((p) => p.symbol)]);
    for (const symbol of symbols) {
      const theirs = broker.get(symbol)?.quantity ?? 0;
      const ours = this.portfolio.quantityOf(symbol);
      const key = `${theirs}/${ours}`;
      if (theirs === ours) this.positionMismatches.delete(symbol);
      else if (this.positionMismatches.get(symbol) !== key) {
        this.positionMismatches.set(symbol, key);
        this.raise([this.systemAlert('position-mismatch', 'critical', `Position mismatch ${symbol}`, `${symbol}: the broker holds ${theirs} shares, this workstation's fills add up to ${ours}. Check orders placed outside the workstation.`, symbol)]);
      }
    }
    this.publisher.publish('positions', { type: 'account', account: this.portfolio.account() }, 'account');
    this.options.logger.info(`Reconciled with the broker: ${snapshot.positions.length} positions, cash ${snapshot.account.cash.toFixed(2)} USD`);
  }

  /** The bars and indicators of one symbol, wired to publishing, the store, screeners and anomaly detection. */
  private createSeries(symbol: Symbol): SymbolBars {
    const detector = this.detectors.get(symbol);
    const bars: SymbolBars = new SymbolBars(
      symbol,
      (timeframe, bar, indicators) => {
        this.publisher.publish(`bars:${symbol}:${timeframe}`, { type: 'bar', bar, indicators }, `bar:${symbol}:${timeframe}:${bar.openTime}`);
        if (timeframe !== '1m' || this.restoring) return;
        if (this.feed.live) this.barStore.enqueue(bar);
        this.raise(
          this.screeners.onBar({
            bar,
            sessionVwap: indicators.sessionVwap ?? null,
            previousClose: this.feed.previousClose(symbol),
            cumulativeRelativeVolume: bars.cumulativeRelativeVolume(bar.openTime),
          }),
        );
        if (detector) this.raise(detector.onBar(bar));
      },
      {
        onFormingChanged: () => this.formingChanged.add(symbol),
        onCorrection: (timeframe, corrected) => {
          if (timeframe === '1m' && this.feed.live) this.barStore.enqueue(corrected);
          this.markCorrected(symbol, timeframe);
        },
      },
    );
    bars.seedSessions(this.feed.priorMinuteSessions?.(symbol) ?? []);
    return bars;
  }

  /** A series changed in the past (a late print, a repair): windows showing it get it whole at the next flush. */
  private markCorrected(symbol: Symbol, timeframe: Timeframe): void {
    const topic = this.tickers.get(symbol)?.topics.bars[timeframe];
    if (topic && this.publisher.hasSubscribers(topic)) this.correctedSeries.add(`${symbol} ${timeframe}`);
  }

  /** Keeps the prints of the current and previous minute (what a rebuild must not lose). */
  private keepRecent(ticker: TickerState, trade: Trade): void {
    const recent = ticker.recent;
    recent.push(trade);
    const keepFrom = trade.time - (trade.time % 60_000) - 60_000;
    if ((recent[0]?.time ?? keepFrom) < keepFrom) ticker.recent = recent.filter((t) => t.time >= keepFrom);
  }

  /** A symbol went stale or fresh, or was halted or resumed (live feeds): every window showing it is told. */
  onSymbolStatus(symbol: Symbol, status: SymbolFeedStatus): void {
    const ticker = this.tickers.get(symbol);
    if (!ticker) return;
    const halted = status.halt !== null && ticker.halt === null;
    const resumed = status.halt === null && ticker.halt !== null;
    ticker.stale = status.stale;
    ticker.halt = status.halt;
    if (status.luld !== undefined) ticker.luld = status.luld;
    this.publishTicker(symbol);
    if (halted) this.raise([this.systemAlert('halt', 'warning', `${symbol} halted`, `${symbol}: ${status.halt}`, symbol)]);
    if (resumed) this.raise([this.systemAlert('resume', 'info', `${symbol} resumed`, `${symbol}: trading resumed`, symbol)]);
  }

  /**
   * Minutes from `from` to `to` (ms since epoch) may lack data (a reconnect, a switch of
   * provider): the closed ones are repaired now from the provider's REST history, the minute in
   * progress once it has closed.
   */
  onGap(symbols: readonly Symbol[], from: number, to: number): void {
    const history = this.options.history;
    if (!history) {
      this.options.logger.warn(`Data may be missing ${new Date(from).toISOString()}–${new Date(to).toISOString()}: no history provider to repair it`);
      return;
    }
    const start = from - (from % 60_000);
    const end = to - (to % 60_000);
    if (end > start) void this.repair(history, symbols, start, end);
    const pending = this.pendingRepairs.find((r) => r.minute === end);
    if (pending) pending.symbols = [...new Set([...pending.symbols, ...symbols])];
    else this.pendingRepairs.push({ symbols, minute: end });
  }

  /** Fetches closed minutes from history and rebuilds the symbols' series with them (marked repaired). */
  private async repair(history: BarHistoryProvider, symbols: readonly Symbol[], from: number, to: number): Promise<void> {
    for (const symbol of symbols) {
      if (!this.series.has(symbol)) continue;
      try {
        const fetched = await history.minuteBars(symbol, from, to);
        this.rebuildSeries(symbol, fetched.map((bar) => ({ ...bar, repaired: true })));
        this.options.logger.info(`Repaired ${fetched.length} minute bars of ${symbol} (${new Date(from).toISOString()}–${new Date(to).toISOString()}) from ${history.name}`);
      } catch (error) {
        this.options.logger.warn(`Could not repair ${symbol} from ${history.name}: ${(error as Error).message}`);
      }
    }
  }

  /**
   * Rebuilds a symbol's series from its closed minutes with `repaired` ones in place (inserted or
   * replacing): every timeframe and indicator is recomputed as if the session had not been
   * interrupted, and windows get the whole series again.
   */
  private rebuildSeries(symbol: Symbol, repaired: readonly Bar[]): void {
    const old = this.series.get(symbol);
    if (!old || repaired.length === 0) return;
    const minutes = new Map<number, Bar>(old.history('1m').map(({ bar }) => [bar.openTime, bar]));
    for (const bar of repaired) minutes.set(bar.openTime, bar);
    const sorted = [...minutes.values()].sort((a, b) => a.openTime - b.openTime);
    const fresh = this.createSeries(symbol);
    this.restoring = true;
    try {
      fresh.restoreMinutes(sorted);
      // The minute in progress is not in history yet: its prints go in again.
      const closedUntil = (sorted[sorted.length - 1]?.openTime ?? -Infinity) + 60_000;
      for (const trade of this.tickers.get(symbol)?.recent ?? []) if (trade.time >= closedUntil) fresh.addTrade(trade);
    } finally {
      this.restoring = false;
    }
    this.series.set(symbol, fresh);
    if (this.feed.live) for (const bar of repaired) this.barStore.enqueue(bar);
    for (const timeframe of TIMEFRAMES) this.markCorrected(symbol, timeframe);
  }

  /** Rebuilds today's series from the stored 1-minute bars (live feeds, after a restart). */
  private restoreBars(): void {
    const times = sessionTimes(exchangeDate(this.now()));
    this.tradingDay = times.date;
    this.restoring = true;
    try {
      for (const [symbol, bars] of this.series) {
        const minutes = this.barStore.load(symbol, '1m', times.preMarketOpen, times.afterHoursClose);
        bars.restoreMinutes(minutes);
        this.restoreTicker(symbol, minutes);
      }
    } finally {
      this.restoring = false;
    }
  }

  /**
   * Fetches the session's minute bars that neither the store nor the feed has from the history
   * provider (from the last stored minute, or 04:00 ET, to the last whole minute), so charts
   * open with the whole session. A provider failure is logged and the engine starts without.
   */
  private async backfill(history: BarHistoryProvider): Promise<void> {
    const now = this.now();
    const times = sessionTimes(exchangeDate(now));
    const to = Math.min(now - (now % 60_000), times.afterHoursClose);
    for (const [symbol, bars] of this.series) {
      const last = bars.history('1m').at(-1)?.bar.openTime;
      const from = last === undefined ? times.preMarketOpen : last + 60_000;
      if (from >= to) continue;
      try {
        const fetched = await history.minuteBars(symbol, from, to);
        this.restoring = true;
        bars.restoreMinutes(fetched);
        this.restoreTicker(symbol, fetched);
        for (const bar of fetched) this.barStore.enqueue(bar);
        this.options.logger.info(`Backfilled ${fetched.length} minute bars of ${symbol} from ${history.name}`);
      } catch (error) {
        this.options.logger.warn(`Could not backfill ${symbol} from ${history.name}: ${(error as Error).message}`);
      } finally {
        this.restoring = false;
      }
    }
    this.barStore.flush();
  }

  /** Day volume and last price of a symbol from restored bars. */
  private restoreTicker(symbol: Symbol, minutes: readonly Bar[]): void {
    const ticker = this.tickers.get(symbol);
    const last = minutes[minutes.length - 1];
    if (!ticker || !last) return;
    for (const bar of minutes) ticker.volume += bar.volume;
    ticker.last = last.close;
    ticker.time = last.openTime;
  }

  /**
   * Opens or closes the recording as the setting says (live feeds with a recording path). A file
   * that cannot be opened turns recording off with an alert rather than stopping the engine.
   */
  private configureRecording(): void {
    const wanted = this.settings.recording.enabled && this.feed.live && this.options.recordingPath !== undefined;
    if (wanted && !this.recorder && this.options.recordingPath) {
      try {
        this.recorder = new TickRecorder({
          path: this.options.recordingPath,
          retentionDays: () => this.settings.recording.retentionDays,
          ...(this.options.sqliteNativeBinding ? { nativeBinding: this.options.sqliteNativeBinding } : {}),
        });
      } catch (error) {
        this.raise([this.systemAlert('recording', 'warning', 'Recording failed', `Cannot record to ${this.options.recordingPath}: ${(error as Error).message}`, null)]);
      }
    } else if (!wanted && this.recorder) {
      this.recorder.close();
      this.recorder = null;
    }
  }

  private recordingHealth(): RecordingHealth | undefined {
    if (!this.feed.live) return undefined;
    const stats = this.recorder?.stats();
    return {
      enabled: this.recorder !== null,
      ticks: stats?.ticks ?? 0,
      bytes: stats?.bytes ?? 0,
      oldest: stats?.oldest ?? null,
      newest: stats?.newest ?? null,
      retentionDays: this.settings.recording.retentionDays,
    };
  }

  /** Backfills history (live feeds with a history provider), then starts the feed and the publishing timers. */
  async start(): Promise<void> {
    this.configureRecording();
    this.loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loopDelay.enable();
    if (this.broker instanceof AlpacaBroker) this.broker.start();
    if (this.feed.live && this.options.history) await this.backfill(this.options.history);
    this.feed.start(this);
    this.flushTimer = setInterval(() => this.flush(), this.options.flushIntervalMs ?? 16);
    this.healthTimer = setInterval(() => {
      this.orders.serviceHeld();
      this.sampleEngine();
      this.publishHealth();
      this.barStore.flush();
    }, 1000);
  }

  /** Stops the feed and timers; the database is closed by its owner. */
  stop(): void {
    this.loopDelay?.disable();
    this.feed.stop();
    this.broker.close();
    this.recorder?.close();
    this.recorder = null;
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.flushTimer = null;
    this.healthTimer = null;
    this.barStore.flush();
    this.flush();
    this.durability.close();
  }

  /**
   * Sends every window its pending batch now (a timer does this once per frame after
   * {@link start}). Forming bars are valued here, once per frame, not on every print.
   */
  flush(): void {
    this.makeDurable();
    this.stageChanges();
    this.publisher.flush();
  }

  /**
   * Hands the publisher what changed since the last flush: corrected series whole, forming bars
   * valued now, tickers built now. Before a flush, and before a reply (which sends the window's
   * pending events first, so a reply never overtakes the quote it was priced on).
   */
  private stageChanges(): void {
    for (const key of this.correctedSeries) {
      const [symbol = '', timeframe = '1m'] = key.split(' ') as [Symbol, Timeframe];
      this.publisher.publish(`bars:${symbol}:${timeframe}`, this.barHistory(symbol, timeframe));
    }
    for (const symbol of this.formingChanged) {
      const topics = this.tickers.get(symbol)?.topics;
      if (!topics) continue;
      for (const timeframe of TIMEFRAMES) {
        // A republished series already holds its forming bar.
        if (!this.publisher.hasSubscribers(topics.bars[timeframe]) || this.correctedSeries.has(`${symbol} ${timeframe}`)) continue;
        const forming = this.series.get(symbol)?.forming(timeframe);
        if (forming) this.publisher.publish(topics.bars[timeframe], { type: 'bar', ...forming }, `bar:${symbol}:${timeframe}:${forming.bar.openTime}`);
      }
    }
    this.correctedSeries.clear();
    this.formingChanged.clear();
    for (const symbol of this.tickersChanged) {
      const topics = this.tickers.get(symbol)?.topics;
      if (topics && this.publisher.hasSubscribers(topics.quotes)) this.publisher.publish(topics.quotes, { type: 'ticker', ticker: this.tickerOf(symbol) }, topics.tickerKey);
    }
    this.tickersChanged.clear();
  }

  /** Sends a reply: what it wrote is on disk and what changed is staged before the window hears of it. */
  private replyTo(clientId: string, message: ServerMessage): void {
    this.makeDurable();
    this.stageChanges();
    this.publisher.reply(clientId, message);
  }

  // ---- windows -------------------------------------------------------------------------------

  /** Registers a window; `send` receives its replies and event batches. */
  connect(clientId: string, send: ClientSender): void {
    this.publisher.connect(clientId, send);
  }

  /** Forgets a window. */
  disconnect(clientId: string): void {
    this.publisher.disconnect(clientId);
    this.windowHealth.delete(clientId);
    this.feed.release?.(`window:${clientId}`);
  }

  /** A live feed streams the symbols the windows show (reference-counted by window). */
  private retainSymbolsOf(clientId: string): void {
    if (!this.feed.retain) return;
    const symbols = new Set<Symbol>();
    for (const topic of this.publisher.topicsOf(clientId)) {
      const symbol = this.symbolOfTopic(topic);
      if (symbol !== null) symbols.add(symbol);
    }
    this.feed.retain(`window:${clientId}`, [...symbols]);
  }

  /** Validates and executes one request from a window; replies exactly once (if the request has a readable id). */
  handleRequest(clientId: string, raw: unknown): void {
    if (!this.publisher.has(clientId)) return;
    const parsed = parseClientRequest(raw);
    if (!parsed.ok) {
      if (parsed.id !== undefined) this.replyTo(clientId, { type: 'reply', id: parsed.id, ok: false, error: parsed.error });
      else this.options.logger.warn(`Unreadable request from ${clientId}: ${parsed.error.message}`);
      return;
    }
    const { id, command } = parsed.value;
    let result: unknown;
    try {
      result = this.dispatch(clientId, command);
    } catch (error) {
      this.options.logger.error(`Command ${command.type} failed: ${(error as Error).stack ?? String(error)}`);
      result = fail({ code: 'internal', message: `The engine could not complete ${command.type}: ${(error as Error).message}` });
    }
    // What the command wrote is on disk before the window hears of it.
    if (result instanceof CommandFailure) this.replyTo(clientId, { type: 'reply', id, ok: false, error: result.error });
    else this.replyTo(clientId, { type: 'reply', id, ok: true, result });
  }

  /**
   * One fsync for everything written since the last (see {@link DurabilityBarrier}): before a
   * reply and before each frame's events. A failing sync is a failing store: the trader is
   * alerted and new orders are refused until it writes again.
   */
  private makeDurable(): void {
    try {
      this.durability.sync();
    } catch (error) {
      this.orders.storeFailed(error);
    }
  }

  private dispatch(clientId: string, command: Command): unknown {
    const handler = this.handlers[command.type] as Handler<Command['type']>;
    return handler(clientId, command);
  }

  private readonly handlers: { [K in Command['type']]: Handler<K> } = {
    subscribe: (clientId, { topics }) => {
      const unknown = topics.find((t) => this.symbolOfTopic(t) !== null && !this.knownSymbols.has(this.symbolOfTopic(t) as Symbol));
      if (unknown) return fail({ code: 'not_found', message: `Unknown symbol in ${unknown}: it is not offered by the current feed`, field: 'topics' });
      for (const topic of this.publisher.subscribe(clientId, topics)) this.sendSnapshot(clientId, topic);
      this.retainSymbolsOf(clientId);
      return { topics };
    },
    unsubscribe: (clientId, { topics }) => {
      this.publisher.unsubscribe(clientId, topics);
      this.retainSymbolsOf(clientId);
      return { topics };
    },
    placeOrder: (_clientId, { order }) => {
      const result = this.orders.place(order);
      this.publishRisk();
      if (result.ok) return { order: result.order };
      if (result.error.code === 'order_rejected') {
        this.raise([this.riskAlert('order-rejected', 'warning', `Order rejected: ${order.side} ${order.quantity} ${order.symbol}`, result.error.message, order.symbol)]);
      }
      return fail(result.error);
    },
    flattenAll: () => this.flatten(),
    killSwitch: () => {
      const canceled = this.orders.cancelAll();
      const flattened = this.flatten();
      const change = this.risk.setState('halted', 'kill switch', this.feedClock ?? this.now());
      if (change && typeof change !== 'string') this.onRiskChange(change);
      this.raise([this.riskAlert('kill-switch', 'critical', 'Kill switch', `Kill switch: ${canceled} orders canceled, ${flattened.orders.length} positions flattened${flattened.waiting.length ? `, ${flattened.waiting.join(', ')} once their cancels are confirmed` : ''}${flattened.failures.length ? `, ${flattened.failures.length} could not be (${flattened.failures.join('; ')})` : ''}; trading halted.`, null)]);
      this.publishRisk();
      return { canceled, ...flattened, risk: this.riskStatus() };
    },
    setRiskState: (_clientId, { state, reason }) => {
      const change = this.risk.setState(state, reason ?? 'set by the trader', this.feedClock ?? this.now());
      if (typeof change === 'string') return fail({ code: 'order_rejected', message: change, field: 'state' });
      if (change) this.onRiskChange(change);
      this.publishRisk();
      return { risk: this.riskStatus() };
    },
    lockRiskSettings: () => {
      if (!this.riskSettingsLocked) {
        this.riskSettingsLocked = true;
        this.options.logger.info('Risk settings locked for this session');
        this.raise([this.riskAlert('risk-settings-locked', 'info', 'Risk settings locked', 'Risk settings are locked until the app restarts.', null)]);
        this.publishRisk();
      }
      return { risk: this.riskStatus() };
    },
    reportWindowHealth: (clientId, { kind, fps, longestFrameMs, visible }) => {
      this.windowHealth.set(clientId, { clientId, kind, fps, longestFrameMs, visible, at: this.now() });
      return {};
    },
    acknowledgeAlerts: (_clientId, { ids }) => {
      const at = this.now();
      const marked = this.alertStore.acknowledge(ids ?? null, at);
      if (marked.length > 0) this.publisher.publish('alerts', { type: 'alertsAcknowledged', ids: marked, at });
      return { acknowledged: marked.length };
    },
    saveLayout: (_clientId, { layout }) => this.changeLayouts(() => saveLayout(this.layouts, parseLayout(layout))),
    deleteLayout: (_clientId, { name }) => this.changeLayouts(() => deleteLayout(this.layouts, name)),
    renameLayout: (_clientId, { from, to }) => this.changeLayouts(() => renameLayout(this.layouts, from, to)),
    cancelOrder: (_clientId, { orderId }) => {
      const result = this.orders.cancel(orderId);
      return result.ok ? { order: result.order } : fail(result.error);
    },
    replaceOrder: (_clientId, { orderId, ...changes }) => {
      const result = this.orders.replace(orderId, changes);
      this.publishRisk();
      return result.ok ? { order: result.order } : fail(result.error);
    },
    cancelAll: (_clientId, { symbol }) => ({ canceled: this.orders.cancelAll(symbol) }),
    getSettings: () => ({ settings: this.settings }),
    updateSettings: (_clientId, { settings }) => {
      const next = applySettingsPatch(this.settings, settings);
      if (!next.ok) return fail(next.error);
      if (this.riskSettingsLocked && JSON.stringify(next.value.risk) !== JSON.stringify(this.settings.risk)) {
        return fail({ code: 'invalid_settings', message: 'Risk settings are locked for this session; they can change after a restart', field: 'risk' });
      }
      this.settings = next.value;
      this.settingsStore.save(this.settings, this.now());
      this.configureRecording();
      this.screeners.configure(this.settings.screeners);
      for (const detector of this.detectors.values()) detector.configure(this.settings.anomaly);
      this.publisher.publish('settings', { type: 'settings', settings: this.settings });
      return { settings: this.settings };
    },
    linkSymbol: (_clientId, { group, symbol, prefill }) => {
      if (!this.knownSymbols.has(symbol)) return fail({ code: 'not_found', message: `Unknown symbol ${symbol}`, field: 'symbol' });
      this.links.set(group, symbol);
      // A prefill goes to the windows open now; it is not part of the group's remembered link.
      this.publisher.publish('links', { type: 'link', group, symbol, snapshot: false, ...(prefill ? { prefill } : {}) });
      return { group, symbol };
    },
  };

  /** Closed bars of a series plus the forming one. */
  private barHistory(symbol: Symbol, timeframe: Timeframe): EngineEvent {
    const series = this.series.get(symbol);
    const history = series?.history(timeframe) ?? [];
    const forming = series?.forming(timeframe);
    return { type: 'barHistory', symbol, timeframe, bars: forming ? [...history, forming] : history };
  }

  private symbolOfTopic(topic: Topic): Symbol | null {
    const match = /^(?:quotes|trades|bars):([^:]+)/.exec(topic);
    return match ? (match[1] as Symbol) : null;
  }

  private sendSnapshot(clientId: string, topic: Topic): void {
    const send = (event: EngineEvent): void => this.publisher.sendTo(clientId, event);
    const symbol = this.symbolOfTopic(topic);
    if (topic.startsWith('quotes:') && symbol) {
      send({ type: 'ticker', ticker: this.tickerOf(symbol) });
    } else if (topic.startsWith('bars:') && symbol) {
      send(this.barHistory(symbol, topic.slice(topic.lastIndexOf(':') + 1) as Timeframe));
    } else if (topic.startsWith('trades:') && symbol) {
      send({ type: 'prints', symbol, prints: (this.tickers.get(symbol)?.prints ?? []).slice(-PRINTS_KEPT) });
    } else if (topic === 'orders') {
      send({ type: 'orderBook', orders: this.orders.allOrders(), fills: this.fills });
    } else if (topic === 'positions') {
      send({ type: 'positions', positions: this.portfolio.allPositions(), account: this.portfolio.account() });
    } else if (topic === 'health') {
      send(this.healthEvent());
    } else if (topic === 'settings') {
      send({ type: 'settings', settings: this.settings });
    } else if (topic === 'links') {
      for (const [group, linked] of this.links) send({ type: 'link', group, symbol: linked, snapshot: true });
    } else if (topic === 'symbols') {
      send({ type: 'symbols', symbols: this.feed.symbols });
    } else if (topic === 'alerts') {
      send({ type: 'alertHistory', alerts: this.alertStore.recent() });
    } else if (topic === 'risk') {
      send({ type: 'risk', risk: this.riskStatus() });
    } else if (topic === 'layouts') {
      send({ type: 'layouts', layouts: this.layouts });
    }
  }

  // ---- market data (MarketDataSink) ------------------------------------------------------------

  onQuote(quote: Quote): void {
    const t = this.tickers.get(quote.symbol);
    if (!t) return;
    this.recorder?.recordQuote(quote);
    t.quote = quote;
    t.bid = quote.bid;
    t.ask = quote.ask;
    t.bidSize = quote.bidSize;
    t.askSize = quote.askSize;
    t.time = quote.time;
    this.advanceClock(quote.time);
    this.broker.onQuote(quote);
    this.publishTicker(quote.symbol);
    this.raise(this.detectors.get(quote.symbol)?.onQuote(quote, this.sessions.kindAt(quote.time) === 'regular') ?? []);
  }

  onTrade(trade: Trade): void {
    const t = this.tickers.get(trade.symbol);
    if (!t) return;
    this.advanceClock(trade.time);
    if (this.feed.live) this.keepRecent(t, trade);
    this.recorder?.recordTrade(trade);
    const outcome = this.series.get(trade.symbol)?.addTrade(trade);
    if (outcome === 'added') this.broker.onTrade(trade);
    this.detectors.get(trade.symbol)?.onTrade(trade.time);
    const setsLast = outcome === 'added' && updatesOpenClose(trade.conditions);
    if (outcome === 'added' || outcome === 'corrected') t.volume += trade.size;
    if (setsLast) t.last = trade.price;
    t.time = trade.time;
    const side = printSide(trade.price, t.quote);
    t.prints.push({ trade, side });
    if (t.prints.length > PRINTS_KEPT * 2) t.prints = t.prints.slice(-PRINTS_KEPT);
    if (this.publisher.hasSubscribers(t.topics.trades)) this.publisher.publish(t.topics.trades, { type: 'trade', trade, side });
    this.publishTicker(trade.symbol);
    if (setsLast) {
      const position = this.portfolio.mark(trade.symbol, trade.price);
      if (position) {
        this.publisher.publish('positions', { type: 'position', position }, `position:${trade.symbol}`);
        const account = this.portfolio.account();
        this.publisher.publish('positions', { type: 'account', account }, 'account');
        this.checkLossLimit(account.realizedPnl + account.unrealizedPnl, trade.time);
      }
    }
  }

  onClock(time: number): void {
    this.advanceClock(time);
    // Cheap on most ticks: a series only does work when the clock enters a new minute for it.
    for (const series of this.series.values()) series.advanceTo(time);
    // Staleness is judged in seconds: four checks a second are plenty.
    if (time - this.lastStaleCheck >= STALE_CHECK_MS || time < this.lastStaleCheck) {
      this.lastStaleCheck = time;
      const regular = this.sessions.kindAt(time) === 'regular';
      for (const detector of this.detectors.values()) this.raise(detector.onClock(time, regular));
    }
  }

  /** Closes every open position with market orders; says which could not be closed and why. */
  private flatten(): { orders: Order[]; failures: string[]; waiting: Symbol[] } {
    const orders: Order[] = [];
    const failures: string[] = [];
    for (const result of this.orders.flattenAll()) {
      if (result.ok) orders.push(result.order);
      else failures.push(result.order ? `${result.order.symbol}: ${result.error.message}` : result.error.message);
    }
    return { orders, failures, waiting: this.orders.flattenWaiting() };
  }

  private checkLossLimit(dayPnl: number, time: number): void {
    const change = this.risk.onDayPnl(dayPnl, time);
    if (change) this.onRiskChange(change);
  }

  private onRiskChange(change: RiskChange): void {
    const { status } = change;
    const severity = status.state === 'active' ? 'info' : 'critical';
    const title = `Risk ${status.state.toUpperCase()}`;
    const what = status.state === 'halted' ? 'no orders can be sent' : status.state === 'reducing' ? 'only orders that reduce exposure can be sent' : 'orders can be sent';
    this.raise([this.riskAlert('risk-state', severity, title, `Risk state ${change.previous} → ${status.state}${status.reason ? ` (${status.reason})` : ''}: ${what}.`, null)]);
    this.publishRisk();
  }

  private publishRisk(): void {
    this.publisher.publish('risk', { type: 'risk', risk: this.riskStatus() }, 'risk');
  }

  /** The risk engine's status plus the session lock of the risk settings. */
  private riskStatus(): RiskStatus {
    return this.riskSettingsLocked ? { ...this.risk.current, settingsLocked: true } : this.risk.current;
  }

  /** Applies a layout change, stores the whole list and publishes it; a refused change names its field. */
  private changeLayouts(change: () => Layout[]): CommandResults['saveLayout'] | CommandFailure {
    let next: Layout[];
    try {
      next = change();
    } catch (error) {
      if (error instanceof LayoutError) return fail({ code: 'invalid_command', message: error.message, ...(error.field ? { field: error.field } : {}) });
      throw error;
    }
    this.layoutStore.replaceAll(next);
    this.layouts = next;
    this.publisher.publish('layouts', { type: 'layouts', layouts: next });
    return { layouts: next };
  }

  private riskAlert(kind: string, severity: Alert['severity'], title: string, message: string, symbol: Symbol | null): Alert {
    return this.systemAlert(kind, severity, title, message, symbol, 'risk');
  }

  private systemAlert(kind: string, severity: Alert['severity'], title: string, message: string, symbol: Symbol | null, source: Alert['source'] = 'system'): Alert {
    const risk = this.risk.current;
    return {
      id: randomUUID(),
      time: this.feedClock ?? this.now(),
      source,
      kind,
      instanceId: null,
      symbol,
      severity,
      title,
      message,
      values: { dayPnl: risk.dayPnl, ordersToday: risk.ordersToday, tradesToday: risk.tradesToday },
      suggestion: null,
      barTime: null,
    };
  }

  /** Stores alerts, then tells the windows (alerts are never coalesced). */
  private raise(alerts: readonly Alert[]): void {
    for (const alert of alerts) {
      try {
        this.alertStore.save(alert);
      } catch (error) {
        // A failing disk must not silence the alert about it: it is shown, just not kept.
        this.options.logger.warn(`Alert not saved: ${(error as Error).message}`);
      }
      this.publisher.publish('alerts', { type: 'alert', alert });
    }
  }

  onHealth(): void {
    this.publishHealth();
  }

  private advanceClock(time: number): void {
    if (this.feedClock !== null && time <= this.feedClock) return;
    this.feedClock = time;
    const day = this.sessions.at(time).date;
    if (day !== this.tradingDay) {
      this.tradingDay = day;
      this.portfolio.rollTo(time);
      for (const ticker of this.tickers.values()) ticker.volume = 0;
      const change = this.risk.rollTo(time);
      if (change) this.onRiskChange(change);
    }
    if (time - this.lastExpiryCheck >= 1000) {
      this.lastExpiryCheck = time;
      this.broker.onClock(time);
      this.repairClosedMinutes(time);
    }
  }

  /** The minute a gap ended in has closed (and the provider had 5 s to finish its bar): repair it. */
  private repairClosedMinutes(time: number): void {
    const history = this.options.history;
    if (!history || this.pendingRepairs.length === 0) return;
    const due = this.pendingRepairs.filter((r) => time >= r.minute + 65_000);
    if (due.length === 0) return;
    this.pendingRepairs = this.pendingRepairs.filter((r) => time < r.minute + 65_000);
    for (const r of due) void this.repair(history, r.symbols, r.minute, r.minute + 60_000);
  }

  /** The ticker is built and sent at the next flush (latest wins, as windows are sent once per frame). */
  private publishTicker(symbol: Symbol): void {
    this.tickersChanged.add(symbol);
  }

  private publishHealth(): void {
    this.publisher.publish('health', this.healthEvent(), 'health');
  }

  /** The health event: feed, broker, recording, and the engine's figures of the last second. */
  private healthEvent(): EngineEvent {
    const recording = this.recordingHealth();
    const engine = this.engineFigures;
    const windows = [...this.windowHealth.values()];
    return { type: 'health', feed: this.feed.health(), broker: this.brokerHealth(), ...(recording ? { recording } : {}), ...(engine ? { engine } : {}), ...(windows.length > 0 ? { windows } : {}) };
  }

  /**
   * Event-loop delay, CPU and memory over the last second; sampled by the health timer only, so
   * health events sent in between (a subscription, a broker change) do not shorten the interval.
   */
  private sampleEngine(): void {
    const loop = this.loopDelay;
    if (!loop) return;
    const now = performance.now();
    const cpu = process.cpuUsage();
    const elapsedMs = Math.max(1, now - this.lastHealthAt);
    const cpuMs = (cpu.user + cpu.system - (this.lastCpu.user + this.lastCpu.system)) / 1000;
    this.lastCpu = cpu;
    this.lastHealthAt = now;
    const memory = process.memoryUsage();
    const pages = this.options.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.options.db.pragma('page_size', { simple: true }) as number;
    // The histogram records each sampling interval (10 ms) plus its delay: keep the delay.
    const delay = (p: number): number => Math.max(0, loop.percentile(p) / 1e6 - LOOP_RESOLUTION_MS);
    const health: EngineHealth = {
      eventLoopP50Ms: delay(50),
      eventLoopP99Ms: delay(99),
      cpuPercent: (cpuMs / elapsedMs) * 100,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      databaseBytes: pages * pageSize,
      storeQueue: this.barStore.queued,
    };
    loop.reset();
    this.engineFigures = health;
  }

  private brokerHealth(): BrokerHealth {
    return { ...this.broker.health(), heldOrders: this.orders.heldCount(), orderRoundTrip: this.orders.roundTrip() };
  }

  private tickerOf(symbol: Symbol): Ticker {
    const t = this.tickers.get(symbol);
    const previousClose = this.feed.previousClose(symbol);
    const last = t?.last ?? null;
    const change = last !== null && previousClose !== null ? last - previousClose : null;
    return {
      symbol,
      bid: t?.bid ?? null,
      ask: t?.ask ?? null,
      bidSize: t?.bidSize ?? null,
      askSize: t?.askSize ?? null,
      last,
      volume: t?.volume ?? 0,
      previousClose,
      change,
      changePercent: change !== null && previousClose ? (change / previousClose) * 100 : null,
      time: t?.time ?? 0,
      stale: t?.stale ?? false,
      halt: t?.halt ?? null,
      luld: t?.luld ?? null,
    };
  }
}
