import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, ServerMessage } from '../../../shared/protocol';
import { Engine } from '../../../electron/engine/engine';
import { openDatabase } from '../../../electron/engine/store/database';
import { sessionTimes } from '../../../electron/engine/market/session-clock';
import { FakeFeed } from '../../support/fake-feed';
import { tempDbPath } from '../../support/trading-desk';

const T0 = sessionTimes('2013-10-07').regularOpen + 3_600_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function setup(path = tempDbPath(), options: { live?: boolean; now?: number } = {}) {
  const feed = new FakeFeed(['IBM', 'SPY'], options.live ?? false);
  const db = openDatabase({ path });
  const engine = new Engine({ feed, db, logger: quiet, now: () => options.now ?? T0 });
  const messages: ServerMessage[] = [];
  engine.start();
  engine.connect('w1', (m) => messages.push(m));
  let nextId = 1;
  const request = (command: unknown) => {
    const id = nextId++;
    engine.handleRequest('w1', { id, command });
    const reply = messages.find((m) => m.type === 'reply' && m.id === id);
    if (!reply || reply.type !== 'reply') throw new Error(`no reply to ${id}`);
    return reply;
  };
  const events = (): EngineEvent[] => {
    engine.flush();
    return messages.flatMap((m) => (m.type === 'events' ? m.events : []));
  };
  return { feed, db, engine, messages, request, events, path, close: () => { engine.stop(); db.close(); } };
}

let current: ReturnType<typeof setup> | null = null;
afterEach(() => current?.close());

