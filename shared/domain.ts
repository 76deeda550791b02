/**
 * Domain types of the workstation, shared by engine, main, preload and renderer.
 *
 * Units, everywhere in the product:
 * - prices and money: USD as `number` (rounded to cents only for display);
 * - quantities: shares, integers;
 * - timestamps: milliseconds since the Unix epoch (UTC).
 */
import { DEFAULT_HOTKEY_SETTINGS, type HotkeySettings } from './hotkeys';

/** A ticker symbol in upper case, e.g. `"IBM"`. */
export type Symbol = string;

/** Trading sessions of a US-equities day, America/New_York. */
export type MarketSessionKind = 'pre_market' | 'regular' | 'after_hours' | 'closed';

/**
 * National best bid and offer (NBBO) for one symbol.
 * Sizes are in shares (the consolidated size at the best price across exchanges).
 */
export interface Quote {
  readonly symbol: Symbol;
  /** Best bid, USD. */
  readonly bid: number;
  /** Shares bid at the best bid. */
  readonly bidSize: number;
  /** Participant letter of an exchange at the best bid (CTA/UTP code). */
  readonly bidExchange: string;
  /** Best ask (offer), USD. */
  readonly ask: number;
  /** Shares offered at the best ask. */
  readonly askSize: number;
  /** Participant letter of an exchange at the best ask. */
  readonly askExchange: string;
  /** Exchange time, ms since epoch. */
  readonly time: number;
}

/** One reported trade (a print). */
export interface Trade {
  readonly symbol: Symbol;
  /** USD per share. */
  readonly price: number;
  /** Shares. */
  readonly size: number;
  /** Participant letter of the reporting exchange (CTA/UTP code). */
  readonly exchange: string;
  /** Sale conditions as a bit mask of {@link TradeCondition} bits. */
  readonly conditions: number;
  /** Exchange time, ms since epoch. */
  readonly time: number;
}

/** Where a print traded against the NBBO of that moment: buyers lifting the ask, sellers hitting the bid, or in between. */
export type PrintSide = 'above_ask' | 'at_ask' | 'between' | 'at_bid' | 'below_bid' | 'unknown';

/** A print for time & sales: the trade and where it traded against the NBBO. */
export interface Print {
  readonly trade: Trade;
  readonly side: PrintSide;
}

/** Bar timeframes, aligned to the exchange clock (America/New_York). */
export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '1d'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/** An OHLCV bar. `openTime` is the start of the interval (ms since epoch). */
export interface Bar {
  readonly symbol: Symbol;
  readonly timeframe: Timeframe;
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Shares. */
  readonly volume: number;
  /** Number of prints that counted in volume. */
  readonly tradeCount: number;
  /** Volume-weighted average price of this bar, USD. */
  readonly vwap: number;
  /** Session the bar belongs to. */
  readonly session: MarketSessionKind;
  /** Set when a late print changed the bar after it closed. */
  readonly corrected?: boolean;
  /** Rebuilt from the provider's history after data was missing (a reconnect, a switch of provider). */
  readonly repaired?: boolean;
}

/**
 * Indicator values attached to a bar, keyed by indicator spec (`sma20`, `ema9`, `rsi14`,
 * `bbUpper20`, `macd`, `atr14`, `sessionVwap`, … — see the engine's `indicator-set`);
 * `null` until the indicator is warm. Prices in USD, RSI 0–100, relative volume a ratio.
 */
export type BarIndicators = Readonly<Record<string, number | null>>;

/** Summary of a symbol for quote boards: NBBO, last trade, session volume and change. */
export interface Ticker {
  readonly symbol: Symbol;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly bidSize: number | null;
  readonly askSize: number | null;
  readonly last: number | null;
  /** Shares traded today that count in volume. */
  readonly volume: number;
  /** Previous session's close, USD, when the feed knows it. */
  readonly previousClose: number | null;
  /** last − previousClose, USD. */
  readonly change: number | null;
  /** change ÷ previousClose × 100. */
  readonly changePercent: number | null;
  /** ms since epoch of the last update. */
  readonly time: number;
  /** Data for this symbol stopped arriving at its usual rate: prices may be old. */
  readonly stale?: boolean;
  /** Trading halted or paused (status message), with the reason. */
  readonly halt?: string | null;
  /** Limit up–limit down price band, USD (live feeds that send it). */
  readonly luld?: { readonly limitUp: number; readonly limitDown: number } | null;
}

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
/**
 * day: until the close; gtc: until canceled; ioc: fill what is there now, cancel the rest; fok:
 * all at once or nothing; opg: at the open (place before 09:28 ET); cls: at the close (place
 * before 15:50 ET).
 */
