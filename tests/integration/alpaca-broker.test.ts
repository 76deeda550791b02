/**
 * The Alpaca broker adapter against the local Alpaca trading double (REST + trade_updates on
 * 127.0.0.1): every error Alpaca documents, a submit retried after a timeout, reconciliation of
 * fills missed while the stream was down and across a restart, and figures that agree with the
 * broker's own. Quotes come from the recorded IBM 2013-10-07 session where the numbers matter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../shared/domain';
import { leanPath, parseLeanTickQuotes, readZippedCsv } from '../../electron/engine/feeds/lean-data';
import type { AlpacaTradingDouble } from '../doubles/alpaca-trading-double';
import { openAlpacaDesk, startDouble, type AlpacaDesk } from '../support/alpaca-desk';
import { waitFor } from '../support/wait-for';
import { HAS_LEAN_DATA, LEAN_DIR } from '../support/shared-data';
import { openDesk, orderRequest as order, tempDbPath } from '../support/trading-desk';

let double: AlpacaTradingDouble | null = null;
const desks: AlpacaDesk[] = [];

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.close();
  await double?.close();
  double = null;
});

async function setUp(options: Parameters<typeof openAlpacaDesk>[1] = {}, symbols?: readonly string[]): Promise<{ desk: AlpacaDesk; double: AlpacaTradingDouble }> {
  double ??= await startDouble(symbols);
  const desk = openAlpacaDesk(double, options);
  desks.push(desk);
  await waitFor('the first reconciliation', () => desk.alpaca.readiness().ready);
  return { desk, double };
}

const find = (desk: AlpacaDesk, id: string): Order | undefined => desk.manager.allOrders().find((o) => o.id === id);
const idOf = (result: { ok: boolean; order?: Order }): string => result.order?.id ?? '';

/** Recorded IBM quotes of 2013-10-07 after 10:00 ET: the latest bid and ask rows (each row updates one exchange's side), when not crossed. */
function recordedIbmQuotes(count: number): Array<{ bid: number; ask: number }> {
  const csv = readZippedCsv(leanPath(LEAN_DIR, 'tick', 'IBM', '2013-10-07', 'quote'));
  const rows = parseLeanTickQuotes(csv, 'IBM', '2013-10-07', { rows: 0, malformed: 0, suspicious: 0 });
  const quotes: Array<{ bid: number; ask: number }> = [];
  let bid = 0;
  let ask = 0;
  for (const row of rows) {
    if (row.bid > 0) bid = row.bid;
    if (row.ask > 0) ask = row.ask;
    if (bid > 0 && ask > bid && ask - bid < 0.1 && new Date(row.time).getUTCHours() >= 14) quotes.push({ bid, ask });
    if (quotes.length >= count) break;
  }
  return quotes;
}

