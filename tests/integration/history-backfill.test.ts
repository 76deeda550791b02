import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, ServerMessage } from '../../shared/protocol';
import { Engine } from '../../electron/engine/engine';
import { readLeanMinuteTradeBars } from '../../electron/engine/feeds/lean-data';
import { AlpacaBarsHistory } from '../../electron/engine/history/alpaca-bars-history';
import { HistoryError } from '../../electron/engine/history/bar-history';
import { sessionTimes } from '../../electron/engine/market/session-clock';
import { openDatabase } from '../../electron/engine/store/database';
import { startAlpacaRestDouble, type AlpacaRestDouble } from '../doubles/alpaca-rest-double';
import { FakeFeed } from '../support/fake-feed';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON } from '../support/shared-data';
import { tempDbPath } from '../support/trading-desk';

const DAY = sessionTimes('2013-10-07');
const TEN = DAY.regularOpen + 30 * 60_000;
const KEYS = { keyId: 'AKTEST', secretKey: 'secret' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.skipIf(!HAS_LEAN_DATA)(`minute-bar history from Alpaca's REST API (double on 127.0.0.1; ${NO_DATA_REASON})`, () => {
  let double: AlpacaRestDouble;
  beforeAll(async () => {
    double = await startAlpacaRestDouble({ leanDir: LEAN_DIR, ...KEYS });
  });
  afterAll(async () => double?.close());

  const history = (over: Partial<{ keyId: string }> = {}) => new AlpacaBarsHistory({ dataUrl: double.url, feed: 'iex', ...KEYS, ...over });

  it('pages through the bars of a session and converts them', async () => {
    const bars = await new AlpacaBarsHistory({ dataUrl: double.url, feed: 'iex', ...KEYS, maxPages: 100 }).minuteBars('IBM', DAY.preMarketOpen, TEN);
    const vendor = readLeanMinuteTradeBars(LEAN_DIR, 'IBM', '2013-10-07').filter((b) => b.openTime < TEN);
    expect(bars.map((b) => [b.openTime, b.close, b.volume])).toEqual(vendor.map((b) => [b.openTime, b.close, b.volume]));
    expect(bars.every((b) => b.timeframe === '1m' && b.session !== 'closed')).toBe(true);
  });

  it('says what is wrong: bad keys (401) and server errors (500)', async () => {
    await expect(history({ keyId: 'WRONG' }).minuteBars('IBM', DAY.preMarketOpen, TEN)).rejects.toThrow(/HTTP 401 request is not authorized \(check the API keys\)/);
    double.fail = { status: 500, remaining: 1 };
    const error = await history().minuteBars('IBM', DAY.preMarketOpen, TEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryError);
    expect((error as HistoryError).status).toBe(500);
  });

  it('opens a chart with the whole session backfilled, then continues live without a gap or a duplicate', async () => {
    const feed = new FakeFeed(['IBM'], true);
    const db = openDatabase({ path: tempDbPath() });
    const engine = new Engine({ feed, db, logger: quiet, now: () => TEN + 5_000, history: history() });
    await engine.start();
    const messages: ServerMessage[] = [];
    engine.connect('w', (m) => messages.push(m));
    const events = (): EngineEvent[] => {
      engine.flush();
      return messages.flatMap((m) => (m.type === 'events' ? m.events : []));
    };
    engine.handleRequest('w', { id: 1, command: { type: 'subscribe', topics: ['bars:IBM:1m'] } });
    const snapshot = events().find((e) => e.type === 'barHistory');
    const vendorCount = readLeanMinuteTradeBars(LEAN_DIR, 'IBM', '2013-10-07').filter((b) => b.openTime < TEN).length;
    expect(snapshot?.type === 'barHistory' && snapshot.bars.length).toBe(vendorCount);

    feed.trade('IBM', 182.5, 100, TEN + 5_000); // live: the 10:00 bar
    feed.trade('IBM', 182.4, 50, TEN - 30_000); // a late print for 09:59, already backfilled
    feed.trade('IBM', 182.6, 100, TEN + 65_000); // closes 10:00
    messages.length = 0;
    engine.handleRequest('w', { id: 2, command: { type: 'unsubscribe', topics: ['bars:IBM:1m'] } });
    engine.handleRequest('w', { id: 3, command: { type: 'subscribe', topics: ['bars:IBM:1m'] } });
    const after = events().filter((e) => e.type === 'barHistory').at(-1); // the latest snapshot (the correction sent one too)
    const times = after?.type === 'barHistory' ? after.bars.map((b) => b.bar.openTime) : [];
    expect(new Set(times).size).toBe(times.length);
    expect(times.slice(-3)).toEqual([TEN - 60_000, TEN, TEN + 60_000]);
    engine.stop();
    db.close();
  });

  it('starts without history when the provider fails, and says so', async () => {
    double.fail = { status: 429, remaining: 1 };
    const warnings: string[] = [];
    const db = openDatabase({ path: tempDbPath() });
    const engine = new Engine({ feed: new FakeFeed(['IBM'], true), db, logger: { ...quiet, warn: (m) => warnings.push(m) }, now: () => TEN, history: history() });
    await engine.start();
    expect(warnings).toEqual([expect.stringMatching(/Could not backfill IBM from Alpaca iex: Alpaca bars: HTTP 429 .*rate limited/)]);
    engine.stop();
    db.close();
  });
});