export type TimeInForce = 'day' | 'gtc' | 'ioc' | 'fok' | 'opg' | 'cls';

/** Order states, named as brokers (Alpaca) name them. */
export type OrderStatus =
  | 'pending_new'
  | 'new'
  | 'partially_filled'
  | 'filled'
  | 'canceled'
  | 'expired'
  | 'rejected'
  | 'replaced'
  /** A cancel was sent; the order can still fill until the broker confirms. */
  | 'pending_cancel'
  /** A cancel/replace was sent; the order can still fill until the broker confirms. */
  | 'pending_replace';

/** Statuses in which an order can still fill. */
export const WORKING_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set(['pending_new', 'new', 'partially_filled', 'pending_cancel', 'pending_replace']);

/** simple: one order; bracket: entry + take-profit + stop-loss (exits armed on the entry fill, one cancels the other); oto: entry + one exit; oco: two exits, one cancels the other. */
export type OrderClass = 'simple' | 'bracket' | 'oco' | 'oto';

/** The exits of a bracket, oto or oco order (USD). */
export interface OrderLegs {
  readonly takeProfit?: { readonly limitPrice: number };
  readonly stopLoss?: { readonly stopPrice: number; readonly limitPrice?: number };
}

/** What a trader asks for. */
export interface OrderRequest {
  readonly symbol: Symbol;
  readonly side: OrderSide;
  /** Shares, a positive integer. */
  readonly quantity: number;
  readonly type: OrderType;
  /** USD; required for limit and stop-limit orders. */
  readonly limitPrice?: number;
  /** USD; required for stop and stop-limit orders: the last trade that triggers them. */
  readonly stopPrice?: number;
  /** Trailing stop distance from the best price since entry, USD (or use `trailPercent`). */
  readonly trailPrice?: number;
  /** Trailing stop distance, percent of the best price since entry. */
  readonly trailPercent?: number;
  readonly timeInForce: TimeInForce;
  /** May fill in the pre-market and after-hours sessions (limit day orders only). */
  readonly extendedHours?: boolean;
  /** Default `simple`. */
  readonly orderClass?: OrderClass;
  readonly takeProfit?: { readonly limitPrice: number };
  readonly stopLoss?: { readonly stopPrice: number; readonly limitPrice?: number };
  /** Idempotency key; created by the engine when absent. At most 48 characters. */
  readonly clientOrderId?: string;
}

