import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_SETTINGS } from '../../../electron/main/connection-settings';
import { buildEngineConfig, describeEngineConfig, type EngineConfigInputs } from '../../../electron/main/engine-config-builder';
import type { ConnectionSettings } from '../../../shared/preload-api';

const ALPACA = { keyId: 'PKABCDEFGHIJKLMNOP12', secretKey: 's'.repeat(40) };
const POLYGON = { apiKey: 'p'.repeat(32) };

function inputs(overrides: Partial<Omit<EngineConfigInputs, 'settings'>> & { settings?: Partial<ConnectionSettings> } = {}): EngineConfigInputs {
  return { env: {}, dataDir: '/data', keys: {}, ...overrides, settings: { ...DEFAULT_CONNECTION_SETTINGS, ...overrides.settings } };
}

describe('buildEngineConfig', () => {
  it('no keys anywhere: the simulated market and the paper broker', () => {
    const built = buildEngineConfig(inputs({ sqliteNativeBinding: '/app/.electron-native/better_sqlite3.node' }));
    expect(built).toEqual({
      config: { dataDir: '/data', feed: { kind: 'simulated' }, sqliteNativeBinding: '/app/.electron-native/better_sqlite3.node' },
      source: 'settings',
      warnings: [],
    });
  });

  it('environment keys win over stored keys and settings', () => {
    const env = { APCA_API_KEY_ID: 'PKENV0000000000000001', APCA_API_SECRET_KEY: 'e'.repeat(40), POLYGON_API_KEY: 'q'.repeat(32), APCA_DATA_FEED: 'sip' };
    const built = buildEngineConfig(inputs({ env, keys: { alpaca: ALPACA }, settings: { dataPrimary: 'polygon', broker: 'paper' } }));
    expect(built.source).toBe('environment');
    expect(built.config.feed).toMatchObject({ kind: 'live', primary: { provider: 'alpaca', keyId: 'PKENV0000000000000001', feed: 'sip' }, backup: { provider: 'polygon', apiKey: 'q'.repeat(32) } });
    expect(built.config.alpaca).toMatchObject({ keyId: 'PKENV0000000000000001', baseUrl: 'https://paper-api.alpaca.markets', live: false });
    expect(built.config.history).toMatchObject({ keyId: 'PKENV0000000000000001', feed: 'sip' });
  });

  it('stored keys and settings choose feed, backup, Alpaca feed and broker (paper base URL)', () => {
    const built = buildEngineConfig(
      inputs({ keys: { alpaca: ALPACA, polygon: POLYGON }, settings: { dataPrimary: 'alpaca', dataBackup: 'polygon', alpacaFeed: 'sip', broker: 'alpaca', alpacaEnvironment: 'paper' } }),
    );
    expect(built.source).toBe('settings');
    expect(built.warnings).toEqual([]);
    expect(built.config).toEqual({
      dataDir: '/data',
      feed: {
        kind: 'live',
        primary: { provider: 'alpaca', keyId: ALPACA.keyId, secretKey: ALPACA.secretKey, streamUrl: 'wss://stream.data.alpaca.markets', feed: 'sip' },
        backup: { provider: 'polygon', apiKey: POLYGON.apiKey, wsUrl: 'wss://socket.polygon.io' },
      },
      history: { dataUrl: 'https://data.alpaca.markets', keyId: ALPACA.keyId, secretKey: ALPACA.secretKey, feed: 'sip' },
      alpaca: { keyId: ALPACA.keyId, secretKey: ALPACA.secretKey, baseUrl: 'https://paper-api.alpaca.markets', live: false },
    });
    expect(describeEngineConfig(built.config)).toBe('live data from alpaca (sip), backup polygon; Alpaca paper trading');
  });

  it('the live environment trades at api.alpaca.markets', () => {
    const built = buildEngineConfig(inputs({ keys: { alpaca: ALPACA }, settings: { broker: 'alpaca', alpacaEnvironment: 'live' } }));
    expect(built.config.alpaca).toEqual({ keyId: ALPACA.keyId, secretKey: ALPACA.secretKey, baseUrl: 'https://api.alpaca.markets', live: true });
    expect(built.config.feed).toEqual({ kind: 'simulated' });
    expect(describeEngineConfig(built.config)).toBe('simulated market; Alpaca LIVE trading');
  });

  it('Polygon data with the paper broker; no history without Alpaca keys', () => {
    const built = buildEngineConfig(inputs({ keys: { polygon: POLYGON }, settings: { dataPrimary: 'polygon' } }));
    expect(built.config.feed).toEqual({ kind: 'live', primary: { provider: 'polygon', apiKey: POLYGON.apiKey, wsUrl: 'wss://socket.polygon.io' } });
    expect(built.config).not.toHaveProperty('history');
    expect(built.config).not.toHaveProperty('alpaca');
  });

  it('a choice without its keys falls back to the simulated market / paper broker, with warnings that hold no key', () => {
    const built = buildEngineConfig(inputs({ keys: { polygon: POLYGON }, settings: { dataPrimary: 'alpaca', dataBackup: 'polygon', broker: 'alpaca' } }));
    expect(built.config.feed).toEqual({ kind: 'simulated' });
    expect(built.config).not.toHaveProperty('alpaca');
    expect(built.warnings.length).toBeGreaterThanOrEqual(2);
    expect(built.warnings.join(' ')).not.toContain(POLYGON.apiKey);
  });
});
