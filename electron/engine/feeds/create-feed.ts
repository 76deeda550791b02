/** Builds the market-data feed an {@link EngineConfig} asks for. */
import { DEFAULT_WATCHLIST, type Symbol } from '../../../shared/domain';
import type { FeedConfig, LiveProviderConfig } from '../../../shared/engine-config';
import { AlpacaStream } from './alpaca-stream';
import { FeedManager } from './feed-manager';
import type { MarketDataFeed } from './market-data-feed';
import { PolygonStream } from './polygon-stream';
import type { ProviderStream, ProviderStreamListener } from './provider-stream';
import { ReplayFeed } from './replay-feed';
import { SimulatedFeed } from './simulated-feed';

/** A delayed feed's timestamps are 15 minutes old: allow 20. */
const DELAYED_SKEW_MS = 20 * 60_000;

/** The connection for one live provider. */
export function providerStream(config: LiveProviderConfig, listener: ProviderStreamListener): ProviderStream {
  if (config.provider === 'alpaca') {
    const validator = { now: Date.now, ...(config.feed === 'delayed_sip' ? { maxClockSkewMs: DELAYED_SKEW_MS } : {}) };
    return new AlpacaStream(
      { keyId: config.keyId, secretKey: config.secretKey, baseUrl: config.streamUrl, feed: config.feed, ...(config.msgpack ? { msgpack: true } : {}) },
      listener,
      { validator },
    );
  }
  return new PolygonStream({ apiKey: config.apiKey, baseUrl: config.wsUrl }, listener, { validator: { now: Date.now } });
}

/** @throws {RecordingNotFoundError} for a replay whose files are missing. */
export function createFeed(config: FeedConfig): MarketDataFeed {
  switch (config.kind) {
    case 'simulated':
      return new SimulatedFeed(config.seed === undefined ? { symbols: config.symbols ?? DEFAULT_WATCHLIST } : { symbols: config.symbols ?? DEFAULT_WATCHLIST, seed: config.seed });
    case 'replay':
      return new ReplayFeed(config);
    case 'live': {
      const symbols: readonly Symbol[] = config.symbols ?? DEFAULT_WATCHLIST;
      const backup = config.backup;
      return new FeedManager({
        symbols,
        primary: (listener) => providerStream(config.primary, listener),
        ...(backup ? { backup: (listener: ProviderStreamListener) => providerStream(backup, listener) } : {}),
      });
    }
  }
}