/** An order as the engine tracks it. */
export interface Order {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: Symbol;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Shares ordered. */
  readonly quantity: number;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly trailPrice: number | null;
  readonly trailPercent: number | null;
  readonly extendedHours: boolean;
  readonly orderClass: OrderClass;
  /** The exits this order arms when it fills (bracket, oto), or its sibling's (oco). */
  readonly legs: OrderLegs | null;
  /** The order whose fill armed this one, for exit legs. */
  readonly parentId: string | null;
  readonly status: OrderStatus;
  /** Shares filled so far. */
  readonly filledQuantity: number;
  /** Average fill price, USD; null before the first fill. */
  readonly averageFillPrice: number | null;
  /** Why the order was rejected, canceled or expired, in words a trader reads. */
  readonly reason: string | null;
  /** ms since epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One execution of an order. */
export interface Fill {
  readonly id: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: Symbol;
  readonly side: OrderSide;
  /** Shares. */
  readonly quantity: number;
  /** USD per share. */
  readonly price: number;
  /** ms since epoch. */
  readonly time: number;
}

/** A position, long (quantity > 0) or short (quantity < 0). */
export interface Position {
  readonly symbol: Symbol;
  /** Signed shares. */
  readonly quantity: number;
  /** Average entry price, USD (average cost); 0 when flat. */
  readonly averageEntryPrice: number;
  /** Last trade price, USD, used for marking. */
  readonly lastPrice: number | null;
  /** quantity × last, USD. */
  readonly marketValue: number | null;
  /** (last − average entry) × quantity, USD. */
  readonly unrealizedPnl: number | null;
  /** P&L realized today by average cost, USD. */
  readonly realizedPnl: number;
}

/** The paper (or broker) account. */
export interface Account {
  /** USD. */
  readonly cash: number;
  /** cash + Σ market value, USD. */
  readonly equity: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  /** USD the broker lets the trader commit to new positions (cash account: equity − long value). */
  readonly buyingPower: number;
}

/** The broker connection and how current the workstation's view of the account is. */
export interface BrokerHealth {
  readonly provider: 'paper' | 'alpaca';
  /** Paper money or real money. */
  readonly mode: 'paper' | 'live';
  readonly state: 'connecting' | 'connected' | 'disconnected' | 'error';
  /** The broker's order-update stream is up: fills arrive as they happen. */
  readonly streamUp: boolean;
  /** Last time orders and positions were reconciled with the broker, ms since epoch (wall clock); null before the first. */
  readonly lastReconciledAt: number | null;
  /** Orders held until the order-update stream is back. */
  readonly heldOrders: number;
  /** Order round trip (sent → the broker's first answer), ms over the last 1 024 orders; absent before the first. */
  readonly orderRoundTrip?: { readonly p50Ms: number; readonly p99Ms: number } | null;
  /** What the trader should know, e.g. why the connection failed. */
  readonly detail: string | null;
}

/** One live market-data provider connection, for the health window. */
export interface ProviderHealth {
  readonly name: 'alpaca' | 'polygon';
  /** e.g. "Alpaca sip", "Polygon". */
  readonly label: string;
  readonly role: 'primary' | 'backup';
  /** Its data is the one flowing into the workstation. */
  readonly active: boolean;
  readonly state: 'idle' | 'connecting' | 'authenticating' | 'live' | 'disconnected' | 'failed';
  /** Messages accepted since start. */
  readonly messages: number;
  /** Dropped messages by reason (unparseable, missing_field, non_positive_price, crossed_quote, far_timestamp, duplicate, out_of_order, …). */
  readonly dropped: Readonly<Record<string, number>>;
  readonly reconnects: number;
  /** Wall time of the last frame of any kind, ms since epoch; null before the first. */
  readonly lastMessageAt: number | null;
  /** Exchange timestamp → received, and received → handed to the engine, ms, over the last minute. */
  readonly latency: { readonly receiveP50: number | null; readonly receiveP99: number | null; readonly engineP50: number | null; readonly engineP99: number | null };
  /** Symbols over the plan's limit (not streamed). */
  readonly overLimit: readonly Symbol[];
  readonly detail: string | null;
}

/** The engine process and its store, for the health window. */
export interface EngineHealth {
  /** Event-loop delay over the last interval, ms (how late the engine answers). */
  readonly eventLoopP50Ms: number;
  readonly eventLoopP99Ms: number;
  /** CPU used by the engine process over the last interval, % of one core. */
  readonly cpuPercent: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Size of the workstation database (orders, fills, bars, settings), bytes. */
  readonly databaseBytes: number;
  /** Minute bars waiting to be written. */
  readonly storeQueue: number;
}

/** How smoothly one window draws, as it reports itself every 2 s. */
export interface WindowHealth {
  readonly clientId: string;
  readonly kind: string;
  /** Frames drawn per second over the last interval (0 while hidden: browsers pause drawing). */
  readonly fps: number;
  /** Longest gap between two frames in the interval, ms (render lag a trader feels as a stutter). */
  readonly longestFrameMs: number;
  readonly visible: boolean;
  /** When the engine received the report, ms since epoch (wall clock). */
  readonly at: number;
}

/** The recording of live market data, for the UI. */
export interface RecordingHealth {
  readonly enabled: boolean;
  readonly ticks: number;
  /** Size of the recording file, bytes. */
  readonly bytes: number;
  /** Oldest and newest recorded tick, ms since epoch. */
  readonly oldest: number | null;
  readonly newest: number | null;
  readonly retentionDays: number;
}

/** Which feed drives the engine and how it is doing. */
export interface FeedHealth {
  readonly provider: 'simulated' | 'replay' | 'alpaca' | 'polygon';
  /** Live providers (primary first), for live feeds. */
  readonly providers?: readonly ProviderHealth[];
  /** Symbols whose data stopped arriving at their usual rate (live feeds). */
  readonly staleSymbols?: readonly Symbol[];
  readonly state: 'connecting' | 'live' | 'ended' | 'error';
  readonly symbols: readonly Symbol[];
  /** Messages received and dropped since start. */
  readonly messages: number;
  readonly dropped: Readonly<Record<string, number>>;
  /** Feed clock, ms since epoch (replays run behind the wall clock). */
  readonly clock: number | null;
  /** Replay speed multiplier; `null` = as fast as possible or real time. */
  readonly speed: number | null;
  readonly detail: string | null;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';

/** A trade idea: where to enter, where the idea is wrong, where to take profit (USD). */
export interface TradeSuggestion {
  readonly side: OrderSide;
  readonly entry: number;
  readonly stop: number;
  readonly target: number;
  /** (target − entry) ÷ (entry − stop), e.g. 2 for 2:1. */
  readonly rewardRisk: number;
}

/** Something the trader should look at: a screener hit, a market anomaly, a risk or system event. */
export interface Alert {
  readonly id: string;
  /** Feed time it fired, ms since epoch. */
  readonly time: number;
  readonly source: 'screener' | 'anomaly' | 'risk' | 'system';
  /** What fired: `gap-and-go`, `vwap-reclaim`, `price-spike`, `volume-spike`, `spread-blowout`, `stale-symbol`, `crossed-market`. */
  readonly kind: string;
  /** Screener instance id, for screener alerts. */
  readonly instanceId: string | null;
  readonly symbol: Symbol | null;
  readonly severity: AlertSeverity;
  /** Short headline, e.g. "Gap & Go IBM". */
  readonly title: string;
  /** One sentence a trader reads at a glance, with the numbers. */
  readonly message: string;
  /** The rule values that made it fire (gap %, relative volume, z-score …). */
  readonly values: Readonly<Record<string, number>>;
  readonly suggestion: TradeSuggestion | null;
  /** Start of the bar it fired on (ms since epoch), for bar-based alerts. */
  readonly barTime: number | null;
  /** When the trader acknowledged it (wall clock, ms since epoch); absent or null while unacknowledged. */
  readonly acknowledgedAt?: number | null;
}

export interface GapAndGoParams {
  /** Minimum gap from the previous close, percent. */
  readonly minGapPercent: number;
  /** Minimum cumulative relative volume (session volume so far ÷ usual volume by this time). */
  readonly minRelativeVolume: number;
  /** Stop this far under session VWAP, percent of VWAP. */
  readonly stopBelowVwapPercent: number;
  /** Target = entry + rewardRisk × (entry − stop). */
  readonly rewardRisk: number;
}

export interface VwapReclaimParams {
  /** Closed bars below session VWAP before the reclaim. */
  readonly minBarsBelow: number;
  /** Reclaim bar volume ÷ average volume of the bars below it. */
  readonly minVolumeRatio: number;
  /** Stop this far under the reclaim bar's low, USD. */
  readonly stopBufferUsd: number;
  readonly rewardRisk: number;
}

interface ScreenerBase {
  /** Stable id of this configured instance. */
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  /** Symbols screened; empty = every symbol of the feed. */
  readonly symbols: readonly Symbol[];
  /** At most this many alerts per symbol per trading day. */
  readonly maxAlertsPerDay: number;
  /** Minutes between two alerts of one symbol. */
  readonly cooldownMinutes: number;
}

export type ScreenerConfig =
  | (ScreenerBase & { readonly kind: 'gap-and-go'; readonly params: GapAndGoParams })
  | (ScreenerBase & { readonly kind: 'vwap-reclaim'; readonly params: VwapReclaimParams });

export type ScreenerKind = ScreenerConfig['kind'];

/** Thresholds of the market-anomaly detectors. */
export interface AnomalySettings {
  readonly enabled: boolean;
  /** Rolling window of 1-minute bars for return and volume statistics. */
  readonly windowBars: number;
  /** |z-score| of a 1-minute return that counts as a price spike. */
  readonly priceSpikeZ: number;
  /** Bar volume ÷ rolling average volume that counts as a volume spike. */
  readonly volumeSpikeMultiple: number;
  /** Spread ÷ the symbol's normal spread that counts as a blow-out. */
  readonly spreadMultiple: number;
  /** Seconds without a quote or trade, in the regular session, before a symbol is stale. */
  readonly staleSeconds: number;
  /** Minutes between two alerts of one kind for one symbol. */
  readonly cooldownMinutes: number;
}

/** Pre-trade limits and the daily loss lock; every one is a setting. Money in USD. */
export interface RiskLimits {
  /** Largest quantity of one order, shares. */
  readonly maxOrderQuantity: number;
  /** Largest notional (quantity × price, USD) of one order. */
  readonly maxOrderNotional: number;
  /** Largest position notional in one symbol after the order, USD. */
  readonly maxPositionNotional: number;
  /** Most symbols with an open position at once. */
  readonly maxOpenPositions: number;
  /** How far through the NBBO a limit may be priced, percent (fat-finger guard). */
  readonly priceBandPercent: number;
  /** Whether a sell may open or grow a short position. */
  readonly allowShortSelling: boolean;
  /** Orders the trader may send in any 60 seconds. */
  readonly maxOrdersPerMinute: number;
  /** Fills per trading day. */
  readonly maxDailyTrades: number;
  /** Day P&L (realized + unrealized) at which the lock engages, USD, as a positive number. */
  readonly dailyLossLimit: number;
  /** What the lock does: only exposure-reducing orders, or none at all. */
  readonly lossLimitAction: 'reduce' | 'halt';
}

/** ACTIVE: all orders pass the checks; REDUCING: only orders that reduce exposure; HALTED: none. */
export type RiskStateKind = 'active' | 'reducing' | 'halted';

/** The risk state and the day's counters; persisted, so a restart cannot reset them. */
export interface RiskStatus {
  readonly state: RiskStateKind;
  /** Why the state is not active, for the trader. */
  readonly reason: string | null;
  /** Trading date (`YYYY-MM-DD`) the counters belong to; they restart at the next session. */
  readonly date: string;
  readonly ordersToday: number;
  readonly tradesToday: number;
  /** Day P&L at the last check, USD. */
  readonly dayPnl: number;
  /** The daily loss limit engaged today: only the next session can make trading ACTIVE again. */
  readonly lossLocked?: boolean;
  /** The trader locked the risk settings for this session: they cannot change until the app restarts. */
  readonly settingsLocked?: boolean;
}

/** Settings a trader can change; validated by {@link ../shared/schemas}. */
export interface Settings {
  readonly watchlist: readonly Symbol[];
  readonly charts: {
    /** Whether pre-market and after-hours bars show on intraday charts (daily bars are always the regular session). */
    readonly extendedHours: boolean;
  };
  readonly screeners: readonly ScreenerConfig[];
  readonly anomaly: AnomalySettings;
  readonly risk: RiskLimits;
  readonly paper: {
    /** Starting cash of the paper account, USD. */
    readonly startingCash: number;
    /** Simulated round trip to the paper broker, ms of wall time (0 = immediate). */
    readonly latencyMs: number;
  };
  readonly recording: {
    /** Record every live quote and trade for replay (`recordings.db` in the data folder). */
    readonly enabled: boolean;
    /** Recorded ticks older than this are deleted, days. */
    readonly retentionDays: number;
  };
  /** Keyboard shortcuts that send orders and cancels (local to the app's windows). */
  readonly hotkeys: HotkeySettings;
  readonly broker: {
    /** While the broker's order-update stream is down: hold new orders until it is back, or refuse them. */
    readonly whenStreamDown: 'hold' | 'refuse';
    /** A held order not sent within this many seconds is canceled (prices move). */
    readonly maxHoldSeconds: number;
  };
  /** Order ticket defaults. */
  readonly ticket: TicketSettings;
  /** Desktop notifications and sounds for alerts. */
  readonly notifications: NotificationSettings;
  /** Theme and text size of every window. */
  readonly appearance: AppearanceSettings;
  /** Where the system-health gauges turn amber and red. */
  readonly healthThresholds: HealthThresholds;
  /** How much the app writes to its log files (the environment variable WORKSTATION_LOG_LEVEL wins when set). */
  readonly logging: { readonly level: LogLevel };
}

/** Log levels, most severe first; a level writes its own lines and all more severe ones. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TicketSettings {
  /** Quantities offered as one-click buttons on the ticket, shares (1–8 of them). */
  readonly sizePresets: readonly number[];
  /** Dollars risked per trade for R-sizing: quantity = floor(risk ÷ |entry − stop|), USD. */
  readonly riskPerTradeUsd: number;
}

/** Per alert severity: a desktop notification, a sound, or both. */
export interface NotificationSettings {
  readonly desktop: Readonly<Record<AlertSeverity, boolean>>;
  readonly sound: Readonly<Record<AlertSeverity, boolean>>;
  /** At most one notification (and one sound) per this many seconds; alerts in between are summed up in the next. */
  readonly throttleSeconds: number;
}

export interface AppearanceSettings {
  /** Dark is the default on a trading desk. */
  readonly theme: 'dark' | 'light';
  /** Text size multiplier of every window, 0.8–1.6 (1 = 12 px base). */
  readonly fontScale: number;
}

/** A gauge's amber and red limits; amber < red. */
export interface GaugeLimits {
  readonly amber: number;
  readonly red: number;
}

export interface HealthThresholds {
  /** Feed latency p99 (exchange time to arrival), ms. */
  readonly feedLatencyMs: GaugeLimits;
  /** Engine event-loop delay p99, ms. */
  readonly eventLoopMs: GaugeLimits;
  /** Engine CPU, % of one core. */
  readonly cpuPercent: GaugeLimits;
  /** Feed reconnects this session. */
  readonly reconnects: GaugeLimits;
  /** Order round trip (sent to acknowledged) p99, ms. */
  readonly orderRoundTripMs: GaugeLimits;
  /** A window's frames per second below these turn amber/red (lower is worse). */
  readonly windowFps: GaugeLimits;
}

export const DEFAULT_WATCHLIST: readonly Symbol[] = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'META', 'TSLA', 'SPY', 'QQQ'];

