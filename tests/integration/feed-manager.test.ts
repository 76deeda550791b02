/**
 * The live feed (FeedManager + Alpaca/Polygon connections) against the local stream doubles,
 * which replay the recorded IBM session of 2013-10-07: data arrives in order and equal to the
 * recording, bad messages are dropped and counted by reason, a silent socket is detected and
 * recycled, a dropped one reconnects and reports the gap, and with Alpaca down Polygon carries
 * the data.
 */
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../support/cleanups';
import type { FeedHealth, Quote, Symbol, Trade } from '../../shared/domain';
import { AlpacaStream } from '../../electron/engine/feeds/alpaca-stream';
import { FeedManager, type FeedManagerOptions } from '../../electron/engine/feeds/feed-manager';
import type { MarketDataSink, SymbolFeedStatus } from '../../electron/engine/feeds/market-data-feed';
import { PolygonStream } from '../../electron/engine/feeds/polygon-stream';
import type { ProviderStreamListener } from '../../electron/engine/feeds/provider-stream';
import { startAlpacaStreamDouble, type AlpacaStreamDouble } from '../doubles/alpaca-stream-double';
import { startPolygonStreamDouble, type PolygonStreamDouble } from '../doubles/polygon-stream-double';
import { exchangeTime } from '../doubles/recorded-stream';
import { waitFor } from '../support/wait-for';
import { HAS_LEAN_DATA } from '../support/shared-data';

const DATE = '2013-10-07';
const FROM = exchangeTime(DATE, '09:30');
const KEY = 'PKSTREAMKEY';
const SECRET = 'stream-secret';
const POLYGON_KEY = 'polygon-key';

class RecordingSink implements MarketDataSink {
  readonly trades: Trade[] = [];
  readonly quotes: Quote[] = [];
  readonly statuses: Array<[Symbol, SymbolFeedStatus]> = [];
  readonly gaps: Array<{ symbols: readonly Symbol[]; from: number; to: number }> = [];
  health: FeedHealth | null = null;
  onQuote(quote: Quote): void {
    this.quotes.push(quote);
  }
  onTrade(trade: Trade): void {
    this.trades.push(trade);
  }
  onClock(): void {}
  onHealth(health: FeedHealth): void {
    this.health = health;
  }
  onSymbolStatus(symbol: Symbol, status: SymbolFeedStatus): void {
    this.statuses.push([symbol, status]);
  }
  onGap(symbols: readonly Symbol[], from: number, to: number): void {
    this.gaps.push({ symbols, from, to });
  }
}

const cleanups = cleanupAfterEach();

async function alpacaDouble(options: Partial<Parameters<typeof startAlpacaStreamDouble>[0]> = {}): Promise<AlpacaStreamDouble> {
  const double = await startAlpacaStreamDouble({ keyId: KEY, secretKey: SECRET, symbols: ['IBM'], date: DATE, fromMs: FROM, toMs: FROM + 30 * 60_000, speed: 10, ...options });
  cleanups.push(() => double.close());
  return double;
}

async function polygonDouble(options: Partial<Parameters<typeof startPolygonStreamDouble>[0]> = {}): Promise<PolygonStreamDouble> {
  const double = await startPolygonStreamDouble({ apiKey: POLYGON_KEY, symbols: ['IBM'], date: DATE, fromMs: FROM, toMs: FROM + 30 * 60_000, speed: 10, ...options });
  cleanups.push(() => double.close());
  return double;
}

function alpacaStream(double: AlpacaStreamDouble, now: () => number, over: { msgpack?: boolean; secret?: string; feed?: 'iex' | 'sip' } = {}) {
  return (listener: ProviderStreamListener) =>
    new AlpacaStream({ keyId: KEY, secretKey: over.secret ?? SECRET, baseUrl: double.url, feed: over.feed ?? 'sip', ...(over.msgpack ? { msgpack: true } : {}) }, listener, {
      validator: { now },
      pingIntervalMs: 1_000,
      handshakeTimeoutMs: 1_000,
    });
}

function polygonStream(double: PolygonStreamDouble, now: () => number) {
  return (listener: ProviderStreamListener) => new PolygonStream({ apiKey: POLYGON_KEY, baseUrl: double.url }, listener, { validator: { now }, pingIntervalMs: 1_000, handshakeTimeoutMs: 1_000 });
}

function manager(options: Omit<FeedManagerOptions, 'reconnect' | 'freshness'> & Partial<FeedManagerOptions>): { feed: FeedManager; sink: RecordingSink } {
  const feed = new FeedManager({ reconnect: { initialMs: 50, maxMs: 300 }, freshness: { minStaleMs: 1_500, noDataMs: 3_000, checkEveryMs: 100 }, ...options });
  const sink = new RecordingSink();
  feed.start(sink);
  cleanups.push(() => feed.stop());
  return { feed, sink };
}

