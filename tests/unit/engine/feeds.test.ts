import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeedHealth, Quote, Trade } from '../../../shared/domain';
import { TradeCondition, hasCondition } from '../../../shared/trade-conditions';
import { NbboBook } from '../../../electron/engine/feeds/nbbo-book';
import { ReplayFeed } from '../../../electron/engine/feeds/replay-feed';
import { SimulatedFeed } from '../../../electron/engine/feeds/simulated-feed';
import type { MarketDataSink } from '../../../electron/engine/feeds/market-data-feed';
import { RecordingNotFoundError, parseLeanTickTrades } from '../../../electron/engine/feeds/lean-data';
import { exchangeTimeToEpoch, sessionTimes } from '../../../electron/engine/market/session-clock';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON } from '../../support/shared-data';

function collector() {
  const quotes: Quote[] = [];
  const trades: Trade[] = [];
  const health: FeedHealth[] = [];
  let clock = 0;
  const sink: MarketDataSink = {
    onQuote: (q) => quotes.push(q),
    onTrade: (t) => trades.push(t),
    onClock: (t) => {
      clock = t;
    },
    onHealth: (h) => health.push(h),
  };
  return { sink, quotes, trades, health, clock: () => clock };
}

describe('NbboBook', () => {
  it('takes the highest bid and lowest ask across exchanges, summing size at the best price', () => {
    const book = new NbboBook('IBM');
    expect(book.apply('N', 100.0, 300, 0, 0, 1)).toBeNull();
    book.apply('P', 0, 0, 100.05, 200, 2);
    book.apply('Q', 100.0, 100, 0, 0, 3);
    expect(book.quote).toMatchObject({ bid: 100, bidSize: 400, ask: 100.05, askSize: 200 });
  });

  it('evicts a better quote left behind when another exchange updates that side (recorded SIP-top semantics)', () => {
    const book = new NbboBook('IBM');
    book.apply('N', 100.1, 300, 100.2, 100, 1);
    book.apply('P', 99.9, 100, 0, 0, 2);
    expect(book.quote).toMatchObject({ bid: 99.9, bidExchange: 'P' });
  });

  it('does not publish an unchanged NBBO twice and ignores a non-letter exchange', () => {
    const book = new NbboBook('IBM');
    book.apply('N', 100, 100, 100.1, 100, 1);
    expect(book.apply('N', 100, 100, 100.1, 100, 2)).toBeNull();
    expect(book.apply('1', 99, 100, 0, 0, 3)).toBeNull();
  });
});

describe('Lean parsing', () => {
  it('counts and drops malformed and suspicious rows without throwing', () => {
    const counts = { rows: 0, malformed: 0, suspicious: 0 };
    const csv = ['34476994,1819100,100,Q,1,0', 'garbage', '34476995,-5,100,Q,1,0', '34476996,1819100,100,Q,1,1', '34476997,1819200,50,N,zz,0'].join('\n');
    const trades = parseLeanTickTrades(csv, 'IBM', '2013-10-07', counts);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ price: 181.91, size: 100, exchange: 'Q', time: exchangeTimeToEpoch('2013-10-07', 34_476_994) });
    expect(counts).toEqual({ rows: 5, malformed: 3, suspicious: 1 });
  });

  it('reads 20000020 as hex flags (trade-through exempt + intermarket sweep)', () => {
    const counts = { rows: 0, malformed: 0, suspicious: 0 };
    const [t] = parseLeanTickTrades('34476994,1819100,100,Q,20000020,0', 'IBM', '2013-10-07', counts);
    expect(hasCondition(t?.conditions ?? 0, TradeCondition.IntermarketSweep)).toBe(true);
    expect(hasCondition(t?.conditions ?? 0, TradeCondition.TradeThroughExempt)).toBe(true);
    expect(hasCondition(t?.conditions ?? 0, TradeCondition.OddLot)).toBe(false);
  });
});