describe('Alpaca broker: orders and figures', () => {
  it('connects, reconciles, and a market buy fills at the ask; position, average price and cash equal the broker\'s', async () => {
    const { desk, double } = await setUp();
    expect(desk.alpaca.health()).toMatchObject({ provider: 'alpaca', mode: 'paper', state: 'connected', streamUp: true });
    expect(desk.alpaca.health().lastReconciledAt).toBeGreaterThan(0);
    const quotes = HAS_LEAN_DATA ? recordedIbmQuotes(3) : [{ bid: 185.1, ask: 185.14 }, { bid: 185.12, ask: 185.15 }, { bid: 185.1, ask: 185.13 }];
    const [first, second, third] = quotes as [{ bid: number; ask: number }, { bid: number; ask: number }, { bid: number; ask: number }];
    desk.market(first.bid, first.ask);
    const buy = desk.manager.place(order({ quantity: 100 }));
    await waitFor('the fill', () => find(desk, idOf(buy))?.status === 'filled');
    desk.market(second.bid, second.ask);
    const sell = desk.manager.place(order({ side: 'sell', quantity: 40 }));
    await waitFor('the sell fill', () => find(desk, idOf(sell))?.status === 'filled');
    desk.market(third.bid, third.ask);
    expect(find(desk, idOf(buy))?.averageFillPrice).toBe(first.ask);
    const theirs = double.positions().find((p) => p.symbol === 'IBM');
    const ours = desk.portfolio.allPositions().find((p) => p.symbol === 'IBM');
    expect(ours?.quantity).toBe(theirs?.qty);
    expect(ours?.averageEntryPrice).toBeCloseTo(theirs?.avgEntryPrice ?? NaN, 6);
    expect(ours?.realizedPnl).toBeCloseTo(theirs?.realizedPnl ?? NaN, 6);
    desk.alpaca.reconcile();
    await waitFor('a second reconciliation', () => desk.snapshots.length >= 2);
    expect(desk.snapshots.at(-1)?.account.cash).toBeCloseTo(double.account().cash, 6);
    expect(desk.portfolio.account().cash).toBeCloseTo(double.account().cash, 6);
    // One order at the broker per local order, each under its client_order_id.
    expect(double.orders().map((o) => o.clientOrderId).sort()).toEqual([find(desk, idOf(buy))?.clientOrderId, find(desk, idOf(sell))?.clientOrderId].sort());
  });

  it('403 insufficient buying power is a rejection naming Alpaca\'s code and message', async () => {
    const { desk } = await setUp({ startingCash: 10_000_000, limits: { maxOrderNotional: 1e9, maxPositionNotional: 1e9, maxOrderQuantity: 1e6 } });
    desk.market(100, 100.02);
    const placed = desk.manager.place(order({ quantity: 5_000 })); // 500 k USD; the broker account has 100 k
    await waitFor('the rejection', () => find(desk, idOf(placed))?.status === 'rejected');
    expect(find(desk, idOf(placed))?.reason).toMatch(/403 \(code 40310000\).*insufficient buying power/);
  });

  it('422 (an asset the broker does not trade) is a rejection with Alpaca\'s message', async () => {
    const { desk } = await setUp({}, ['IBM']);
    desk.market(160, 160.02, 'SPY');
    const placed = desk.manager.place(order({ symbol: 'SPY', quantity: 10 }));
    await waitFor('the rejection', () => find(desk, idOf(placed))?.status === 'rejected');
    expect(find(desk, idOf(placed))?.reason).toMatch(/422 \(code 42210000\).*SPY/);
  });

  it('429 and 5xx are retried: the order reaches the broker exactly once', async () => {
    const { desk, double } = await setUp();
    desk.market(100, 100.02);
    double.failNext(429, 1);
    const a = desk.manager.place(order({ quantity: 10 }));
    await waitFor('the first order filled', () => find(desk, idOf(a))?.status === 'filled');
    double.failNext(503, 2);
    const b = desk.manager.place(order({ quantity: 20 }));
    await waitFor('the second order filled', () => find(desk, idOf(b))?.status === 'filled');
    for (const placed of [a, b]) expect(double.orders().filter((o) => o.clientOrderId === find(desk, idOf(placed))?.clientOrderId)).toHaveLength(1);
    expect(desk.fills.map((f) => f.quantity)).toEqual([10, 20]);
  });

  it('a submit that times out is looked up by client_order_id and never sent twice', async () => {
    const { desk, double } = await setUp({ config: { requestTimeoutMs: 300 } });
    desk.market(100, 100.02);
    double.delayNextOrderReply(1_500);
    const placed = desk.manager.place(order({ type: 'limit', limitPrice: 99.5, quantity: 50 }));
    await waitFor('the order acknowledged', () => find(desk, idOf(placed))?.status === 'new');
    // The POST timed out after 300 ms: the adapter asks for the order by its client_order_id instead of sending it again.
    await waitFor('the lookup', () => double.requests.some((r) => r.path.startsWith('/v2/orders:by_client_order_id')));
    await waitFor('the late reply to the POST', () => double.requests.some((r) => r.method === 'POST'), 3_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const clientOrderId = find(desk, idOf(placed))?.clientOrderId;
    expect(double.orders().filter((o) => o.clientOrderId === clientOrderId)).toHaveLength(1);
    expect(double.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(find(desk, idOf(placed))).toMatchObject({ status: 'new', quantity: 50, limitPrice: 99.5 });
  });

  it('slow replies still end in one order, acknowledged', async () => {
    const { desk, double } = await setUp();
    double.delayMs = 200;
    desk.market(100, 100.02);
    const placed = desk.manager.place(order({ type: 'limit', limitPrice: 99, quantity: 5 }));
    expect(find(desk, idOf(placed))?.status).toBe('pending_new');
    await waitFor('the order acknowledged', () => find(desk, idOf(placed))?.status === 'new');
    expect(double.orders()).toHaveLength(1);
  });

  it('cancel goes through pending_cancel to canceled; cancel/replace gives a new order and the old one is replaced', async () => {
    const { desk, double } = await setUp();
    desk.market(100, 100.02);
    const resting = desk.manager.place(order({ type: 'limit', limitPrice: 99, quantity: 30 }));
    await waitFor('acknowledged', () => find(desk, idOf(resting))?.status === 'new');
    const replaced = desk.manager.replace(idOf(resting), { limitPrice: 99.5, quantity: 40 });
    expect(replaced.ok).toBe(true);
    await waitFor('the replacement acknowledged', () => find(desk, idOf(replaced))?.status === 'new');
    expect(find(desk, idOf(resting))?.status).toBe('replaced');
    const atBroker = double.orders().find((o) => o.clientOrderId === find(desk, idOf(replaced))?.clientOrderId);
    expect(atBroker).toMatchObject({ limitPrice: 99.5, qty: 40, status: 'new' });
    expect(desk.manager.cancel(idOf(replaced)).ok).toBe(true);
    expect(find(desk, idOf(replaced))?.status).toBe('pending_cancel');
    await waitFor('canceled', () => find(desk, idOf(replaced))?.status === 'canceled');
    expect(double.orders().find((o) => o.id === atBroker?.id)?.status).toBe('canceled');
  });

  it('flatten all at Alpaca waits for the exits\' cancels to be confirmed, then closes the position: never short', async () => {
    const { desk, double } = await setUp();
    desk.market(100, 100.02);
    const entry = desk.manager.place(order({ quantity: 100 }));
    await waitFor('filled', () => find(desk, idOf(entry))?.status === 'filled');
    const exit = desk.manager.place(order({ side: 'sell', type: 'limit', limitPrice: 101, quantity: 100 }));
    await waitFor('the exit working', () => find(desk, idOf(exit))?.status === 'new');
    const placed = desk.manager.flattenAll();
    expect(placed).toEqual([]); // the exit's cancel is pending at the broker
    expect(desk.manager.flattenWaiting()).toEqual(['IBM']);
    await waitFor('flat', () => desk.portfolio.quantityOf('IBM') === 0);
    expect(find(desk, idOf(exit))?.status).toBe('canceled');
    expect(double.positions().find((p) => p.symbol === 'IBM')?.qty ?? 0).toBe(0);
    expect(desk.manager.flattenWaiting()).toEqual([]);
  });

  it('a bracket is sent whole: Alpaca\'s exit legs appear as local orders, and the take-profit cancels the stop', async () => {
    const { desk } = await setUp();
    desk.market(100, 100.02);
    const entry = desk.manager.place(order({ quantity: 100, orderClass: 'bracket', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } }));
    await waitFor('the entry filled and its legs live', () => find(desk, idOf(entry))?.status === 'filled' && desk.manager.allOrders().filter((o) => o.parentId === idOf(entry)).length === 2);
    desk.market(101, 101.02);
    await waitFor('the take-profit filled', () => desk.manager.allOrders().some((o) => o.parentId === idOf(entry) && o.type === 'limit' && o.status === 'filled'));
    await waitFor('the stop canceled', () => desk.manager.allOrders().some((o) => o.parentId === idOf(entry) && o.type === 'stop' && o.status === 'canceled'));
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
  });
});

describe('Alpaca broker: outages, reconciliation and restarts', () => {
  it('fills missed while the stream was down are applied once at reconciliation; new orders wait meanwhile', async () => {
    const { desk, double } = await setUp();
    desk.market(100, 100.02);
    const resting = desk.manager.place(order({ type: 'limit', limitPrice: 99.9, quantity: 100 }));
    await waitFor('acknowledged', () => find(desk, idOf(resting))?.status === 'new');
    const reconciledBefore = desk.alpaca.health().lastReconciledAt ?? 0;
    double.setStreamAvailable(false);
    await waitFor('the stream seen down', () => !desk.alpaca.health().streamUp);
    double.maxFillShares = 60;
    desk.market(99.8, 99.85); // the broker fills 60, then 40, while nobody hears it
    desk.market(99.8, 99.86);
    await waitFor('the broker filled it', () => double.orders().find((o) => o.clientOrderId === find(desk, idOf(resting))?.clientOrderId)?.status === 'filled');
    expect(find(desk, idOf(resting))?.status).toBe('new');
    const held = desk.manager.place(order({ type: 'limit', limitPrice: 99, quantity: 10 }));
    expect(held).toMatchObject({ ok: true, order: { status: 'pending_new', reason: expect.stringContaining('Held') } });
    expect(desk.alpaca.readiness()).toMatchObject({ ready: false, reason: expect.stringContaining('stream is down') });
    double.setStreamAvailable(true);
    await waitFor('reconciled after the outage', () => (desk.alpaca.health().lastReconciledAt ?? 0) > reconciledBefore && desk.alpaca.readiness().ready, 8_000);
    await waitFor('the missed fills applied', () => find(desk, idOf(resting))?.status === 'filled');
    expect(desk.fills.filter((f) => f.orderId === idOf(resting)).reduce((sum, f) => sum + f.quantity, 0)).toBe(100);
    expect(find(desk, idOf(resting))?.averageFillPrice).toBeCloseTo(double.orders().find((o) => o.clientOrderId === find(desk, idOf(resting))?.clientOrderId)?.filledAvgPrice ?? NaN, 6);
    await waitFor('the held order sent', () => find(desk, idOf(held))?.status === 'new');
    expect(desk.portfolio.quantityOf('IBM')).toBe(double.positions().find((p) => p.symbol === 'IBM')?.qty);
    // Reconciling again changes nothing: each execution counts once.
    desk.alpaca.reconcile();
    await waitFor('another reconciliation', () => desk.snapshots.length >= 3);
    expect(desk.fills.filter((f) => f.orderId === idOf(resting)).reduce((sum, f) => sum + f.quantity, 0)).toBe(100);
  });

  it('a stream that stays open but goes silent: the periodic reconciliation still brings the fill in', async () => {
    const { desk, double } = await setUp({ config: { reconcileIntervalMs: 200 } });
    desk.market(100, 100.02);
    const resting = desk.manager.place(order({ type: 'limit', limitPrice: 99.9, quantity: 25 }));
    await waitFor('acknowledged', () => find(desk, idOf(resting))?.status === 'new');
    double.silenceStream(true);
    desk.market(99.8, 99.85);
    await waitFor('the fill found by REST', () => find(desk, idOf(resting))?.status === 'filled', 5_000);
    expect(desk.portfolio.quantityOf('IBM')).toBe(25);
  });

  it('a cancel that loses the race to an unheard fill: 422 not cancelable, then the fill is applied', async () => {
    const { desk, double } = await setUp();
    desk.market(100, 100.02);
    const resting = desk.manager.place(order({ type: 'limit', limitPrice: 99.9, quantity: 40 }));
    await waitFor('acknowledged', () => find(desk, idOf(resting))?.status === 'new');
    double.silenceStream(true);
    desk.market(99.8, 99.85);
    expect(desk.manager.cancel(idOf(resting)).ok).toBe(true);
    await waitFor('filled after the refused cancel', () => find(desk, idOf(resting))?.status === 'filled');
    expect(double.requests.some((r) => r.method === 'DELETE' && r.status === 422)).toBe(true);
    expect(desk.fills.filter((f) => f.orderId === idOf(resting)).map((f) => f.quantity)).toEqual([40]);
    const audit = desk.db.prepare<[string], { status: string }>('SELECT status FROM order_events WHERE order_id = ? ORDER BY seq').all(idOf(resting));
    expect(audit.map((a) => a.status)).toEqual(['pending_new', 'new', 'pending_cancel', 'new', 'filled']);
  });

  it('a bracket exit that fills while nobody hears it is applied by reconciliation: the position closes, the other exit ends', async () => {
    const { desk, double } = await setUp({ config: { reconcileIntervalMs: 200 } });
    desk.market(100, 100.02);
    const entry = desk.manager.place(order({ quantity: 100, orderClass: 'bracket', takeProfit: { limitPrice: 101 }, stopLoss: { stopPrice: 99 } }));
    await waitFor('the legs live', () => desk.manager.allOrders().filter((o) => o.parentId === idOf(entry) && o.status === 'new').length === 2);
    double.silenceStream(true);
    desk.market(98.9, 98.95); // the stop triggers and fills at the broker
    await waitFor('the stop fill reconciled', () => desk.portfolio.quantityOf('IBM') === 0, 5_000);
    const legs = desk.manager.allOrders().filter((o) => o.parentId === idOf(entry));
    expect(legs.map((o) => [o.type, o.status]).sort()).toEqual([
      ['limit', 'canceled'],
      ['stop', 'filled'],
    ]);
  });

  it('a cancel asked just before a restart is sent again after it if Alpaca still works the order', async () => {
    const path = tempDbPath();
    const first = await setUp({ path });
    first.desk.market(100, 100.02);
    const resting = first.desk.manager.place(order({ type: 'limit', limitPrice: 99, quantity: 10 }));
    await waitFor('acknowledged', () => find(first.desk, idOf(resting))?.status === 'new');
    first.double.failNext(503, 1); // the DELETE does not get through (the SDK retries only GETs)
    first.desk.manager.cancel(idOf(resting));
    expect(find(first.desk, idOf(resting))?.status).toBe('pending_cancel');
    desks.splice(0).forEach((d) => d.close()); // the app stops with the cancel unanswered
    await waitFor('the refused DELETE', () => first.double.requests.some((r) => r.method === 'DELETE'), 5_000);
    expect(first.double.orders()[0]?.status).toBe('new');
    const second = await setUp({ path });
    await waitFor('canceled after the restart', () => find(second.desk, idOf(resting))?.status === 'canceled', 5_000);
    expect(first.double.orders().find((o) => o.clientOrderId === find(second.desk, idOf(resting))?.clientOrderId)?.status).toBe('canceled');
    expect(first.double.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([503, 204]);
  });

  it('a dropped stream reconnects by itself and reconciles', async () => {
    const { desk, double } = await setUp();
    const count = desk.snapshots.length;
    double.dropStream();
    await waitFor('reconnected and reconciled', () => desk.snapshots.length > count && desk.alpaca.health().streamUp, 8_000);
  });

  it('after a restart, a fill that happened while the app was closed is applied once, and a second restart adds nothing', async () => {
    const path = tempDbPath();
    const first = await setUp({ path });
    first.desk.market(100, 100.02);
    const resting = first.desk.manager.place(order({ type: 'limit', limitPrice: 99.9, quantity: 70 }));
    await waitFor('acknowledged', () => find(first.desk, idOf(resting))?.status === 'new');
    desks.splice(desks.indexOf(first.desk), 1);
    first.desk.close();
    first.double.setQuote({ symbol: 'IBM', bid: 99.8, ask: 99.85, bidSize: 500, askSize: 500, time: first.desk.clock });
    const second = await setUp({ path });
    await waitFor('the fill reconciled', () => find(second.desk, idOf(resting))?.status === 'filled');
    expect(second.desk.portfolio.quantityOf('IBM')).toBe(70);
    desks.splice(desks.indexOf(second.desk), 1);
    second.desk.close();
    const third = await setUp({ path });
    expect(third.desk.portfolio.quantityOf('IBM')).toBe(70);
    expect(third.desk.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM fills').get()?.n).toBe(1);
  });

  it('an order the broker never received (engine stopped before the reply) is rejected at reconciliation, not re-sent', async () => {
    const path = tempDbPath();
    const { desk, double } = await setUp({ path });
    double.setStreamAvailable(false);
    await waitFor('down', () => !desk.alpaca.health().streamUp);
    const held = desk.manager.place(order({ type: 'limit', limitPrice: 99, quantity: 10 }));
    expect(find(desk, idOf(held))?.status).toBe('pending_new');
    desks.splice(0).forEach((d) => d.close());
    double.setStreamAvailable(true);
    const restarted = await setUp({ path });
    await waitFor('rejected', () => find(restarted.desk, idOf(held))?.status === 'rejected');
    expect(find(restarted.desk, idOf(held))?.reason).toMatch(/never reached the broker/);
    expect(double.orders()).toHaveLength(0);
  });

  it('the paper account and the Alpaca account keep separate orders, fills and positions in one database', async () => {
    const path = tempDbPath();
    const paper = openDesk({ path });
    paper.quote(100, 100.02);
    paper.manager.place(order({ quantity: 100 }));
    expect(paper.portfolio.quantityOf('IBM')).toBe(100);
    paper.close();
    const { desk } = await setUp({ path });
    expect(desk.portfolio.quantityOf('IBM')).toBe(0);
    expect(desk.manager.allOrders()).toHaveLength(0);
    desk.market(100, 100.02);
    const bought = desk.manager.place(order({ quantity: 7 }));
    await waitFor('filled', () => find(desk, idOf(bought))?.status === 'filled');
    desks.splice(0).forEach((d) => d.close());
    const paperAgain = openDesk({ path });
    expect(paperAgain.portfolio.quantityOf('IBM')).toBe(100);
    expect(paperAgain.manager.allOrders()).toHaveLength(1);
    paperAgain.close();
  });

  it('wrong keys: the broker is in error with a message about the keys, and orders are not sent', async () => {
    double = await startDouble();
    const desk = openAlpacaDesk(double, { config: { secretKey: 'wrong' }, broker: { whenStreamDown: 'refuse' } });
    desks.push(desk);
    await waitFor('the key error', () => desk.alpaca.health().state === 'error');
    expect(desk.alpaca.health().detail).toMatch(/API keys/);
    desk.market(100, 100.02);
    expect(desk.manager.place(order())).toMatchObject({ ok: false, error: { message: expect.stringContaining('API keys') } });
    expect(double.orders()).toHaveLength(0);
  });
});
