/**
 * Fault drill: the engine worker dies in the middle of a session (working and filled orders, an
 * open position) inside the built headless host. The host (its supervisor) restarts it; the
 * window, still connected, is resubscribed and gets fresh snapshots; orders, fills and the
 * position are the same as before the crash (none lost, none duplicated); the working order is
 * re-armed (it can still be canceled); a retried order with a known clientOrderId is not placed
 * twice; and the trader sees an "Engine restarted" system alert.
 *
 * Design of the alert: the engine worker writes a marker file (`engine.running`) in the data
 * folder at start and removes it on an orderly shutdown. A worker that finds the marker at start
 * stores a warning alert before the engine starts, so it is in the `alerts` snapshot every
 * (re)subscribed window gets, and in the alert history for windows opened later. The same
 * marker covers a host killed outright (power cut, kill -9), which the supervisor never sees.
 *
 * The worker is killed through a test-only hook: the host started with
 * `WORKSTATION_TEST_HOOKS=1` terminates its worker on SIGUSR2.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Fill, Order, Position } from '../../shared/domain';
import type { EngineEvent } from '../../shared/protocol';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON, REPO_ROOT } from '../support/shared-data';
import { openWsSession, type WsSession } from '../support/ws-session';

const BUILT = existsSync(join(REPO_ROOT, 'out', 'host', 'cli.cjs'));

type OrderBook = Extract<EngineEvent, { type: 'orderBook' }>;
type Positions = Extract<EngineEvent, { type: 'positions' }>;
type AlertHistory = Extract<EngineEvent, { type: 'alertHistory' }>;

/** The latest event of `type` received after index `from`, waited for (bounded). */
async function snapshotAfter<T extends EngineEvent>(session: WsSession, from: number, type: T['type'], accept: (e: T) => boolean = () => true): Promise<T> {
  const predicate = (e: EngineEvent): boolean => e.type === type && accept(e as T) && session.events.indexOf(e) >= from;
  return (await session.waitFor(predicate, 20_000)) as T;
}

const placed = (reply: { ok: boolean; result?: unknown }): Order => {
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  return (reply.result as { order: Order }).order;
};

