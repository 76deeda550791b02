/** What the Electron preload exposes on `window.workstation`. */
import type { Dispose, ServerMessage, WindowParams } from './protocol';
import type { ChartLayout } from './layouts';
import type { LinkGroup } from './protocol';
import type { Symbol } from './domain';

/** Market-data providers a trader can pick. */
export type DataProviderChoice = 'simulated' | 'alpaca' | 'polygon';

/**
 * Where data comes from and where orders go: chosen in Settings → Data & Brokers, kept by the
 * main process (`connections.json` in the user-data folder), applied by restarting the engine
 * worker (the app keeps running, windows resubscribe).
 */
export interface ConnectionSettings {
  /** Primary market-data provider; `simulated` needs no keys. */
  readonly dataPrimary: DataProviderChoice;
  /** Provider taken over when the primary fails, or `none`. */
  readonly dataBackup: 'none' | 'alpaca' | 'polygon';
  /** Alpaca data feed: IEX (free) or SIP (all exchanges, paid plan). */
  readonly alpacaFeed: 'iex' | 'sip';
  /** Where orders go: the built-in paper broker or Alpaca. */
  readonly broker: 'paper' | 'alpaca';
  /** Alpaca environment: paper trading or live money. */
  readonly alpacaEnvironment: 'paper' | 'live';
}

export type KeyProvider = 'alpaca' | 'polygon';

/** What a window may know of a stored API key: never the secret, only that it exists and a hint. */
export interface KeyStatus {
  readonly provider: KeyProvider;
  readonly stored: boolean;
  /** Last 4 characters of the key id (Alpaca) or key (Polygon), for recognition; null when none is stored. */
  readonly hint: string | null;
}

/**
 * How `safeStorage` protects secrets on this machine: `os` (Keychain, DPAPI, libsecret/kwallet),
 * `basic_text` (Linux without a keyring: a hard-coded password, barely better than plain text),
 * or `unavailable`.
 */
export type SecretProtection = 'os' | 'basic_text' | 'unavailable';

export interface ConnectionsState {
  readonly settings: ConnectionSettings;
  readonly keys: readonly KeyStatus[];
  readonly protection: SecretProtection;
}

/** Outcome of a connections change; `field` names the bad input for the form. */
export type ConnectionsResult = { readonly ok: true; readonly state: ConnectionsState } | { readonly ok: false; readonly message: string; readonly field?: string };

/** Settings → Data & Brokers in the Electron app. Not available in the headless host (keys come from its environment). */
export interface ConnectionsApi {
  get(): Promise<ConnectionsState>;
  /** Validates and saves the choice, then restarts the engine with it. */
  update(settings: ConnectionSettings): Promise<ConnectionsResult>;
  /**
   * Encrypts and stores a key with `safeStorage`. Refused when protection is `unavailable`, and
   * when it is `basic_text` unless `acceptWeakProtection` (the trader accepted the warning).
   * `secret` is the Alpaca secret key; Polygon has only `keyId` (its API key).
   */
  storeKey(provider: KeyProvider, keyId: string, secret: string | null, acceptWeakProtection: boolean): Promise<ConnectionsResult>;
  clearKey(provider: KeyProvider): Promise<ConnectionsResult>;
}

/** What a window reports about itself so a layout can be saved (kind is known to main). */
export interface WindowStateReport {
  readonly symbol: Symbol | null;
  /** Link colour, or `none`. */
  readonly group: LinkGroup;
  readonly chart?: ChartLayout;
}

export interface WorkstationPreloadApi {
  /** Sends a request (a {@link ClientRequest}) to the engine. */
  send(request: unknown): void;
  /** Receives replies and event batches; returns the dispose. */
  onMessage(listener: (message: ServerMessage) => void): Dispose;
  /** Tells main the window is listening, so messages held for it are released. */
  ready(): void;
  /** Told when main closes this window's engine session (it stopped reading) and reopens it; returns the dispose. */
  onConnection(listener: (connected: boolean) => void): Dispose;
  /** Opens another workstation window. */
  openWindow(params: WindowParams): void;
  /** Tells main this window's symbol, link group and chart settings (for saving layouts). */
  reportState(state: WindowStateReport): void;
  /** Saves the current windows (bounds, displays, states) as layout `name` on this monitor arrangement. */
  saveLayout(name: string): void;
  /** Closes the current windows and opens layout `name`, placed on the displays that exist now. */
  applyLayout(name: string): void;
  readonly connections: ConnectionsApi;
}
