/**
 * Engine commands behind the workstation UI: layouts kept in the store, the risk-settings lock,
 * acknowledged alerts, an alert's ticket prefill travelling with a link, window frame rates and
 * the order round trip on the health topic.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Layout } from '../../../shared/layouts';
import type { EngineEvent, ServerMessage } from '../../../shared/protocol';
import { Engine } from '../../../electron/engine/engine';
import { openDatabase } from '../../../electron/engine/store/database';
import { sessionTimes } from '../../../electron/engine/market/session-clock';
import { FakeFeed } from '../../support/fake-feed';
import { tempDbPath } from '../../support/trading-desk';

const T0 = sessionTimes('2013-10-07').regularOpen + 3_600_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function setup(path = tempDbPath()) {
  const feed = new FakeFeed(['IBM', 'SPY'], false);
  const db = openDatabase({ path });
  const engine = new Engine({ feed, db, logger: quiet, now: () => T0 });
  const messages: ServerMessage[] = [];
  engine.start();
  engine.connect('w1', (m) => messages.push(m));
  let nextId = 1;
  const request = (command: unknown, client = 'w1') => {
    const id = nextId++;
    engine.handleRequest(client, { id, command });
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
afterEach(() => {
  current?.close();
  current = null;
});

const layout = (name: string, windows = 2): Layout => ({
  name,
  arrangementKey: '1920x1080@0,0*1',
  savedAt: T0,
  windows: Array.from({ length: windows }, (_, i) => ({ kind: i === 0 ? 'chart' : 'ticket', symbol: 'IBM', group: 'red', displayId: 1, bounds: { x: 10 + i * 400, y: 10, width: 400, height: 300 }, ...(i === 0 ? { chart: { timeframe: '5m' as const, indicators: ['vwap', 'rsi'] } } : {}) })),
});

describe('layouts in the engine store', () => {
  it('saves, renames and deletes layouts, publishes the list and keeps it across a restart', () => {
    current = setup();
    current.request({ type: 'subscribe', topics: ['layouts'] });
    expect(current.events().find((e) => e.type === 'layouts')).toEqual({ type: 'layouts', layouts: [] });
    expect(current.request({ type: 'saveLayout', layout: layout('Morning') })).toMatchObject({ ok: true, result: { layouts: [{ name: 'Morning' }] } });
    expect(current.request({ type: 'saveLayout', layout: layout('Close', 1) }).ok).toBe(true);
    // Same name, other case: replaced in place.
    expect(current.request({ type: 'saveLayout', layout: layout('morning', 3) })).toMatchObject({ ok: true, result: { layouts: [{ name: 'morning', windows: { length: 3 } }, { name: 'Close' }] } });
    expect(current.request({ type: 'renameLayout', from: 'Close', to: 'Power hour' }).ok).toBe(true);
    const published = current.events().filter((e) => e.type === 'layouts');
    expect(published.at(-1)).toMatchObject({ layouts: [{ name: 'morning' }, { name: 'Power hour' }] });
    const path = current.path;
    current.close();
    current = setup(path);
    current.request({ type: 'subscribe', topics: ['layouts'] });
    const restored = current.events().find((e) => e.type === 'layouts');
    expect(restored).toMatchObject({ layouts: [{ name: 'morning', windows: [{ kind: 'chart', group: 'red', chart: { timeframe: '5m', indicators: ['vwap', 'rsi'] } }, {}, {}] }, { name: 'Power hour' }] });
    expect(current.request({ type: 'deleteLayout', name: 'MORNING' })).toMatchObject({ ok: true, result: { layouts: [{ name: 'Power hour' }] } });
  });

  it('refuses a bad layout naming the field, and an unknown name, and stores nothing', () => {
    current = setup();
    const bad = { ...layout('Bad'), windows: [{ kind: 'chart', group: null, displayId: 1, bounds: { x: 0, y: 0, width: -5, height: 300 } }] };
    expect(current.request({ type: 'saveLayout', layout: bad })).toMatchObject({ ok: false, error: { code: 'invalid_command', field: 'windows.0.bounds.width' } });
    expect(current.request({ type: 'saveLayout', layout: layout('   ') })).toMatchObject({ ok: false, error: { field: 'name' } });
    expect(current.request({ type: 'deleteLayout', name: 'Nope' })).toMatchObject({ ok: false, error: { message: 'There is no layout named "Nope".' } });
    expect(current.db.prepare('SELECT COUNT(*) AS n FROM layouts').get()).toEqual({ n: 0 });
  });
});

describe('risk settings locked for the session', () => {
  it('refuses risk changes once locked, still takes other settings, and unlocks at restart', () => {
    current = setup();
    current.request({ type: 'subscribe', topics: ['risk'] });
    expect(current.request({ type: 'lockRiskSettings' })).toMatchObject({ ok: true, result: { risk: { settingsLocked: true } } });
    expect(current.events().filter((e) => e.type === 'risk').at(-1)).toMatchObject({ risk: { settingsLocked: true } });
    expect(current.request({ type: 'updateSettings', settings: { risk: { dailyLossLimit: 50_000 } } })).toMatchObject({ ok: false, error: { code: 'invalid_settings', field: 'risk' } });
    expect(current.request({ type: 'updateSettings', settings: { appearance: { theme: 'light' } } }).ok).toBe(true);
    // An import carrying unchanged risk settings is not a risk change.
    const settings = (current.request({ type: 'getSettings' }) as { result: { settings: { risk: object } } }).result.settings;
    expect(current.request({ type: 'updateSettings', settings: { risk: settings.risk } }).ok).toBe(true);
    const path = current.path;
    current.close();
    current = setup(path);
    expect(current.request({ type: 'updateSettings', settings: { risk: { dailyLossLimit: 50_000 } } }).ok).toBe(true);
  });
});

describe('alerts acknowledged', () => {
  it('marks alerts seen for every window and keeps the mark across a restart', () => {
    current = setup();
    current.request({ type: 'subscribe', topics: ['alerts'] });
    current.request({ type: 'killSwitch' }); // raises a critical risk alert
    const alert = current.events().find((e) => e.type === 'alert');
    if (alert?.type !== 'alert') throw new Error('no alert');
    expect(current.request({ type: 'acknowledgeAlerts', ids: [alert.alert.id] })).toMatchObject({ ok: true, result: { acknowledged: 1 } });
    expect(current.events().find((e) => e.type === 'alertsAcknowledged')).toMatchObject({ ids: [alert.alert.id], at: T0 });
    expect(current.request({ type: 'acknowledgeAlerts', ids: [alert.alert.id] })).toMatchObject({ result: { acknowledged: 0 } });
    const path = current.path;
    current.close();
    current = setup(path);
    current.request({ type: 'subscribe', topics: ['alerts'] });
    const history = current.events().find((e) => e.type === 'alertHistory');
    expect(history).toMatchObject({ alerts: expect.arrayContaining([expect.objectContaining({ id: alert.alert.id, acknowledgedAt: T0 })]) });
  });
});

describe('links carry an alert’s ticket prefill', () => {
  it('sends the prefill to the group once, not in later snapshots', () => {
    current = setup();
    current.request({ type: 'subscribe', topics: ['links'] });
    const prefill = { side: 'buy', entry: 181.95, stop: 181.45, target: 182.95, alertId: 'a-1' };
    expect(current.request({ type: 'linkSymbol', group: 'blue', symbol: 'IBM', prefill }).ok).toBe(true);
    expect(current.events().find((e) => e.type === 'link')).toEqual({ type: 'link', group: 'blue', symbol: 'IBM', snapshot: false, prefill });
    current.engine.connect('w2', (m) => current?.messages.push(m));
    current.messages.length = 0;
    current.request({ type: 'subscribe', topics: ['links'] }, 'w2');
    expect(current.events().find((e) => e.type === 'link')).toEqual({ type: 'link', group: 'blue', symbol: 'IBM', snapshot: true });
    expect(current.request({ type: 'linkSymbol', group: 'blue', symbol: 'IBM', prefill: { ...prefill, stop: -1 } })).toMatchObject({ ok: false, error: { field: 'command.prefill.stop' } });
  });
});

describe('health carries window frame rates and the order round trip', () => {
  it('lists each window until it disconnects, and times orders to the broker’s answer', () => {
    current = setup();
    current.request({ type: 'subscribe', topics: ['health'] });
    expect(current.request({ type: 'reportWindowHealth', kind: 'chart', fps: 58.5, longestFrameMs: 33.1, visible: true }).ok).toBe(true);
    expect(current.request({ type: 'reportWindowHealth', kind: 'chart', fps: -1, longestFrameMs: 0, visible: true }).ok).toBe(false);
    current.feed.quote('IBM', 181.9, 181.95, T0);
    current.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 10, type: 'market', timeInForce: 'day' } });
    current.request({ type: 'unsubscribe', topics: ['health'] });
    current.messages.length = 0;
    current.request({ type: 'subscribe', topics: ['health'] });
    const health = current.events().find((e) => e.type === 'health');
    expect(health).toMatchObject({ windows: [{ clientId: 'w1', kind: 'chart', fps: 58.5, longestFrameMs: 33.1 }], broker: { orderRoundTrip: { p50Ms: expect.any(Number), p99Ms: expect.any(Number) } } });
  });
});
