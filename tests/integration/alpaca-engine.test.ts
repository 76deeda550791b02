/**
 * The engine trading through Alpaca (its double on loopback): windows see the broker's state and
 * "last reconciled at" on the health topic, and a position the broker holds that this
 * workstation's fills do not explain raises an alert with both figures.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerHealth } from '../../shared/domain';
import type { EngineEvent, ServerMessage } from '../../shared/protocol';
import { Engine } from '../../electron/engine/engine';
import { openDatabase, type SqliteDatabase } from '../../electron/engine/store/database';
import { sessionTimes } from '../../electron/engine/market/session-clock';
import type { AlpacaTradingDouble } from '../doubles/alpaca-trading-double';
import { KEY_ID, SECRET_KEY, startDouble, testBrokerConfig } from '../support/alpaca-desk';
import { waitFor } from '../support/wait-for';
import { FakeFeed } from '../support/fake-feed';
import { tempDbPath } from '../support/trading-desk';

const T0 = sessionTimes('2013-10-07').regularOpen + 3_600_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let double: AlpacaTradingDouble | null = null;
let engine: Engine | null = null;
let db: SqliteDatabase | null = null;

afterEach(async () => {
  engine?.stop();
  db?.close();
  await double?.close();
  engine = null;
  db = null;
  double = null;
});

describe('Engine on Alpaca', () => {
  it('publishes the broker state with the last reconciliation, and alerts on a position it cannot explain', async () => {
    double = await startDouble(['IBM', 'SPY']);
    db = openDatabase({ path: tempDbPath() });
    const feed = new FakeFeed(['IBM', 'SPY'], true);
    engine = new Engine({ feed, db, logger: quiet, now: () => T0, alpaca: testBrokerConfig(double, { reconcileIntervalMs: 200 }) });
    const messages: ServerMessage[] = [];
    await engine.start();
    engine.connect('w1', (m) => messages.push(m));
    engine.handleRequest('w1', { id: 1, command: { type: 'subscribe', topics: ['health', 'alerts'] } });
    const events = (): EngineEvent[] => {
      engine?.flush();
      return messages.flatMap((m) => (m.type === 'events' ? m.events : []));
    };
    const broker = (): BrokerHealth | undefined => {
      const health = events().filter((e) => e.type === 'health');
      const last = health[health.length - 1];
      return last?.type === 'health' ? last.broker : undefined;
    };
    await waitFor('a health event with the reconciled broker', () => broker()?.lastReconciledAt != null, 5_000);
    expect(broker()).toMatchObject({ provider: 'alpaca', mode: 'paper', state: 'connected', streamUp: true, heldOrders: 0 });

    // Someone buys 30 IBM outside the workstation (Alpaca's web page, another app).
    double.setQuote({ symbol: 'IBM', bid: 100, ask: 100.02, bidSize: 500, askSize: 500, time: Date.now() });
    const response = await fetch(`${double.url}/v2/orders`, {
      method: 'POST',
      headers: { 'APCA-API-KEY-ID': KEY_ID, 'APCA-API-SECRET-KEY': SECRET_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'IBM', qty: '30', side: 'buy', type: 'market', time_in_force: 'day' }),
    });
    expect(response.status).toBe(200);
    await waitFor('the mismatch alert', () => events().some((e) => e.type === 'alert' && e.alert.kind === 'position-mismatch'), 5_000);
    const alert = events().find((e) => e.type === 'alert' && e.alert.kind === 'position-mismatch');
    expect(alert?.type === 'alert' && alert.alert.message).toMatch(/broker holds 30 shares.*add up to 0/);
    // Raised once, not at every reconciliation.
    const count = (): number => events().filter((e) => e.type === 'alert' && e.alert.kind === 'position-mismatch').length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(count()).toBe(1);
  });
});
