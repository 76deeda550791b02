/**
 * Builds the engine worker's {@link EngineConfig} in the Electron app. Environment variables win
 * when set (the vendors' own names: `APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`, `POLYGON_API_KEY`,
 * … see `shared/engine-config.ts`), so a developer's shell or a test harness behaves as before;
 * otherwise the keys stored in Settings → Data & Brokers and the connection settings choose the
 * feed (simulated, Alpaca or Polygon, with a backup), the Alpaca data feed (IEX or SIP) and the
 * broker (paper, or Alpaca paper / live). A choice whose keys are missing falls back to the
 * simulated market or the paper broker, with a warning. Pure: no Electron, no file access.
 */
import {
  ALPACA_DATA_URL,
  ALPACA_LIVE_URL,
  ALPACA_PAPER_URL,
  ALPACA_STREAM_URL,
  POLYGON_WS_URL,
  alpacaHistoryFromEnv,
  alpacaTradingFromEnv,
  liveProviderFromEnv,
  type EngineConfig,
  type LiveProviderConfig,
} from '../../shared/engine-config';
import type { ConnectionSettings } from '../../shared/preload-api';
import type { DecryptedKeys } from './key-store';

/** Everything {@link buildEngineConfig} reads. */
export interface EngineConfigInputs {
  /** `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Folder for the engine's data (the user-data folder). */
  readonly dataDir: string;
  readonly settings: ConnectionSettings;
  /** Stored keys, decrypted. */
  readonly keys: DecryptedKeys;
  /** better-sqlite3 addon built for Electron's ABI, when present. */
  readonly sqliteNativeBinding?: string;
}

/** The config, where it came from, and what could not be honoured (no key or secret in the text). */
export interface BuiltEngineConfig {
  readonly config: EngineConfig;
  readonly source: 'environment' | 'settings';
  readonly warnings: readonly string[];
}

/** `true` when the environment holds provider keys, which then decide the whole config. */
export function envHasProviderKeys(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean((env.APCA_API_KEY_ID && env.APCA_API_SECRET_KEY) || env.POLYGON_API_KEY);
}

/** The config from the environment alone: Alpaca data (Polygon as backup) and Alpaca trading when their keys are set. */
function fromEnvironment(inputs: EngineConfigInputs): Omit<EngineConfig, 'dataDir' | 'sqliteNativeBinding'> {
  const { env } = inputs;
  const alpacaFeed = env.APCA_DATA_FEED === 'sip' ? 'sip' : 'iex';
  const alpaca = alpacaTradingFromEnv(env);
  const alpacaData = liveProviderFromEnv('alpaca', env, alpacaFeed);
  const polygonData = liveProviderFromEnv('polygon', env);
  const primary = alpacaData ?? polygonData;
  const backup = alpacaData ? polygonData : null;
  const history = alpacaHistoryFromEnv(env, alpacaFeed);
  return {
    feed: primary ? { kind: 'live', primary, ...(backup ? { backup } : {}) } : { kind: 'simulated' },
    ...(primary && history ? { history } : {}),
    ...(alpaca ? { alpaca } : {}),
  };
}

/** The config from the stored keys and connection settings. */
function fromSettings(inputs: EngineConfigInputs, warnings: string[]): Omit<EngineConfig, 'dataDir' | 'sqliteNativeBinding'> {
  const { settings, keys } = inputs;
  const provider = (choice: 'alpaca' | 'polygon', role: string): LiveProviderConfig | null => {
    if (choice === 'alpaca') {
      if (keys.alpaca) return { provider: 'alpaca', keyId: keys.alpaca.keyId, secretKey: keys.alpaca.secretKey, streamUrl: ALPACA_STREAM_URL, feed: settings.alpacaFeed };
      warnings.push(`No Alpaca keys are stored: the ${role} data provider Alpaca is not used`);
      return null;
    }
    if (keys.polygon) return { provider: 'polygon', apiKey: keys.polygon.apiKey, wsUrl: POLYGON_WS_URL };
    warnings.push(`No Polygon key is stored: the ${role} data provider Polygon is not used`);
    return null;
  };
  const primary = settings.dataPrimary === 'simulated' ? null : provider(settings.dataPrimary, 'primary');
  const backup = primary && settings.dataBackup !== 'none' && settings.dataBackup !== settings.dataPrimary ? provider(settings.dataBackup, 'backup') : null;
  if (settings.dataPrimary !== 'simulated' && !primary) warnings.push('Using the simulated market instead');

  let alpaca: EngineConfig['alpaca'];
  if (settings.broker === 'alpaca') {
    if (keys.alpaca) {
      const live = settings.alpacaEnvironment === 'live';
      alpaca = { keyId: keys.alpaca.keyId, secretKey: keys.alpaca.secretKey, baseUrl: live ? ALPACA_LIVE_URL : ALPACA_PAPER_URL, live };
    } else {
      warnings.push('No Alpaca keys are stored: orders go to the paper broker');
    }
  }
  const history = primary && keys.alpaca ? { dataUrl: ALPACA_DATA_URL, keyId: keys.alpaca.keyId, secretKey: keys.alpaca.secretKey, feed: settings.alpacaFeed } : null;
  return {
    feed: primary ? { kind: 'live', primary, ...(backup ? { backup } : {}) } : { kind: 'simulated' },
    ...(history ? { history } : {}),
    ...(alpaca ? { alpaca } : {}),
  };
}

/**
 * The engine worker's config: from the environment when it holds provider keys
 * ({@link envHasProviderKeys}), else from the stored keys and connection settings. No keys
 * anywhere: the simulated market and the paper broker.
 * @throws Error when `APCA_API_BASE_URL` is set but not an http(s) URL.
 */
export function buildEngineConfig(inputs: EngineConfigInputs): BuiltEngineConfig {
  const warnings: string[] = [];
  const source = envHasProviderKeys(inputs.env) ? 'environment' : 'settings';
  const parts = source === 'environment' ? fromEnvironment(inputs) : fromSettings(inputs, warnings);
  return {
    config: {
      dataDir: inputs.dataDir,
      ...parts,
      ...(inputs.sqliteNativeBinding ? { sqliteNativeBinding: inputs.sqliteNativeBinding } : {}),
    },
    source,
    warnings,
  };
}

/** A one-line description of a config for the log: providers, feed, broker and environment; never a key. */
export function describeEngineConfig(config: EngineConfig): string {
  const feed =
    config.feed.kind === 'live'
      ? `live data from ${config.feed.primary.provider}${config.feed.primary.provider === 'alpaca' ? ` (${config.feed.primary.feed})` : ''}${config.feed.backup ? `, backup ${config.feed.backup.provider}` : ''}`
      : `${config.feed.kind} market`;
  const broker = config.alpaca ? `Alpaca ${config.alpaca.live ? 'LIVE' : 'paper'} trading` : 'paper broker';
  return `${feed}; ${broker}`;
}
