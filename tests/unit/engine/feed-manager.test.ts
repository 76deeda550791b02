import { afterEach, describe, expect, it } from 'vitest';
import type { Symbol } from '../../../shared/domain';
import { FeedManager } from '../../../electron/engine/feeds/feed-manager';
import { ProviderStream, type ProviderStreamListener } from '../../../electron/engine/feeds/provider-stream';
import type { MarketEvent } from '../../../electron/engine/feeds/stream-events';
import { TradeCondition } from '../../../shared/trade-conditions';

/** A provider with a 3-symbol plan that never connects: only subscriptions are under test. */
class LimitedStream extends ProviderStream {
  readonly name = 'alpaca' as const;
  readonly label = 'Alpaca iex (fake)';
  constructor(listener: ProviderStreamListener) {
    super(listener, { validator: { now: Date.now } });
  }
  override connect(): Promise<void> {
    return new Promise(() => undefined);
  }
  protected override symbolLimit(): number {
    return 3;
  }
  protected url(): string {
    return 'ws://127.0.0.1:9';
  }
  protected decode(): unknown[] | null {
    return null;
  }
  protected parse(): { ok: 'control'; control: unknown } {
    return { ok: 'control', control: null };
  }
  protected onControl(): void {}
  protected subscribeMessage(symbols: readonly Symbol[]): unknown {
    return symbols;
  }
  protected unsubscribeMessage(symbols: readonly Symbol[]): unknown {
    return symbols;
  }
}

let feed: FeedManager | null = null;
afterEach(() => feed?.stop());

describe('FeedManager subscriptions', () => {
  it('under a plan limit, the symbols windows show stream first; releasing a window gives its place back', () => {
    feed = new FeedManager({ symbols: ['AAPL', 'MSFT', 'NVDA', 'IBM', 'SPY'], primary: (l) => new LimitedStream(l) });
    feed.start({ onQuote() {}, onTrade() {}, onClock() {}, onHealth() {} });
    expect(feed.health().providers?.[0]?.overLimit).toEqual(['IBM', 'SPY']);
    feed.retain('window:chart-1', ['SPY']);
    feed.retain('window:chart-2', ['SPY', 'IBM']);
    expect(feed.wanted().slice(0, 2)).toEqual(['SPY', 'IBM']);
    expect(feed.health().providers?.[0]?.overLimit).toEqual(['MSFT', 'NVDA']);
    feed.release('window:chart-2');
    expect(feed.health().providers?.[0]?.overLimit).toEqual(['NVDA', 'IBM']);
    feed.release('window:chart-1');
    expect(feed.health().providers?.[0]?.overLimit).toEqual(['IBM', 'SPY']);
  });
});

/** A provider that is live at once and never sends anything; records recycles. */
class QuietStream extends LimitedStream {
  recycled = 0;
  override connect(): Promise<void> {
    this.becomeLive();
    return Promise.resolve();
  }
  override recycle(): void {
    this.recycled++;
  }
}

describe('FeedManager freshness by session', () => {
  it('quiet symbols before the open are not stale and the connection is kept; in the regular session silence is stale', async () => {
    const preMarket = Date.UTC(2013, 9, 7, 11, 0); // 07:00 ET
    let now = preMarket;
    let stream: QuietStream | null = null;
    const stale: Symbol[] = [];
    feed = new FeedManager({
      symbols: ['IBM', 'SPY'],
      now: () => now,
      freshness: { minStaleMs: 2_000, noDataMs: 15_000, checkEveryMs: 20 },
      primary: (l) => (stream = new QuietStream(l)),
    });
    feed.start({ onQuote() {}, onTrade() {}, onClock() {}, onHealth() {}, onSymbolStatus: (symbol, status) => status.stale && stale.push(symbol) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    now = preMarket + 10 * 60_000; // ten quiet pre-market minutes
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stale).toEqual([]);
    expect((stream as unknown as QuietStream).recycled).toBe(0);
    now = Date.UTC(2013, 9, 7, 13, 31); // 09:31 ET: nothing since the connection went live
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stale.sort()).toEqual(['IBM', 'SPY']);
    expect((stream as unknown as QuietStream).recycled).toBeGreaterThan(0);
  });
});

/** Live at once; every frame is one trade of the symbol it names (a frame handed over as the socket would). */
class OneTradeStream extends ProviderStream {
  readonly name = 'alpaca' as const;
  readonly label = 'Alpaca (fake)';
  constructor(listener: ProviderStreamListener) {
    super(listener, { validator: { now: Date.now } });
  }
  override connect(): Promise<void> {
    this.becomeLive();
    return Promise.resolve();
  }
  protected url(): string {
    return 'ws://127.0.0.1:9';
  }
  protected decode(data: Buffer): unknown[] | null {
    return [data.toString()];
  }
  protected parse(message: unknown): { ok: true; event: MarketEvent } {
    return { ok: true, event: { kind: 'trade', trade: { symbol: String(message), price: 100, size: 100, exchange: 'N', conditions: TradeCondition.Regular, time: Date.now() }, id: null } };
  }
  protected onControl(): void {}
  protected subscribeMessage(symbols: readonly Symbol[]): unknown {
    return symbols;
  }
  protected unsubscribeMessage(symbols: readonly Symbol[]): unknown {
    return symbols;
  }
}

describe('FeedManager accounting (fuzz regression)', () => {
  it('counts a message for a symbol nobody holds as dropped (unknown_symbol) instead of losing it silently', () => {
    let stream: OneTradeStream | null = null;
    feed = new FeedManager({ symbols: ['IBM'], primary: (l) => (stream = new OneTradeStream(l)) });
    const trades: string[] = [];
    feed.start({ onQuote() {}, onTrade: (t) => trades.push(t.symbol), onClock() {}, onHealth() {} });
    const frame = (s: string) => (stream as unknown as { onFrame(data: Buffer, binary: boolean): void }).onFrame(Buffer.from(s), false);
    frame('IBM');
    frame('ZZZZ');
    expect(trades).toEqual(['IBM']);
    expect(feed.health()).toMatchObject({ messages: 1, dropped: { unknown_symbol: 1 } });
  });
});