describe.skipIf(!HAS_LEAN_DATA)(`ReplayFeed on recorded data (${NO_DATA_REASON})`, () => {
  afterEach(() => vi.useRealTimers());

  it('merges IBM and SPY in time order at max speed, derives a mostly uncrossed NBBO, and ends', { timeout: 30_000 }, async () => {
    const feed = new ReplayFeed({ dir: LEAN_DIR, symbols: ['IBM', 'SPY'], date: '2013-10-07', speed: 'max' });
    const c = collector();
    feed.start(c.sink);
    await vi.waitFor(() => expect(feed.health().state).toBe('ended'), { timeout: 20_000 });
    const symbols = new Set(c.trades.map((t) => t.symbol));
    expect(symbols).toEqual(new Set(['IBM', 'SPY']));
    for (let i = 1; i < c.trades.length; i++) expect(c.trades[i]!.time).toBeGreaterThanOrEqual(c.trades[i - 1]!.time);
    expect(c.trades.length).toBeGreaterThan(200_000);
    const crossed = c.quotes.filter((q) => q.bid > q.ask).length;
    expect(crossed / c.quotes.length).toBeLessThan(0.005);
    expect(c.quotes.every((q) => q.symbol === 'IBM')).toBe(true); // SPY has trades only
    expect(feed.health().dropped).toEqual({ malformed: 0, suspicious: 1 });
    expect(feed.previousClose('IBM')).toBeGreaterThan(150);
    feed.stop();
  });

  it('fast-forwards to --from, then paces by the feed clock at the chosen speed', async () => {
    const feed = new ReplayFeed({ dir: LEAN_DIR, symbols: ['IBM'], date: '2013-10-07', speed: 600, from: '10:00' });
    const c = collector();
    const tenAm = sessionTimes('2013-10-07').regularOpen + 30 * 60_000;
    feed.start(c.sink);
    const delivered = c.trades.length;
    expect(delivered).toBeGreaterThan(1000);
    expect(c.trades.every((t) => t.time < tenAm)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    feed.stop();
    const paced = c.trades.slice(delivered);
    expect(paced.length).toBeGreaterThan(0);
    // 300 ms of wall time at 600× is 180 s of feed time (timers may run a little late).
    expect((paced.at(-1)!.time - tenAm) / 1000).toBeLessThan(400);
  });

  it('throws a clear error for a date without recordings', () => {
    expect(() => new ReplayFeed({ dir: LEAN_DIR, symbols: ['IBM'], date: '2001-01-02', speed: 'max' })).toThrow(RecordingNotFoundError);
  });
});

describe('SimulatedFeed', () => {
  const monday = sessionTimes('2024-06-03');

  function simulate(seed: number, from: number, steps: number) {
    let now = from;
    const feed = new SimulatedFeed({ symbols: ['AAPL', 'SPY'], seed, stepMs: 100, now: () => now });
    const c = collector();
    feed.start(c.sink);
    feed.stop();
    (feed as unknown as { sink: MarketDataSink }).sink = c.sink;
    for (let i = 0; i < steps; i++) {
      now += 100;
      feed.step(now);
    }
    return c;
  }

  it('is reproducible from its seed', () => {
    const a = simulate(7, monday.regularOpen, 500);
    const b = simulate(7, monday.regularOpen, 500);
    expect(a.trades).toEqual(b.trades);
    expect(simulate(8, monday.regularOpen, 500).trades).not.toEqual(a.trades);
  });

  it('quotes a few cents wide on the penny grid and prints at or between the bid and ask', () => {
    const c = simulate(1, monday.regularOpen + 60 * 60_000, 3000);
    for (const q of c.quotes) {
      const spread = q.ask - q.bid;
      expect(spread).toBeGreaterThan(0.0099);
      expect(spread).toBeLessThan(0.0501);
      expect(Math.abs(q.bid * 100 - Math.round(q.bid * 100))).toBeLessThan(1e-6);
    }
    const roundLots = c.trades.filter((t) => t.size % 100 === 0).length;
    expect(roundLots / c.trades.length).toBeGreaterThan(0.7);
    expect(c.trades.some((t) => hasCondition(t.conditions, TradeCondition.OddLot))).toBe(true);
  });

  it('trades more in the first minutes after the open than at midday, and little pre-market', () => {
    const open = simulate(3, monday.regularOpen, 1200).trades.length;
    const midday = simulate(3, monday.regularOpen + 3 * 3_600_000, 1200).trades.length;
    const pre = simulate(3, monday.preMarketOpen + 3_600_000, 1200).trades.length;
    expect(open).toBeGreaterThan(midday * 1.5);
    expect(midday).toBeGreaterThan(pre * 2);
  });
});
