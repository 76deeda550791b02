/** A hand-driven market-data feed for engine tests. */
import type { FeedHealth, Quote, Symbol, Trade } from '../../shared/domain';
import { TradeCondition } from '../../shared/trade-conditions';
import type { MarketDataFeed, MarketDataSink } from '../../electron/engine/feeds/market-data-feed';

export class FakeFeed implements MarketDataFeed {
  sink: MarketDataSink | null = null;
  constructor(
    readonly symbols: readonly Symbol[],
    readonly live = false,
  ) {}
  previousClose(): number | null {
    return 100;
  }
  start(sink: MarketDataSink): void {
    this.sink = sink;
  }
  stop(): void {
    this.sink = null;
  }
  health(): FeedHealth {
    return { provider: 'replay', state: 'live', symbols: this.symbols, messages: 0, dropped: {}, clock: null, speed: null, detail: null };
  }
  quote(symbol: Symbol, bid: number, ask: number, time: number): void {
    const q: Quote = { symbol, bid, bidSize: 100, bidExchange: 'N', ask, askSize: 100, askExchange: 'P', time };
    this.sink?.onQuote(q);
  }
  trade(symbol: Symbol, price: number, size: number, time: number): void {
    const t: Trade = { symbol, price, size, exchange: 'N', conditions: TradeCondition.Regular, time };
    this.sink?.onTrade(t);
  }
}