describe.skipIf(!HAS_LEAN_DATA)('FeedManager on the Alpaca stream double (recorded IBM 2013-10-07)', () => {
  for (const msgpack of [false, true]) {
    it(`delivers the recorded trades and quotes in order, equal to the recording (${msgpack ? 'msgpack' : 'JSON'})`, async () => {
      const double = await alpacaDouble({ speed: 'max', toMs: FROM + 2 * 60_000 });
      // At full speed the replay clock runs ahead of delivery: freshness is not under test here.
      const { sink } = manager({
        symbols: ['IBM'],
        primary: alpacaStream(double, () => double.replayTime, { msgpack }),
        now: () => double.replayTime,
        freshness: { minStaleMs: 3_600_000, noDataMs: 3_600_000 },
      });
      await double.whenFinished();
      const recorded = double.events.filter((e) => e.kind === 'trade');
      await waitFor('every trade', () => sink.trades.length >= recorded.length);
      expect(sink.trades.map((t) => [t.time, t.price, t.size])).toEqual(recorded.map((t) => [t.time, (t as { price: number }).price, (t as { size: number }).size]));
      expect(sink.quotes.length).toBe(double.events.filter((e) => e.kind === 'quote').length);
      expect(sink.health?.providers?.[0]).toMatchObject({ name: 'alpaca', active: true, state: 'live', dropped: {} });
    });
  }

  it('drops and counts every kind of bad message; none reaches the engine', async () => {
    const double = await alpacaDouble();
    const { feed, sink } = manager({ symbols: ['IBM'], primary: alpacaStream(double, () => double.replayTime), now: () => double.replayTime });
    await waitFor('data flowing', () => sink.trades.length > 5);
    for (const kind of ['json', 'msgpack', 'missing-field', 'negative-price', 'crossed-quote', 'duplicate', 'out-of-order', 'far-timestamp'] as const) double.sendMalformed(kind);
    await waitFor('all counted', () => Object.values(feed.health().dropped).reduce((a, b) => a + b, 0) >= 8);
    expect(feed.health().dropped).toEqual({ unparseable: 2, missing_field: 1, non_positive_price: 1, crossed_quote: 1, duplicate: 1, out_of_order: 1, far_timestamp: 1 });
    expect(sink.trades.every((t) => t.price > 0 && t.size >= 0)).toBe(true);
    expect(sink.quotes.every((q) => q.bid <= q.ask + 0.01)).toBe(true);
    expect(new Set(sink.trades.map((t) => `${t.time}/${t.price}/${t.size}/${t.exchange}`)).size).toBeGreaterThan(0);
  });

  it('a socket that stays open but goes silent: symbols go stale within seconds, the stream is recycled, data resumes and the gap is reported', async () => {
    const double = await alpacaDouble();
    const { feed, sink } = manager({ symbols: ['IBM'], primary: alpacaStream(double, () => double.replayTime), now: () => double.replayTime });
    await waitFor('data flowing', () => sink.trades.length > 20);
    const silentAt = double.replayTime;
    double.goSilent(true);
    const seen = sink.statuses.length;
    await waitFor('IBM stale', () => sink.statuses.slice(seen).some(([s, st]) => s === 'IBM' && st.stale), 6_000);
    expect(double.replayTime - silentAt).toBeLessThan(5_000);
    expect(feed.health().staleSymbols).toEqual(['IBM']);
    await waitFor('the silent connection recycled', () => double.connectionsTotal >= 2, 6_000);
    double.goSilent(false);
    await waitFor('reconnected and fresh', () => feed.symbolStatus('IBM')?.stale === false && double.connectionsTotal >= 2, 8_000);
    await waitFor('the gap reported', () => sink.gaps.length > 0, 5_000);
    expect(sink.gaps[0]?.symbols).toEqual(['IBM']);
    expect(sink.gaps[0]?.from).toBeGreaterThanOrEqual(silentAt - 1_000);
    expect(feed.health().providers?.[0]?.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('a dropped connection reconnects with backoff, subscribes again and reports the gap', async () => {
    const double = await alpacaDouble();
    const { feed, sink } = manager({ symbols: ['IBM'], primary: alpacaStream(double, () => double.replayTime), now: () => double.replayTime });
    await waitFor('data flowing', () => sink.trades.length > 5);
    const before = sink.trades.length;
    double.refuseNextUpgrades(503, 2);
    double.dropConnections();
    await waitFor('data again', () => sink.trades.length > before + 5 && double.connectionsTotal >= 2, 8_000);
    expect(sink.gaps.length).toBeGreaterThanOrEqual(1);
    expect(feed.health().providers?.[0]).toMatchObject({ state: 'live' });
    const subscribes = double.received.filter((r) => (r.message as { action?: string }).action === 'subscribe');
    expect(subscribes.length).toBeGreaterThanOrEqual(2);
  });

  it('wrong keys stop the retries and say to check the keys; a feed not in the plan names the plan', async () => {
    const double = await alpacaDouble({ feedsAllowed: ['iex'] });
    const bad = manager({ symbols: ['IBM'], primary: alpacaStream(double, () => double.replayTime, { secret: 'nope' }), now: () => double.replayTime });
    await waitFor('failed', () => bad.feed.health().providers?.[0]?.state === 'failed');
    expect(bad.feed.health().providers?.[0]?.detail).toMatch(/402 .*check the Alpaca key/);
    const sip = manager({ symbols: ['IBM'], primary: alpacaStream(double, () => double.replayTime, { feed: 'sip' }), now: () => double.replayTime });
    await waitFor('failed', () => sip.feed.health().providers?.[0]?.state === 'failed');
    expect(sip.feed.health().providers?.[0]?.detail).toMatch(/409 .*plan/);
    const connections = double.connectionsTotal;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(double.connectionsTotal).toBe(connections); // no retry loop
  });

  it('406 (another connection uses the keys) is reported with what to do and retried; a slow handshake still connects', async () => {
    const double = await alpacaDouble();
    double.rejectNextConnections(406, 2);
    double.delayMs = 300;
    const states: string[] = [];
    const { feed, sink } = manager({ symbols: ['IBM'], primary: alpacaStream(double, () => double.replayTime), now: () => double.replayTime });
    const seen = setInterval(() => states.push(feed.health().providers?.[0]?.detail ?? ''), 20);
    cleanups.push(() => clearInterval(seen));
    await waitFor('data after the refusals', () => sink.trades.length > 3, 8_000);
    expect(states.some((d) => /406 connection limit exceeded: another app or window is connected with the same keys/.test(d))).toBe(true);
    expect(double.connectionsTotal).toBeGreaterThanOrEqual(3);
    expect(feed.health().providers?.[0]).toMatchObject({ state: 'live' });
  });

  it('a halt and its resumption from status messages reach the engine', async () => {
    const double = await alpacaDouble();
    const { sink } = manager({ symbols: ['IBM'], primary: alpacaStream(double, () => double.replayTime), now: () => double.replayTime });
    await waitFor('data flowing', () => sink.trades.length > 3);
    double.sendStatus('IBM', { sc: 'H', sm: 'Trading Halt', rc: 'LUDP', rm: 'Volatility Trading Pause' });
    await waitFor('halted', () => sink.statuses.some(([s, st]) => s === 'IBM' && st.halt === 'Trading Halt: Volatility Trading Pause'));
    double.sendStatus('IBM', { sc: 'T', sm: 'Trading Resumption', rc: 'LUDP', rm: 'Volatility Trading Pause' });
    await waitFor('resumed', () => sink.statuses.at(-1)?.[1].halt === null);
  });

  it('IEX streams at most 30 symbols and reports the rest', async () => {
    const symbols = Array.from({ length: 32 }, (_, i) => (i === 0 ? 'IBM' : `S${String(i).padStart(2, '0')}`));
    const double = await alpacaDouble({ symbolLimit: 30 });
    const { feed } = manager({ symbols, primary: alpacaStream(double, () => double.replayTime, { feed: 'iex' }), now: () => double.replayTime });
    await waitFor('live', () => feed.health().providers?.[0]?.state === 'live');
    expect(feed.health().providers?.[0]?.overLimit).toEqual(['S30', 'S31']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(feed.health().providers?.[0]?.detail ?? '').not.toMatch(/405/);
  });
});

describe.skipIf(!HAS_LEAN_DATA)('failover between Alpaca and Polygon', () => {
  it('with Alpaca down, Polygon carries the data and the health says so; Alpaca takes over again when it is back', async () => {
    const alpaca = await alpacaDouble();
    const polygon = await polygonDouble();
    const now = (): number => Math.max(alpaca.replayTime, polygon.replayTime);
    const { feed, sink } = manager({
      symbols: ['IBM'],
      primary: alpacaStream(alpaca, now),
      backup: polygonStream(polygon, now),
      now,
      failover: { afterMs: 1_000, failbackAfterMs: 1_500 },
    });
    await waitFor('Alpaca data', () => sink.trades.length > 5);
    expect(feed.health()).toMatchObject({ provider: 'alpaca' });
    alpaca.refuseNextUpgrades(503, 1_000);
    alpaca.dropConnections();
    await waitFor('Polygon active', () => feed.health().provider === 'polygon', 6_000);
    const before = sink.trades.length;
    await waitFor('data from Polygon', () => sink.trades.length > before + 5, 6_000);
    expect(feed.health().providers?.map((p) => [p.name, p.active])).toEqual([
      ['alpaca', false],
      ['polygon', true],
    ]);
    expect(feed.health().detail).toMatch(/Polygon \(backup\): live/);
    // Trades arrive in time order without repeats across the switch.
    const times = sink.trades.map((t) => t.time);
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number) - 60_000)).toBe(true);
    alpaca.refuseNextUpgrades(503, 0);
    await waitFor('Alpaca active again', () => feed.health().provider === 'alpaca', 10_000);
    expect(sink.gaps.length).toBeGreaterThanOrEqual(2);
  });
});
