/** Builds the market-data feed an {@link EngineConfig} asks for. */
import { DEFAULT_WATCHLIST } from '../../../shared/domain';
import type { FeedConfig } from '../../../shared/engine-config';
import type { MarketDataFeed } from './market-data-feed';
import { ReplayFeed } from './replay-feed';
import { SimulatedFeed } from './simulated-feed';

/** @throws {RecordingNotFoundError} for a replay whose files are missing. */
export function createFeed(config: FeedConfig): MarketDataFeed {
  switch (config.kind) {
    case 'simulated':
      return new SimulatedFeed(config.seed === undefined ? { symbols: config.symbols ?? DEFAULT_WATCHLIST } : { symbols: config.symbols ?? DEFAULT_WATCHLIST, seed: config.seed });
    case 'replay':
      return new ReplayFeed(config);
  }
}