describe.skipIf(!HAS_LEAN_DATA || !BUILT)(`engine worker killed mid-session in the headless host (${NO_DATA_REASON}; needs npm run build)`, () => {
  let host: HostProcess;
  let session: WsSession;

  beforeAll(async () => {
    host = await startHostProcess(['--feed', 'replay', '--dir', LEAN_DIR, '--symbols', 'IBM', '--date', '2013-10-07', '--speed', '60', '--from', '10:00'], 30_000, {
      WORKSTATION_TEST_HOOKS: '1',
    });
    const page = new URL(host.url);
    session = await openWsSession(`${page.origin}/`, page.searchParams.get('token') ?? '');
  });
  afterAll(async () => {
    session?.close();
    await host?.stop();
  });

  it('restarts the worker, resubscribes the window with identical orders, fills and position, and alerts the trader', { timeout: 60_000 }, async () => {
    const subscribed = await session.request({ type: 'subscribe', topics: ['quotes:IBM', 'orders', 'positions', 'alerts'] });
    expect(subscribed.ok).toBe(true);
    const firstHistory = await snapshotAfter<AlertHistory>(session, 0, 'alertHistory');
    expect(firstHistory.alerts.some((a) => a.kind === 'engine-restarted')).toBe(false); // a fresh data folder
    const ticker = await session.waitFor((e): e is Extract<EngineEvent, { type: 'ticker' }> => e.type === 'ticker' && e.ticker.ask !== null && e.ticker.bid !== null);
    const ask = ticker.ticker.ask as number;
    const bid = ticker.ticker.bid as number;

    // A session: a buy that fills, a resting buy far below the market, a partial exit.
    const entry = placed(await session.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 100, type: 'limit', limitPrice: Number((ask + 1).toFixed(2)), timeInForce: 'day', clientOrderId: 'drill-entry' } }));
    expect(entry.status).toBe('filled');
    const resting = placed(await session.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 50, type: 'limit', limitPrice: Number((bid - 5).toFixed(2)), timeInForce: 'day', clientOrderId: 'drill-resting' } }));
    expect(resting.status).toBe('new');
    const exit = placed(await session.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'sell', quantity: 30, type: 'limit', limitPrice: Number((bid - 1).toFixed(2)), timeInForce: 'day', clientOrderId: 'drill-exit' } }));
    expect(exit.status).toBe('filled');

    // The state before the crash, as a window that subscribes now sees it.
    const probe = await openWsSession(`${new URL(host.url).origin}/`, new URL(host.url).searchParams.get('token') ?? '');
    await probe.request({ type: 'subscribe', topics: ['orders', 'positions'] });
    const before = await probe.waitFor((e): e is OrderBook => e.type === 'orderBook');
    const positionBefore = (await probe.waitFor((e): e is Positions => e.type === 'positions')).positions.find((p) => p.symbol === 'IBM');
    probe.close();
    expect(before.orders).toHaveLength(3);
    expect(before.fills.length).toBeGreaterThanOrEqual(2);
    expect(positionBefore?.quantity).toBe(70);

    // The crash.
    const mark = session.events.length;
    const pid = host.child.pid;
    expect(host.child.kill('SIGUSR2')).toBe(true);

    // The window was resubscribed by the host and gets fresh snapshots from the new worker.
    const after = await snapshotAfter<OrderBook>(session, mark, 'orderBook');
    const positionsAfter = await snapshotAfter<Positions>(session, mark, 'positions');
    const history = await snapshotAfter<AlertHistory>(session, mark, 'alertHistory');
    expect(host.child.pid).toBe(pid);
    expect(host.child.exitCode).toBeNull();
    expect(session.socket.readyState).toBe(session.socket.OPEN);

    // Nothing lost, nothing duplicated.
    const summary = (orders: readonly Order[]): string[] => orders.map((o) => `${o.id} ${o.clientOrderId} ${o.status} ${o.filledQuantity}/${o.quantity}`).sort();
    expect(summary(after.orders)).toEqual(summary(before.orders));
    const fillIds = (fills: readonly Fill[]): string[] => fills.map((f) => f.id).sort();
    expect(fillIds(after.fills)).toEqual(fillIds(before.fills));
    expect(new Set(fillIds(after.fills)).size).toBe(after.fills.length);
    const positionAfter: Position | undefined = positionsAfter.positions.find((p) => p.symbol === 'IBM');
    expect(positionAfter?.quantity).toBe(70);
    expect(positionAfter?.averageEntryPrice).toBeCloseTo(positionBefore?.averageEntryPrice ?? NaN, 9);

    // The trader is told.
    const restarted = history.alerts.filter((a: Alert) => a.kind === 'engine-restarted');
    expect(restarted).toHaveLength(1);
    expect(restarted[0]).toMatchObject({ source: 'system', title: 'Engine restarted' });
    expect(['warning', 'critical']).toContain(restarted[0]?.severity);
    expect(restarted[0]?.message).toMatch(/^Engine restarted/);

    // The new engine works: the working order was re-armed and cancels; a retried order with a
    // known clientOrderId is answered with the existing order, not placed again.
    await session.waitFor((e) => e.type === 'ticker' && session.events.indexOf(e) >= mark);
    const retried = placed(await session.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 100, type: 'limit', limitPrice: Number((ask + 1).toFixed(2)), timeInForce: 'day', clientOrderId: 'drill-entry' } }));
    expect(retried.id).toBe(entry.id);
    const canceled = await session.request({ type: 'cancelOrder', orderId: resting.id });
    expect(canceled.ok, JSON.stringify(canceled)).toBe(true);
    await session.waitFor((e) => e.type === 'order' && e.order.id === resting.id && e.order.status === 'canceled');
    const check = await openWsSession(`${new URL(host.url).origin}/`, new URL(host.url).searchParams.get('token') ?? '');
    await check.request({ type: 'subscribe', topics: ['orders', 'positions'] });
    const final = await check.waitFor((e): e is OrderBook => e.type === 'orderBook');
    const finalPosition = (await check.waitFor((e): e is Positions => e.type === 'positions')).positions.find((p) => p.symbol === 'IBM');
    check.close();
    expect(final.orders).toHaveLength(3);
    expect(fillIds(final.fills)).toEqual(fillIds(before.fills));
    expect(finalPosition?.quantity).toBe(70);

    // An orderly shutdown clears the marker: the next start raises no alert.
    await host.stop();
    expect(existsSync(join(host.dataDir, 'engine.running'))).toBe(false);
  });
});
