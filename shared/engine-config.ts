/**
 * How the engine worker is started: which feed, where its data lives. Built by the Electron main
 * process or the headless host and passed as the worker's `workerData`.
 */
import type { Symbol } from './domain';

/** One live market-data provider and how to reach it. */
export type LiveProviderConfig =
  | {
      readonly provider: 'alpaca';
      readonly keyId: string;
      readonly secretKey: string;
      /** Stream base (`APCA_API_STREAM_URL`), default `wss://stream.data.alpaca.markets`. */
      readonly streamUrl: string;
      readonly feed: 'iex' | 'sip' | 'delayed_sip' | 'test';
      /** msgpack framing instead of JSON. */
      readonly msgpack?: boolean;
    }
  | {
      readonly provider: 'polygon';
      readonly apiKey: string;
      /** Websocket base (`POLYGON_WS_URL`), default `wss://socket.polygon.io`. */
      readonly wsUrl: string;
    };

export const ALPACA_STREAM_URL = 'wss://stream.data.alpaca.markets';
export const ALPACA_DATA_URL = 'https://data.alpaca.markets';
export const POLYGON_WS_URL = 'wss://socket.polygon.io';

export type FeedConfig =
  | { readonly kind: 'simulated'; readonly symbols?: readonly Symbol[]; readonly seed?: number }
  | {
      readonly kind: 'live';
      readonly primary: LiveProviderConfig;
      readonly backup?: LiveProviderConfig;
      /** Symbols to stream (default: the watchlist). */
      readonly symbols?: readonly Symbol[];
    }
  | {
      readonly kind: 'replay';
      /** Folder holding `equity/usa/…` (Lean layout). */
      readonly dir: string;
      /** The app's own recording file (`recordings.db`) to replay instead of Lean files. */
      readonly recording?: string;
      readonly symbols: readonly Symbol[];
      /** `YYYY-MM-DD`. */
      readonly date: string;
      /** Feed-time multiplier or `'max'`. */
      readonly speed: number | 'max';
      /** `HH:MM` exchange time to fast-forward to. */
      readonly from?: string;
    };

/** Alpaca trading account (REST + trade_updates stream). */
export interface AlpacaTradingConfig {
  readonly keyId: string;
  readonly secretKey: string;
  /** Trading REST base, e.g. `https://paper-api.alpaca.markets`. */
  readonly baseUrl: string;
  /** `trade_updates` stream URL; default: the base URL with a ws(s) scheme and `/stream`. */
  readonly streamUrl?: string;
  /** Real money: the base URL is Alpaca's live host. */
  readonly live: boolean;
}

export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_LIVE_HOST = 'api.alpaca.markets';

/**
 * Alpaca trading from the variables Alpaca's own SDKs read: `APCA_API_KEY_ID`,
 * `APCA_API_SECRET_KEY`, `APCA_API_BASE_URL` (default paper) and, for tests, `APCA_API_TRADING_STREAM_URL`.
 * Null without both keys (the app then trades on its paper broker).
 * @throws Error when `APCA_API_BASE_URL` is not an http(s) URL.
 */
export function alpacaTradingFromEnv(env: Readonly<Record<string, string | undefined>>): AlpacaTradingConfig | null {
  const keyId = env.APCA_API_KEY_ID;
  const secretKey = env.APCA_API_SECRET_KEY;
  if (!keyId || !secretKey) return null;
  const baseUrl = env.APCA_API_BASE_URL || ALPACA_PAPER_URL;
  const match = /^https?:\/\/([^/:?#]+)/i.exec(baseUrl);
  if (!match) throw new Error(`APCA_API_BASE_URL must be an http(s) URL, got ${baseUrl}`);
  const streamUrl = env.APCA_API_TRADING_STREAM_URL;
  return { keyId, secretKey, baseUrl, live: match[1]?.toLowerCase() === ALPACA_LIVE_HOST, ...(streamUrl ? { streamUrl } : {}) };
}

/**
 * A live provider from the vendors' usual environment variables, or null without its keys:
 * Alpaca `APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`, `APCA_API_STREAM_URL`; Polygon
 * `POLYGON_API_KEY`, `POLYGON_WS_URL`.
 */
export function liveProviderFromEnv(
  provider: 'alpaca' | 'polygon',
  env: Readonly<Record<string, string | undefined>>,
  alpacaFeed: 'iex' | 'sip' | 'delayed_sip' | 'test' = 'iex',
): LiveProviderConfig | null {
  if (provider === 'alpaca') {
    const keyId = env.APCA_API_KEY_ID;
    const secretKey = env.APCA_API_SECRET_KEY;
    if (!keyId || !secretKey) return null;
    return { provider, keyId, secretKey, streamUrl: env.APCA_API_STREAM_URL || ALPACA_STREAM_URL, feed: alpacaFeed };
  }
  const apiKey = env.POLYGON_API_KEY;
  if (!apiKey) return null;
  return { provider, apiKey, wsUrl: env.POLYGON_WS_URL || POLYGON_WS_URL };
}

/** Alpaca's market-data REST (`APCA_API_DATA_URL`, default data.alpaca.markets) with the Alpaca keys, or null without them. */
export function alpacaHistoryFromEnv(env: Readonly<Record<string, string | undefined>>, feed: 'iex' | 'sip' = 'iex'): EngineConfig['history'] | null {
  const keyId = env.APCA_API_KEY_ID;
  const secretKey = env.APCA_API_SECRET_KEY;
  if (!keyId || !secretKey) return null;
  return { dataUrl: env.APCA_API_DATA_URL || ALPACA_DATA_URL, keyId, secretKey, feed };
}

export interface EngineConfig {
  /** Folder for the database (the app's user-data folder). */
  readonly dataDir: string;
  readonly feed: FeedConfig;
  /** better-sqlite3 addon built for Electron's ABI, when running inside Electron. */
  readonly sqliteNativeBinding?: string;
  /** Alpaca market-data REST, to backfill minute bars of a live feed (`APCA_API_DATA_URL` and keys). */
  readonly history?: {
    readonly dataUrl: string;
    readonly keyId: string;
    readonly secretKey: string;
    readonly feed: 'iex' | 'sip';
  };
  /** Trade through Alpaca; absent: the paper broker. */
  readonly alpaca?: AlpacaTradingConfig;
}

/** Alpaca's live-money trading REST base (host {@link ALPACA_LIVE_HOST}). */
export const ALPACA_LIVE_URL = `https://${ALPACA_LIVE_HOST}`;