export const DEFAULT_GAP_AND_GO: GapAndGoParams = { minGapPercent: 10, minRelativeVolume: 3, stopBelowVwapPercent: 0.1, rewardRisk: 2 };
export const DEFAULT_VWAP_RECLAIM: VwapReclaimParams = { minBarsBelow: 5, minVolumeRatio: 1.5, stopBufferUsd: 0.01, rewardRisk: 2 };

export const DEFAULT_SETTINGS: Settings = {
  watchlist: DEFAULT_WATCHLIST,
  charts: { extendedHours: true },
  screeners: [
    { id: 'gap-and-go', kind: 'gap-and-go', name: 'Gap & Go', enabled: true, symbols: [], maxAlertsPerDay: 3, cooldownMinutes: 15, params: DEFAULT_GAP_AND_GO },
    { id: 'vwap-reclaim', kind: 'vwap-reclaim', name: 'VWAP reclaim', enabled: true, symbols: [], maxAlertsPerDay: 5, cooldownMinutes: 15, params: DEFAULT_VWAP_RECLAIM },
  ],
  anomaly: { enabled: true, windowBars: 30, priceSpikeZ: 4, volumeSpikeMultiple: 5, spreadMultiple: 5, staleSeconds: 30, cooldownMinutes: 5 },
  risk: {
    maxOrderQuantity: 10_000,
    maxOrderNotional: 250_000,
    maxPositionNotional: 500_000,
    maxOpenPositions: 20,
    priceBandPercent: 5,
    allowShortSelling: true,
    maxOrdersPerMinute: 60,
    maxDailyTrades: 500,
    dailyLossLimit: 5_000,
    lossLimitAction: 'halt',
  },
  paper: { startingCash: 100_000, latencyMs: 0 },
  broker: { whenStreamDown: 'hold', maxHoldSeconds: 30 },
  recording: { enabled: false, retentionDays: 30 },
  hotkeys: DEFAULT_HOTKEY_SETTINGS,
  ticket: { sizePresets: [100, 200, 500, 1_000], riskPerTradeUsd: 100 },
  notifications: {
    desktop: { info: false, warning: true, critical: true },
    sound: { info: false, warning: false, critical: true },
    throttleSeconds: 10,
  },
  appearance: { theme: 'dark', fontScale: 1 },
  healthThresholds: {
    feedLatencyMs: { amber: 250, red: 1_000 },
    eventLoopMs: { amber: 20, red: 100 },
    cpuPercent: { amber: 70, red: 90 },
    reconnects: { amber: 1, red: 5 },
    orderRoundTripMs: { amber: 250, red: 1_000 },
    windowFps: { amber: 45, red: 25 },
  },
  logging: { level: 'info' },
};
