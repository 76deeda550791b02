/**
 * How the engine worker is started: which feed, where its data lives. Built by the Electron main
 * process or the headless host and passed as the worker's `workerData`.
 */
import type { Symbol } from './domain';

export type FeedConfig =
  | { readonly kind: 'simulated'; readonly symbols?: readonly Symbol[]; readonly seed?: number }
  | {
      readonly kind: 'replay';
      /** Folder holding `equity/usa/…` (Lean layout). */
      readonly dir: string;
      readonly symbols: readonly Symbol[];
      /** `YYYY-MM-DD`. */
      readonly date: string;
      /** Feed-time multiplier or `'max'`. */
      readonly speed: number | 'max';
      /** `HH:MM` exchange time to fast-forward to. */
      readonly from?: string;
    };

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
}