describe('Engine commands', () => {
  it('answers an invalid command with an error naming the bad field', () => {
    current = setup();
    const reply = current.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 'ten', type: 'limit', limitPrice: 1, timeInForce: 'day' } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_command', field: 'command.order.quantity' } });
    const unknown = current.request({ type: 'launchRockets' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_command' } });
  });

  it('refuses subscriptions to symbols the feed does not offer', () => {
    current = setup();
    expect(current.request({ type: 'subscribe', topics: ['quotes:ZZZ'] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('sends a snapshot on subscribe, then coalesced updates', () => {
    current = setup();
    current.feed.quote('IBM', 181.9, 181.95, T0);
    current.feed.trade('IBM', 181.93, 100, T0 + 1);
    expect(current.request({ type: 'subscribe', topics: ['quotes:IBM', 'bars:IBM:1m'] }).ok).toBe(true);
    const snapshot = current.events();
    expect(snapshot.find((e) => e.type === 'ticker')).toMatchObject({ ticker: { bid: 181.9, ask: 181.95, last: 181.93, volume: 100, previousClose: 100 } });
    expect(snapshot.find((e) => e.type === 'barHistory')).toMatchObject({ bars: [{ bar: { close: 181.93, volume: 100 } }] });
    current.messages.length = 0;
    for (let i = 0; i < 50; i++) current.feed.trade('IBM', 182 + i / 100, 100, T0 + 10 + i);
    const updates = current.events();
    expect(updates.filter((e) => e.type === 'ticker')).toHaveLength(1);
    expect(updates.filter((e) => e.type === 'bar')).toHaveLength(1);
    expect(updates.find((e) => e.type === 'bar')).toMatchObject({ bar: { close: 182.49, volume: 5100 } });
  });

  it('runs a round trip: fill updates position and P&L, a sell realizes (exit − entry) × shares', () => {
    current = setup();
    current.request({ type: 'subscribe', topics: ['orders', 'positions'] });
    current.feed.quote('IBM', 181.9, 181.95, T0);
    const buy = current.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 100, type: 'market', timeInForce: 'day' } });
    expect(buy).toMatchObject({ ok: true, result: { order: { status: 'filled', averageFillPrice: 181.95 } } });
    current.feed.trade('IBM', 182.45, 100, T0 + 5);
    const positions = current.events().filter((e) => e.type === 'position');
    expect(positions.at(-1)).toMatchObject({ position: { quantity: 100, unrealizedPnl: expect.closeTo(50, 6) } });
    current.feed.quote('IBM', 182.5, 182.55, T0 + 6);
    current.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'sell', quantity: 100, type: 'market', timeInForce: 'day' } });
    const last = current.events().filter((e) => e.type === 'position').at(-1);
    expect(last).toMatchObject({ position: { quantity: 0, realizedPnl: expect.closeTo((182.5 - 181.95) * 100, 6) } });
  });

  it('validates settings and names the field; a valid change is stored and survives a restart', () => {
    current = setup();
    expect(current.request({ type: 'updateSettings', settings: { risk: { maxOrderNotional: -5 } } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_settings', field: 'risk.maxOrderNotional' },
    });
    expect(current.request({ type: 'updateSettings', settings: { risk: { maxOrderNotional: 1000 } } }).ok).toBe(true);
    current.feed.quote('IBM', 181.9, 181.95, T0);
    const rejected = current.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 10, type: 'market', timeInForce: 'day' } });
    expect(rejected).toMatchObject({ ok: false, error: { code: 'order_rejected', field: 'quantity' } });
    const path = current.path;
    current.close();
    current = setup(path);
    expect(current.request({ type: 'getSettings' })).toMatchObject({ ok: true, result: { settings: { risk: { maxOrderNotional: 1000 } } } });
  });

  it('links a symbol to a group for every window subscribed to links', () => {
    current = setup();
    current.request({ type: 'subscribe', topics: ['links'] });
    expect(current.request({ type: 'linkSymbol', group: 'main', symbol: 'spy' }).ok).toBe(true);
    expect(current.events()).toContainEqual({ type: 'link', group: 'main', symbol: 'SPY', snapshot: false });
  });

  it('raises a VWAP-reclaim alert from live prints, stores it, and sends it to windows; a disabled screener stays quiet', () => {
    current = setup();
    current.request({ type: 'subscribe', topics: ['alerts'] });
    const minute = (m: number) => T0 + m * 60_000;
    const reclaim = (start: number) => {
      current!.feed.trade('IBM', 100, 10_000, minute(start));
      for (let m = 1; m <= 5; m++) current!.feed.trade('IBM', 99.5, 100, minute(start + m));
      current!.feed.trade('IBM', 100.5, 1_000, minute(start + 6));
      current!.feed.trade('IBM', 100.5, 100, minute(start + 7));
    };
    reclaim(0);
    const alerts = current.events().filter((e) => e.type === 'alert');
    expect(alerts).toEqual([
      { type: 'alert', alert: expect.objectContaining({ kind: 'vwap-reclaim', symbol: 'IBM', barTime: minute(6), suggestion: expect.objectContaining({ entry: 100.5 }) }) },
    ]);
    const path = current.path;
    current.close();

    current = setup(path);
    current.request({ type: 'subscribe', topics: ['alerts'] });
    expect(current.events().find((e) => e.type === 'alertHistory')).toMatchObject({ alerts: [{ kind: 'vwap-reclaim', barTime: minute(6) }] });
    const screeners = (current.request({ type: 'getSettings' }) as { result: { settings: { screeners: Array<{ enabled: boolean }> } } }).result.settings.screeners;
    expect(current.request({ type: 'updateSettings', settings: { screeners: screeners.map((s) => ({ ...s, enabled: false })) } }).ok).toBe(true);
    current.messages.length = 0;
    reclaim(30);
    expect(current.events().filter((e) => e.type === 'alert' && e.alert.source === 'screener')).toEqual([]);
  });

  it('refuses a screener configuration with a bad parameter, naming the field', () => {
    current = setup();
    const reply = current.request({
      type: 'updateSettings',
      settings: { screeners: [{ id: 'gap', kind: 'gap-and-go', name: 'Gap', enabled: true, symbols: [], maxAlertsPerDay: 3, cooldownMinutes: 5, params: { minGapPercent: -1, minRelativeVolume: 3, stopBelowVwapPercent: 0.1, rewardRisk: 2 } }] },
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_settings', field: 'screeners.0.params.minGapPercent' } });
  });

  it('restores the session bars from the store after a restart; live prints continue without gap or duplicate', () => {
    current = setup(tempDbPath(), { live: true });
    for (let m = 0; m < 5; m++) current.feed.trade('IBM', 100 + m, 100, T0 + m * 60_000);
    const path = current.path;
    current.close();

    current = setup(path, { live: true, now: T0 + 5 * 60_000 });
    current.request({ type: 'subscribe', topics: ['bars:IBM:1m', 'bars:IBM:5m'] });
    const histories = current.events().filter((e) => e.type === 'barHistory');
    const oneMinute = histories.find((e) => e.type === 'barHistory' && e.timeframe === '1m');
    expect(oneMinute).toMatchObject({ bars: [{ bar: { close: 100 } }, { bar: { close: 101 } }, { bar: { close: 102 } }, { bar: { close: 103 } }] });
    expect(histories.find((e) => e.type === 'barHistory' && e.timeframe === '5m')).toMatchObject({ bars: [{ bar: { volume: 400, open: 100, close: 103 } }] });

    current.feed.trade('IBM', 103, 50, T0 + 3 * 60_000 + 30_000); // a print for a restored minute
    current.feed.trade('IBM', 106, 100, T0 + 6 * 60_000);
    current.feed.trade('IBM', 107, 100, T0 + 7 * 60_000);
    expect(current.events().find((e) => e.type === 'barHistory' && e.bars.some((b) => b.bar.corrected))).toBeDefined(); // the correction republished the series
    current.messages.length = 0;
    current.request({ type: 'unsubscribe', topics: ['bars:IBM:1m'] });
    current.request({ type: 'subscribe', topics: ['bars:IBM:1m'] });
    const after = current.events().find((e) => e.type === 'barHistory' && e.timeframe === '1m');
    const times = after?.type === 'barHistory' ? after.bars.map((b) => (b.bar.openTime - T0) / 60_000) : [];
    expect(times).toEqual([0, 1, 2, 3, 6, 7]);
    expect(after?.type === 'barHistory' && after.bars[3]?.bar).toMatchObject({ volume: 150, corrected: true });
  });

  it('kill switch: cancels working orders, flattens, halts, and tells every window', () => {
    current = setup();
    current.request({ type: 'subscribe', topics: ['risk', 'alerts', 'orders'] });
    current.feed.quote('IBM', 181.9, 181.95, T0);
    current.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 100, type: 'market', timeInForce: 'day' } });
    current.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 100, type: 'limit', limitPrice: 180, timeInForce: 'day' } });
    const reply = current.request({ type: 'killSwitch' });
    expect(reply).toMatchObject({ ok: true, result: { canceled: 1, orders: [{ side: 'sell', quantity: 100, status: 'filled' }], failures: [], risk: { state: 'halted' } } });
    const events = current.events();
    expect(events.filter((e) => e.type === 'risk').at(-1)).toMatchObject({ risk: { state: 'halted', reason: 'kill switch' } });
    expect(events.filter((e) => e.type === 'alert').map((e) => e.type === 'alert' && e.alert.kind)).toEqual(expect.arrayContaining(['risk-state', 'kill-switch']));
    const refused = current.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 1, type: 'market', timeInForce: 'day' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'order_rejected', message: 'Trading is halted: kill switch' } });
    expect(current.events().filter((e) => e.type === 'alert' && e.alert.kind === 'order-rejected')).toHaveLength(1);
    expect(current.request({ type: 'setRiskState', state: 'active' })).toMatchObject({ ok: true, result: { risk: { state: 'active' } } });
  });

  it('the daily loss limit halts trading from live marks, and a restart keeps the lock', () => {
    current = setup();
    current.request({ type: 'updateSettings', settings: { risk: { dailyLossLimit: 100 } } });
    current.feed.quote('IBM', 181.9, 181.95, T0);
    current.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 100, type: 'market', timeInForce: 'day' } });
    current.feed.trade('IBM', 180.9, 100, T0 + 1_000); // −105 USD
    current.request({ type: 'subscribe', topics: ['risk'] });
    expect(current.events().find((e) => e.type === 'risk')).toMatchObject({ risk: { state: 'halted', reason: expect.stringMatching(/daily loss limit/) } });
    expect(current.request({ type: 'setRiskState', state: 'active' })).toMatchObject({ ok: false, error: { field: 'state' } });
    const path = current.path;
    current.close();
    current = setup(path);
    current.request({ type: 'subscribe', topics: ['risk'] });
    expect(current.events().find((e) => e.type === 'risk')).toMatchObject({ risk: { state: 'halted' } });
  });
});

