/**
 * The Alpaca trading double speaks Alpaca's protocol (PROTOCOLS.md §2–3): checked with raw
 * `fetch` and `ws` on 127.0.0.1, never with the SDK, so a broker adapter tested against the double
 * is tested against the wire format.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { leanPath, parseLeanTickQuotes, readZippedCsv } from '../../electron/engine/feeds/lean-data';
import { sessionTimes } from '../../electron/engine/market/session-clock';
import { startAlpacaTradingDouble, type AlpacaTradingDouble, type DoubleQuote } from '../doubles/alpaca-trading-double';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON } from '../support/shared-data';

type Entity = Record<string, unknown>;
const KEYS = { keyId: 'AKTEST', secretKey: 'sekret' };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const T0 = Date.UTC(2013, 9, 7, 14, 0);
const quote = (bid: number, ask: number, time = T0): DoubleQuote => ({ symbol: 'IBM', bid, ask, bidSize: 100, askSize: 100, time });
const order = (over: Entity = {}): Entity => ({ symbol: 'IBM', qty: '10', side: 'buy', type: 'market', time_in_force: 'day', ...over });

let double: AlpacaTradingDouble;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  double = await startAlpacaTradingDouble({ ...KEYS, symbols: ['IBM', 'SPY'] });
});
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await double.close();
});

async function call(method: string, path: string, body?: unknown, keys = KEYS, signal?: AbortSignal): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${double.url}${path}`, {
    method,
    headers: { 'APCA-API-KEY-ID': keys.keyId, 'APCA-API-SECRET-KEY': keys.secretKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
}
const post = async (body: Entity) => {
  const r = await call('POST', '/v2/orders', body);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json as Entity;
};
const get = async (path: string) => {
  const r = await call('GET', path);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json as Entity & Entity[];
};

/** Polls `probe` until it returns a value other than undefined (bounded). */
async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface StreamClient {
  ws: WebSocket;
  messages: Array<{ binary: boolean; message: Entity }>;
  closed: Promise<number>;
  /** Next message (from `from` on) matching `match`. */
  next(match: (m: Entity) => boolean, from?: number): Promise<Entity>;
  send(message: unknown): void;
}
async function openStream(): Promise<StreamClient> {
  const ws = new WebSocket(double.streamUrl);
  sockets.push(ws);
  const messages: StreamClient['messages'] = [];
  ws.on('message', (data, binary) => messages.push({ binary, message: JSON.parse(data.toString()) as Entity }));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.on('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    next: (match, from = 0) => eventually(() => messages.slice(from).find((m) => match(m.message))?.message),
    send: (message) => ws.send(JSON.stringify(message)),
  };
}
const authenticate = { action: 'authenticate', data: { key_id: KEYS.keyId, secret_key: KEYS.secretKey } };
const listen = { action: 'listen', data: { streams: ['trade_updates'] } };
async function listeningStream(): Promise<StreamClient> {
  const s = await openStream();
  s.send(authenticate);
  await s.next((m) => m['stream'] === 'authorization');
  s.send(listen);
  await s.next((m) => m['stream'] === 'listening');
  return s;
}
const update = (event: string, id?: unknown) => (m: Entity) => {
  const data = m['data'] as Entity | undefined;
  return m['stream'] === 'trade_updates' && data?.['event'] === event && (id === undefined || (data['order'] as Entity)['id'] === id);
};
const tradeUpdates = (s: StreamClient) => s.messages.map((m) => m.message).filter((m) => m['stream'] === 'trade_updates').map((m) => m['data'] as Entity);

describe('Alpaca trading double: REST v2', { timeout: 10_000 }, () => {
  it('answers 401 with code 40110000 for wrong or missing keys', async () => {
    const wrong = await call('GET', '/v2/account', undefined, { keyId: KEYS.keyId, secretKey: 'nope' });
    expect(wrong).toEqual({ status: 401, json: { code: 40110000, message: 'request is not authorized' } });
    const missing = await fetch(`${double.url}/v2/orders`);
    expect(missing.status).toBe(401);
    expect(double.requests.map((r) => r.status)).toEqual([401, 401]);
  });

  it('answers an order with snake_case fields, numbers as strings and RFC-3339 times', async () => {
    const o = await post(order({ type: 'limit', qty: 15, limit_price: '106', client_order_id: 'mine-1' }));
    expect(o).toMatchObject({
      client_order_id: 'mine-1', symbol: 'IBM', asset_class: 'us_equity', qty: '15', filled_qty: '0', filled_avg_price: null, notional: null,
      limit_price: '106', stop_price: null, type: 'limit', order_type: 'limit', side: 'buy', time_in_force: 'day', order_class: 'simple',
      status: 'accepted', extended_hours: false, legs: null, replaces: null, replaced_by: null,
    });
    expect(o['id']).toMatch(/^[0-9a-f-]{36}$/);
    for (const field of ['created_at', 'updated_at', 'submitted_at']) expect(o[field]).toMatch(ISO);
    for (const field of ['filled_at', 'expired_at', 'canceled_at', 'failed_at', 'replaced_at', 'trail_percent', 'trail_price', 'hwm']) expect(o).toHaveProperty(field, null);
    expect(o).toHaveProperty('asset_id');
    expect(o).toHaveProperty('position_intent', 'buy_to_open');

    double.setQuote(quote(105.97, 105.99));
    const filled = await get(`/v2/orders/${String(o['id'])}`);
    expect(filled).toMatchObject({ status: 'filled', filled_qty: '15', filled_avg_price: '105.99' });
    expect(filled['filled_at']).toBe(new Date(T0).toISOString());
    const account = await get('/v2/account');
    for (const field of ['cash', 'buying_power', 'equity', 'long_market_value', 'short_market_value', 'last_equity', 'portfolio_value']) {
      expect(typeof account[field], field).toBe('string');
    }
    expect(account).toMatchObject({ status: 'ACTIVE', currency: 'USD', shorting_enabled: true, pattern_day_trader: false, trading_blocked: false });
  });

  it('fills a market buy at the ask of the next quote; positions and account follow at average cost', async () => {
    const o = await post(order({ qty: '100' }));
    expect((await get('/v2/orders?status=open')).map((x) => x['id'])).toEqual([o['id']]);
    double.setQuote(quote(181.9, 182));
    double.setQuote(quote(182.9, 183));
    const second = await post(order({ qty: '50' }));
    expect((await get(`/v2/orders/${String(second['id'])}`))['filled_avg_price']).toBe('183');

    const positions = await get('/v2/positions');
    expect(positions).toHaveLength(1);
    const avg = (100 * 182 + 50 * 183) / 150;
    expect(positions[0]).toMatchObject({ symbol: 'IBM', exchange: 'NYSE', asset_class: 'us_equity', qty: '150', side: 'long', current_price: '182.95' });
    expect(Number(positions[0]?.['avg_entry_price'])).toBeCloseTo(avg, 9);
    expect(Number(positions[0]?.['market_value'])).toBeCloseTo(150 * 182.95, 9);
    expect(Number(positions[0]?.['unrealized_pl'])).toBeCloseTo(150 * (182.95 - avg), 9);
    const account = await get('/v2/account');
    expect(Number(account['cash'])).toBeCloseTo(100_000 - 18_200 - 9_150, 9);
    expect(Number(account['equity'])).toBeCloseTo(100_000 - 27_350 + 150 * 182.95, 9);
    expect(double.account().longMarketValue).toBeCloseTo(150 * 182.95, 9);

    await post(order({ side: 'sell', qty: '200' })); // flips short at the bid
    const [p] = double.positions();
    expect(p).toMatchObject({ symbol: 'IBM', qty: -50, avgEntryPrice: 182.9 });
    expect(p?.realizedPnl).toBeCloseTo(150 * (182.9 - avg), 9);
    expect((await get('/v2/positions'))[0]).toMatchObject({ side: 'short', qty: '-50' });
  });

  it('refuses a buy beyond buying power (403 40310000), counting open buy orders', async () => {
    await double.close();
    double = await startAlpacaTradingDouble({ ...KEYS, symbols: ['IBM'], startingCash: 10_000 });
    const tooBig = await call('POST', '/v2/orders', order({ type: 'limit', limit_price: '100', qty: '101' }));
    expect(tooBig.status).toBe(403);
    expect(tooBig.json).toMatchObject({ code: 40310000, message: 'insufficient buying power' });
    await post(order({ type: 'limit', limit_price: '100', qty: '60' }));
    expect((await get('/v2/account'))['buying_power']).toBe('4000');
    expect((await call('POST', '/v2/orders', order({ type: 'limit', limit_price: '100', qty: '50' }))).status).toBe(403);
    double.setQuote(quote(99, 99.5));
    expect((await call('POST', '/v2/orders', order({ qty: '50' }))).status).toBe(403); // market: at the ask
    expect((await call('POST', '/v2/orders', order({ side: 'sell', qty: '500' }))).status).toBe(200); // shorting allowed
  });

  it('answers 422 42210000 with a reason for bad parameters, 40010001 for a reused client_order_id', async () => {
    const cases: Array<[Entity, RegExp]> = [
      [order({ symbol: 'XYZ' }), /^asset "XYZ" not found$/],
      [order({ symbol: undefined }), /symbol/],
      [order({ qty: '0' }), /qty/],
      [order({ qty: '-5' }), /qty/],
      [order({ qty: 'ten' }), /qty/],
      [order({ side: 'hold' }), /side/],
      [order({ type: 'iceberg' }), /type/],
      [order({ time_in_force: 'forever' }), /time_in_force/],
      [order({ type: 'limit' }), /limit_price/],
      [order({ type: 'stop_limit', limit_price: '100' }), /stop_price/],
      [order({ type: 'trailing_stop', trail_price: '1', trail_percent: '1' }), /trail_price or trail_percent/],
      [order({ type: 'trailing_stop' }), /trail_price or trail_percent/],
      [order({ extended_hours: true }), /extended hours/],
      [order({ type: 'limit', limit_price: '100', time_in_force: 'gtc', extended_hours: true }), /extended hours/],
      [order({ order_class: 'bracket', take_profit: { limit_price: '110' } }), /stop_loss/],
      [order({ client_order_id: 'x'.repeat(49) }), /48/],
    ];
    for (const [body, message] of cases) {
      const r = await call('POST', '/v2/orders', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect((r.json as Entity)['code']).toBe(42210000);
      expect((r.json as Entity)['message']).toMatch(message);
    }
    await post(order({ type: 'limit', limit_price: '100', time_in_force: 'day', extended_hours: true, client_order_id: 'x'.repeat(48) }));
    expect(await call('POST', '/v2/orders', order({ client_order_id: 'x'.repeat(48) }))).toEqual({
      status: 422,
      json: { code: 40010001, message: 'client_order_id must be unique' },
    });
    expect(double.orders()).toHaveLength(1);
  });

  it('answers 404 40410000 for unknown orders and routes', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const method of ['GET', 'DELETE', 'PATCH']) {
      expect(await call(method, `/v2/orders/${id}`, method === 'PATCH' ? { qty: '1' } : undefined)).toEqual({ status: 404, json: { code: 40410000, message: 'order not found' } });
    }
    expect((await call('GET', '/v2/orders:by_client_order_id?client_order_id=nope')).status).toBe(404);
    expect(await call('GET', '/v2/watchlists')).toEqual({ status: 404, json: { code: 40410000, message: 'endpoint not found' } });
  });

  it('fails the next requests on demand (429, 5xx) after the key check, then recovers', async () => {
    double.failNext(429);
    expect(await call('GET', '/v2/account')).toEqual({ status: 429, json: { code: 42910000, message: 'rate limit exceeded' } });
    double.failNext(503, 2);
    expect((await call('GET', '/v2/account', undefined, { ...KEYS, secretKey: 'bad' })).status).toBe(401);
    expect(await call('POST', '/v2/orders', order())).toEqual({ status: 503, json: { code: 50010000, message: 'internal server error' } });
    expect((await call('GET', '/v2/orders')).status).toBe(503);
    expect((await call('GET', '/v2/account')).status).toBe(200);
    expect(double.orders()).toEqual([]);
    expect(double.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /v2/account 429', 'GET /v2/account 401', 'POST /v2/orders 503', 'GET /v2/orders 503', 'GET /v2/account 200',
    ]);
    expect(double.requests[2]?.body).toMatchObject({ symbol: 'IBM', qty: '10' });
  });

  it('answers slowly when told to (delayMs)', async () => {
    double.delayMs = 300;
    const started = Date.now();
    expect((await call('GET', '/v2/account')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('lists orders by status, direction, limit, symbols, after and nesting', async () => {
    double.setQuote(quote(99.9, 100));
    const a = await post(order());
    const b = await post(order({ type: 'limit', limit_price: '90' }));
    const c = await post(order({ type: 'limit', limit_price: '80' }));
    expect((await call('DELETE', `/v2/orders/${String(c['id'])}`)).status).toBe(204);
    const d = await post(order({ order_class: 'bracket', type: 'limit', limit_price: '95', take_profit: { limit_price: '110' }, stop_loss: { stop_price: '90' } }));
    const ids = (list: Entity[]) => list.map((o) => o['id']);
    const legIds = (d['legs'] as Entity[]).map((l) => l['id']);
    expect(legIds).toHaveLength(2);
    expect(ids(await get('/v2/orders?status=open&nested=true'))).toEqual([d['id'], b['id']]);
    expect(ids(await get('/v2/orders'))).toEqual([...legIds].reverse().concat([d['id'], b['id']]));
    expect(ids(await get('/v2/orders?status=closed'))).toEqual([c['id'], a['id']]);
    expect(ids(await get('/v2/orders?status=all&direction=asc&limit=2'))).toEqual([a['id'], b['id']]);
    expect(ids(await get('/v2/orders?status=all&symbols=SPY,AAPL'))).toEqual([]);
    const nested = await get('/v2/orders?status=all&nested=true&direction=asc');
    expect(nested.map((o) => (o['legs'] as Entity[] | null)?.map((l) => l['status']) ?? null)).toEqual([null, null, null, ['held', 'held']]);
    expect((await call('GET', '/v2/orders?status=sideways')).status).toBe(422);

    // created_at carries sub-ms digits (unique, rising); `after` is exclusive at full precision.
    const stamps = nested.map((o) => String(o['created_at']));
    expect(stamps.every((t) => /\.\d{9}Z$/.test(t))).toBe(true);
    expect(new Set(stamps).size).toBe(stamps.length);
    const afterB = await get(`/v2/orders?status=all&nested=true&direction=asc&after=${String(b['created_at'])}`);
    expect(ids(afterB)).toEqual([c['id'], d['id']]);
    // A client that pages with a ms Date (the SDK parses created_at into one) re-reads that whole ms: overlap, no loss.
    const truncated = new Date(String(b['created_at'])).toISOString();
    expect(ids(await get(`/v2/orders?status=all&nested=true&direction=asc&after=${truncated}`))).toEqual([a['id'], b['id'], c['id'], d['id']]);
    expect((await get(`/v2/orders:by_client_order_id?client_order_id=${String(b['client_order_id'])}`))['id']).toBe(b['id']);
  });

  it('cancels all open orders with 207 Multi-Status', async () => {
    const a = await post(order({ type: 'limit', limit_price: '90' }));
    const b = await post(order({ type: 'stop', stop_price: '120' }));
    const r = await call('DELETE', '/v2/orders');
    expect(r.status).toBe(207);
    const results = r.json as Entity[];
    expect(results.map((x) => [x['id'], x['status'], (x['body'] as Entity)['status']])).toEqual([
      [a['id'], 200, 'canceled'],
      [b['id'], 200, 'canceled'],
    ]);
    expect(double.orders().map((o) => o.status)).toEqual(['canceled', 'canceled']);
  });
});

describe('Alpaca trading double: trade_updates stream', { timeout: 10_000 }, () => {
  it('authenticates and listens with JSON in binary frames; refuses listen before auth and wrong keys', async () => {
    const early = await openStream();
    early.send(listen);
    expect(await early.next((m) => m['stream'] === 'authorization')).toEqual({ stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } });

    const bad = await openStream();
    bad.send({ action: 'authenticate', data: { key_id: KEYS.keyId, secret_key: 'wrong' } });
    expect(await bad.next((m) => m['stream'] === 'authorization')).toEqual({ stream: 'authorization', data: { status: 'unauthorized', action: 'authenticate' } });
    await bad.closed;

    const s = await openStream();
    s.send(authenticate);
    expect(await s.next((m) => m['stream'] === 'authorization')).toEqual({ stream: 'authorization', data: { status: 'authorized', action: 'authenticate' } });
    s.send(listen);
    expect(await s.next((m) => m['stream'] === 'listening')).toEqual({ stream: 'listening', data: { streams: ['trade_updates'] } });
    await new Promise<void>((resolve) => {
      s.ws.once('pong', () => resolve());
      s.ws.ping();
    });

    double.setQuote(quote(99.9, 100));
    const o = await post(order());
    const fill = (await s.next(update('fill', o['id'])))['data'] as Entity;
    expect(fill).toMatchObject({ event: 'fill', price: '100', qty: '10', position_qty: '10', timestamp: new Date(T0).toISOString() });
    expect(fill['execution_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(fill['order']).toMatchObject({ id: o['id'], status: 'filled', filled_qty: '10', filled_avg_price: '100' });
    expect(tradeUpdates(s).map((d) => d['event'])).toEqual(['new', 'fill']);
    expect(s.messages.every((m) => m.binary)).toBe(true);
    expect(tradeUpdates(early)).toEqual([]);
  });

  it('sends partial fills, one execution per quote, with a volume-weighted average price', async () => {
    const s = await listeningStream();
    double.maxFillShares = 40;
    double.setQuote(quote(99.9, 100));
    const o = await post(order({ qty: '100' }));
    double.setQuote(quote(100.9, 101));
    double.setQuote(quote(101.9, 102));
    double.setQuote(quote(102.9, 103));
    await s.next(update('fill', o['id']));
    const fills = tradeUpdates(s).filter((d) => d['event'] !== 'new');
    expect(fills.map((d) => [d['event'], d['price'], d['qty'], d['position_qty'], (d['order'] as Entity)['status']])).toEqual([
      ['partial_fill', '100', '40', '40', 'partially_filled'],
      ['partial_fill', '101', '40', '80', 'partially_filled'],
      ['fill', '102', '20', '100', 'filled'],
    ]);
    expect(Number((fills[2]?.['order'] as Entity)['filled_avg_price'])).toBeCloseTo((40 * 100 + 40 * 101 + 20 * 102) / 100, 9);
  });

  it('emits canceled on DELETE; a second DELETE is 422 not cancelable', async () => {
    const s = await listeningStream();
    const o = await post(order({ type: 'limit', limit_price: '90' }));
    const del = await call('DELETE', `/v2/orders/${String(o['id'])}`);
    expect(del).toEqual({ status: 204, json: null });
    const canceled = (await s.next(update('canceled', o['id'])))['data'] as Entity;
    expect(canceled['order']).toMatchObject({ status: 'canceled' });
    expect((canceled['order'] as Entity)['canceled_at']).toMatch(ISO);
    expect(await call('DELETE', `/v2/orders/${String(o['id'])}`)).toEqual({ status: 422, json: { code: 42210000, message: 'order is not cancelable' } });
  });

  it('replaces with PATCH: a new order (new id, replaces) and the old one replaced', async () => {
    const s = await listeningStream();
    const old = await post(order({ type: 'limit', limit_price: '90', qty: '10' }));
    const r = await call('PATCH', `/v2/orders/${String(old['id'])}`, { limit_price: '91.5', qty: '5', client_order_id: 'replacement' });
    expect(r.status).toBe(200);
    const fresh = r.json as Entity;
    expect(fresh['id']).not.toBe(old['id']);
    expect(fresh).toMatchObject({ replaces: old['id'], limit_price: '91.5', qty: '5', client_order_id: 'replacement', status: 'accepted' });
    expect(await get(`/v2/orders/${String(old['id'])}`)).toMatchObject({ status: 'replaced', replaced_by: fresh['id'] });
    await s.next(update('new', fresh['id']));
    expect(tradeUpdates(s).map((d) => [d['event'], (d['order'] as Entity)['id']])).toEqual([
      ['new', old['id']],
      ['replaced', old['id']],
      ['new', fresh['id']],
    ]);
    expect((await call('PATCH', `/v2/orders/${String(old['id'])}`, { limit_price: '92' })).json).toMatchObject({ code: 42210000 });
    double.setQuote(quote(91.4, 91.5));
    expect(await get(`/v2/orders/${String(fresh['id'])}`)).toMatchObject({ status: 'filled', filled_avg_price: '91.5' });
  });

  it('activates bracket legs when the entry fills; the take profit fill cancels the stop loss', async () => {
    const s = await listeningStream();
    const o = await post(order({ order_class: 'bracket', take_profit: { limit_price: '110' }, stop_loss: { stop_price: '95' } }));
    const [tp, sl] = o['legs'] as Entity[];
    expect(tp).toMatchObject({ type: 'limit', side: 'sell', limit_price: '110', status: 'held', order_class: 'bracket' });
    expect(sl).toMatchObject({ type: 'stop', side: 'sell', stop_price: '95', status: 'held' });
    double.setQuote(quote(99.9, 100));
    await s.next(update('new', sl?.['id']));
    double.setQuote(quote(110.5, 110.6));
    await s.next(update('canceled', sl?.['id']));
    expect(tradeUpdates(s).map((d) => [d['event'], (d['order'] as Entity)['id']])).toEqual([
      ['new', o['id']], ['fill', o['id']], ['new', tp?.['id']], ['new', sl?.['id']], ['fill', tp?.['id']], ['canceled', sl?.['id']],
    ]);
    expect(double.positions()[0]).toMatchObject({ qty: 0, realizedPnl: 10 * (110.5 - 100) });
    expect(double.orders()[0]?.legs.map((l) => l.status)).toEqual(['filled', 'canceled']);
  });

  it('drops sockets on demand (dropStream)', async () => {
    const s = await listeningStream();
    double.dropStream();
    expect(await s.closed).toBe(1006);
  });

  it('loses events while unavailable (503 on upgrade); the broker still fills, GET /v2/orders shows it', async () => {
    const s = await listeningStream();
    double.setStreamAvailable(false);
    expect(await s.closed).toBe(1006);
    const refused = new WebSocket(double.streamUrl);
    sockets.push(refused);
    const error = await new Promise<Error>((resolve) => refused.on('error', resolve));
    expect(error.message).toMatch(/Unexpected server response: 503/);

    double.setQuote(quote(99.9, 100));
    const lost = await post(order());
    double.setStreamAvailable(true);
    const again = await listeningStream();
    const seen = await post(order({ qty: '1' }));
    await again.next(update('fill', seen['id']));
    expect(tradeUpdates(again).map((d) => (d['order'] as Entity)['id'])).toEqual([seen['id'], seen['id']]);
    const all = await get('/v2/orders?status=all');
    expect(all.find((o) => o['id'] === lost['id'])).toMatchObject({ status: 'filled', filled_qty: '10', filled_avg_price: '100' });
    expect(tradeUpdates(s)).toEqual([]);
  });

  it('keeps a silenced socket open but sends nothing on it', async () => {
    const s = await listeningStream();
    double.silenceStream(true);
    const quiet = await post(order({ type: 'limit', limit_price: '50' }));
    double.silenceStream(false);
    const loud = await post(order({ type: 'limit', limit_price: '51' }));
    await s.next(update('new', loud['id']));
    expect(tradeUpdates(s).map((d) => (d['order'] as Entity)['id'])).toEqual([loud['id']]);
    expect(double.orders().map((o) => o.id)).toEqual([quiet['id'], loud['id']]);
  });

  it('creates the order at once but holds the POST reply back (delayNextOrderReply): a client can time out on an order the broker has', async () => {
    const s = await listeningStream();
    double.setQuote(quote(99.9, 100));
    double.delayNextOrderReply(1_500, 2);
    const timedOut = await call('POST', '/v2/orders', order({ client_order_id: 'late-1' }), KEYS, AbortSignal.timeout(200)).catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe('TimeoutError');
    expect(await get('/v2/orders:by_client_order_id?client_order_id=late-1')).toMatchObject({ status: 'filled', filled_qty: '10' });
    await s.next(update('fill'));

    const started = Date.now();
    let replied = false;
    const late = call('POST', '/v2/orders', order({ client_order_id: 'late-2' })).then((r) => {
      replied = true;
      return r;
    });
    const found = await eventually(async () => {
      const r = await call('GET', '/v2/orders:by_client_order_id?client_order_id=late-2');
      return r.status === 200 ? (r.json as Entity) : undefined;
    });
    expect(replied).toBe(false);
    const reply = await late;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(reply.status).toBe(200);
    expect((reply.json as Entity)['id']).toBe(found['id']);
    const t0 = Date.now();
    expect((await call('POST', '/v2/orders', order({ qty: '1' }))).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
});

/** NBBO changes from 09:30 on, built from per-exchange top-of-book rows (README: one side per row). */
function recordedNbbo(symbol: string, date: string): DoubleQuote[] {
  const updates = parseLeanTickQuotes(readZippedCsv(leanPath(LEAN_DIR, 'tick', symbol, date, 'quote')), symbol, date, { rows: 0, malformed: 0, suspicious: 0 });
  const bids = new Map<string, [number, number]>();
  const asks = new Map<string, [number, number]>();
  const open = sessionTimes(date).regularOpen;
  const out: DoubleQuote[] = [];
  for (const u of updates) {
    if (u.bid > 0) bids.set(u.exchange, [u.bid, u.bidSize]);
    if (u.ask > 0) asks.set(u.exchange, [u.ask, u.askSize]);
    if (u.time < open) continue;
    const bid = [...bids.values()].reduce((best, b) => (b[0] > best[0] ? b : best), [0, 0]);
    const ask = [...asks.values()].reduce((best, a) => (a[0] < best[0] ? a : best), [Infinity, 0]);
    if (!(bid[0] > 0 && ask[0] < Infinity && bid[0] < ask[0])) continue;
    const last = out.at(-1);
    if (last && last.bid === bid[0] && last.ask === ask[0]) continue;
    out.push({ symbol, bid: bid[0], ask: ask[0], bidSize: bid[1], askSize: ask[1], time: u.time });
  }
  return out;
}

describe('Alpaca trading double: fills against recorded quotes', { timeout: 10_000 }, () => {
  it.skipIf(!HAS_LEAN_DATA)(`fills IBM orders at the recorded NBBO of 2013-10-07 (${NO_DATA_REASON})`, async () => {
    const quotes = recordedNbbo('IBM', '2013-10-07');
    const [first] = quotes;
    expect(first).toBeDefined();
    if (!first) return;
    const s = await listeningStream();
    double.setQuote(first);
    const buy = await post(order({ qty: '100' }));
    expect((await s.next(update('fill', buy['id'])))['data']).toMatchObject({ price: String(first.ask), timestamp: new Date(first.time).toISOString() });

    const limit = Number((first.ask + 0.1).toFixed(2));
    const sell = await post(order({ side: 'sell', qty: '100', type: 'limit', limit_price: String(limit) }));
    const rest = quotes.slice(1);
    const hit = rest.find((q) => q.bid >= limit);
    expect(hit, 'the recorded bid reaches the limit').toBeDefined();
    if (!hit) return;
    for (const q of rest.slice(0, rest.indexOf(hit))) double.setQuote(q);
    expect((await get(`/v2/orders/${String(sell['id'])}`))['status']).toBe('new');
    double.setQuote(hit);
    expect(await get(`/v2/orders/${String(sell['id'])}`)).toMatchObject({ status: 'filled', filled_avg_price: String(hit.bid), filled_at: new Date(hit.time).toISOString() });
    expect(double.positions()).toEqual([
      expect.objectContaining({ symbol: 'IBM', qty: 0, realizedPnl: expect.closeTo(100 * (hit.bid - first.ask), 6) as number }),
    ]);
    expect(double.account().cash).toBeCloseTo(100_000 + 100 * (hit.bid - first.ask), 6);
    expect(await get('/v2/positions')).toEqual([]);
  });
});