describe('time & sales', () => {
  it('classifies each print against the NBBO of that moment and sends the latest prints on subscribe', async () => {
    const { printSide } = await import('../../../electron/engine/engine');
    const quote = { symbol: 'IBM', bid: 100, bidSize: 100, bidExchange: 'N', ask: 100.05, askSize: 100, askExchange: 'P', time: 0 };
    expect([100.06, 100.05, 100.02, 100, 99.99].map((p) => printSide(p, quote))).toEqual(['above_ask', 'at_ask', 'between', 'at_bid', 'below_bid']);
    expect(printSide(100, null)).toBe('unknown');
    current = setup();
    current.feed.quote('IBM', 181.9, 181.95, T0);
    current.feed.trade('IBM', 181.95, 100, T0 + 1);
    current.feed.trade('IBM', 181.9, 200, T0 + 2);
    expect(current.request({ type: 'subscribe', topics: ['trades:IBM'] }).ok).toBe(true);
    const snapshot = current.events().find((e) => e.type === 'prints');
    expect(snapshot?.type === 'prints' && snapshot.prints.map((p) => [p.trade.size, p.side])).toEqual([
      [100, 'at_ask'],
      [200, 'at_bid'],
    ]);
    current.feed.trade('IBM', 181.92, 300, T0 + 3);
    expect(current.events().filter((e) => e.type === 'trade').map((e) => (e.type === 'trade' ? e.side : null))).toEqual(['between']);
  });
});
