import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { decodeAlpacaFrame, parseAlpacaMessage } from '../../../electron/engine/feeds/alpaca-messages';
import { FeedValidator } from '../../../electron/engine/feeds/feed-validator';
import { decodePolygonFrame, parsePolygonMessage } from '../../../electron/engine/feeds/polygon-messages';
import { TradeCondition, hasCondition } from '../../../shared/trade-conditions';

describe('Alpaca stream messages', () => {
  it('normalizes the documented examples: trade, quote, bar, halt', () => {
    const frame = JSON.stringify([
      { T: 't', i: 96921, S: 'AAPL', x: 'D', p: 126.55, s: 1, t: '2021-02-22T15:51:44.208Z', c: ['@', 'I'], z: 'C' },
      { T: 'q', S: 'AMD', bx: 'U', bp: 87.66, bs: 1, ax: 'Q', ap: 87.68, as: 4, t: '2021-02-22T15:51:45.335689322Z', c: ['R'], z: 'C' },
      { T: 'b', S: 'SPY', o: 388.985, h: 389.13, l: 388.975, c: 389.12, v: 49378, t: '2021-02-22T19:15:00Z' },
      { T: 's', S: 'AAPL', sc: 'H', sm: 'Trading Halt', rc: 'T12', rm: 'Trading Halted; For information requested by NASDAQ', t: '2021-02-22T19:15:00Z', z: 'C' },
    ]);
    const [trade, quote, bar, status] = (decodeAlpacaFrame(frame, false) ?? []).map(parseAlpacaMessage);
    expect(trade).toMatchObject({ ok: true, event: { kind: 'trade', id: 96921, trade: { symbol: 'AAPL', price: 126.55, size: 1, exchange: 'D', time: Date.parse('2021-02-22T15:51:44.208Z') } } });
    expect(trade?.ok === true && trade.event.kind === 'trade' && hasCondition(trade.event.trade.conditions, TradeCondition.OddLot)).toBe(true);
    expect(quote).toMatchObject({ ok: true, event: { kind: 'quote', quote: { symbol: 'AMD', bid: 87.66, ask: 87.68, bidExchange: 'U', askSize: 4, time: Date.parse('2021-02-22T15:51:45.335Z') } } });
    expect(bar).toMatchObject({ ok: true, event: { kind: 'bar', updated: false, bar: { symbol: 'SPY', close: 389.12, volume: 49378, openTime: Date.parse('2021-02-22T19:15:00Z') } } });
    expect(status).toMatchObject({ ok: true, event: { kind: 'status', status: { symbol: 'AAPL', halted: true, message: 'Trading Halt: Trading Halted; For information requested by NASDAQ' } } });
  });

  it('reads msgpack frames with timestamp extensions, and names the reason for bad ones', () => {
    const frame = Buffer.from(encode([{ T: 't', S: 'IBM', i: 1, x: 'N', p: 182.1, s: 100, c: ['@'], t: new Date(1_381_152_600_072), z: 'A' }]));
    expect(parseAlpacaMessage(decodeAlpacaFrame(frame, true)?.[0])).toMatchObject({ ok: true, event: { trade: { time: 1_381_152_600_072, price: 182.1 } } });
    expect(decodeAlpacaFrame(Buffer.from([0x91, 0xc1]), true)).toBeNull();
    expect(decodeAlpacaFrame('[{"T":"t"', false)).toBeNull();
    expect(parseAlpacaMessage({ T: 't', S: 'IBM', s: 100, t: '2021-02-22T15:51:44Z' })).toMatchObject({ ok: false, reason: 'missing_field' });
    expect(parseAlpacaMessage({ T: 't', S: 'IBM', p: -1, s: 100, t: '2021-02-22T15:51:44Z' })).toMatchObject({ ok: false, reason: 'non_positive_price' });
    expect(parseAlpacaMessage({ T: 'error', code: 402, msg: 'auth failed' })).toMatchObject({ ok: 'control', control: { kind: 'error', code: 402 } });
    expect(parseAlpacaMessage({ T: 'l', S: 'IBM', u: 190.3, d: 180.1, i: 'B', t: '2021-02-22T15:51:44Z', z: 'A' })).toMatchObject({ ok: true, event: { kind: 'luld', band: { limitUp: 190.3, limitDown: 180.1 } } });
  });
});

describe('Polygon stream messages', () => {
  it('maps integer exchange ids to letters and round-lot quote sizes to shares', () => {
    const [trade, quote, agg] = (
      decodePolygonFrame(
        JSON.stringify([
          { ev: 'T', sym: 'MSFT', x: 4, i: '12345', z: 3, p: 114.125, s: 100, c: [0, 12], t: 1536036818784, q: 3681328 },
          { ev: 'Q', sym: 'MSFT', bx: 4, bp: 114.125, bs: 100, ax: 7, ap: 114.128, as: 160, c: 0, t: 1536036818784, q: 50385480, z: 3 },
          { ev: 'AM', sym: 'GTE', v: 4110, av: 9470157, op: 0.4372, vw: 0.4488, o: 0.4488, c: 0.4486, h: 0.4489, l: 0.4486, a: 0.4352, z: 685, s: 1610144640000, e: 1610144700000 },
        ]),
      ) ?? []
    ).map(parsePolygonMessage);
    expect(trade).toMatchObject({ ok: true, event: { kind: 'trade', id: '4:12345', trade: { exchange: 'D', price: 114.125, time: 1536036818784 } } });
    expect(trade?.ok === true && trade.event.kind === 'trade' && hasCondition(trade.event.trade.conditions, TradeCondition.FormT)).toBe(true);
    expect(quote).toMatchObject({ ok: true, event: { quote: { bidExchange: 'D', askExchange: 'J', bidSize: 10_000, askSize: 16_000 } } });
    expect(agg).toMatchObject({ ok: true, event: { kind: 'bar', bar: { symbol: 'GTE', openTime: 1610144640000, volume: 4110, vwap: 0.4488 } } });
    expect(parsePolygonMessage({ ev: 'status', status: 'auth_failed', message: 'authentication failed' })).toMatchObject({ ok: 'control', control: { kind: 'auth_failed' } });
  });
});

describe('hostile fields (fuzz regressions)', () => {
  it('never throws on a field whose value cannot become a string ({"toString":1}); the message is dropped or kept as usual', () => {
    const hostile = JSON.parse('{"toString":1}') as unknown;
    expect(parseAlpacaMessage({ T: hostile })).toMatchObject({ ok: false, reason: 'unknown_message' });
    expect(parsePolygonMessage({ ev: hostile })).toMatchObject({ ok: false, reason: 'unknown_message' });
    expect(parsePolygonMessage({ ev: 'status', status: hostile })).toMatchObject({ ok: 'control', control: { kind: 'error' } });
    expect(parsePolygonMessage({ ev: 'T', sym: 'MSFT', x: hostile, i: 7, p: 114.1, s: 100, t: 1536036818784 })).toMatchObject({ ok: true, event: { kind: 'trade', id: 'object:7' } });
  });

  it('drops a quote with a negative size, or a Polygon lot count too large to count in shares', () => {
    expect(parseAlpacaMessage({ T: 'q', S: 'AMD', bp: 87.66, bs: -1, ap: 87.68, as: 4, t: '2021-02-22T15:51:45Z' })).toMatchObject({ ok: false, reason: 'non_positive_price' });
    expect(parsePolygonMessage({ ev: 'Q', sym: 'MSFT', bp: 114.1, bs: 1e307, ap: 114.2, as: 1, t: 1536036818784 })).toMatchObject({ ok: false, reason: 'non_positive_price' });
  });
});

describe('FeedValidator', () => {
  const base = { symbol: 'IBM', bidSize: 100, bidExchange: 'N', askSize: 100, askExchange: 'P' };
  it('lets a locked quote and a late print with its condition through; drops crossed, old, repeated and far-off messages', () => {
    const now = 1_381_152_600_000;
    const v = new FeedValidator({ now: () => now });
    expect(v.check({ kind: 'quote', quote: { ...base, bid: 100, ask: 100, time: now } })).toBeNull();
    expect(v.check({ kind: 'quote', quote: { ...base, bid: 100.05, ask: 100, time: now + 1 } })).toBe('crossed_quote');
    expect(v.check({ kind: 'quote', quote: { ...base, bid: 99.99, ask: 100, time: now - 5 } })).toBe('out_of_order');
    const trade = { symbol: 'IBM', price: 100, size: 100, exchange: 'N', conditions: TradeCondition.Regular, time: now };
    expect(v.check({ kind: 'trade', trade, id: '1' })).toBeNull();
    expect(v.check({ kind: 'trade', trade, id: '1' })).toBe('duplicate');
    expect(v.check({ kind: 'trade', trade: { ...trade, time: now - 10_000 }, id: '2' })).toBe('out_of_order');
    expect(v.check({ kind: 'trade', trade: { ...trade, time: now - 10_000, conditions: TradeCondition.SoldLate }, id: '3' })).toBeNull();
    expect(v.check({ kind: 'trade', trade: { ...trade, time: now + 6 * 3_600_000 }, id: '4' })).toBe('far_timestamp');
    expect(v.dropped()).toEqual({ crossed_quote: 1, out_of_order: 2, duplicate: 1, far_timestamp: 1 });
  });

  it('remembers the last 1 024 trade ids of a symbol', () => {
    const now = 1_381_152_600_000;
    const v = new FeedValidator({ now: () => now });
    const trade = { symbol: 'IBM', price: 100, size: 100, exchange: 'N', conditions: TradeCondition.Regular, time: now };
    for (let i = 0; i <= 1_024; i++) expect(v.check({ kind: 'trade', trade, id: String(i) })).toBeNull();
    expect(v.check({ kind: 'trade', trade, id: '1024' })).toBe('duplicate');
    expect(v.check({ kind: 'trade', trade, id: '0' })).toBeNull(); // forgotten: 1 025 ids ago
  });
});

describe('RFC 3339 timestamps', () => {
  it('parses the stream shapes exactly like Date.parse, to the millisecond', async () => {
    const { utcTimestampMs } = await import('../../../electron/engine/feeds/stream-events');
    for (const text of ['2021-02-22T15:51:44.208Z', '2021-02-22T15:51:45.335689322Z', '2021-02-22T19:15:00Z', '2013-10-07T13:30:00.072000000Z', '2013-10-07T23:59:59.999Z', '2024-02-29T00:00:00.5Z']) {
      expect(utcTimestampMs(text)).toBe(Date.parse(text));
    }
    expect(utcTimestampMs('2021-02-22T15:51:44+02:00')).toBeUndefined();
    expect(utcTimestampMs('2021-02-22 15:51:44Z')).toBeUndefined();
    expect(utcTimestampMs('2021-02-22T15:5x:44Z')).toBeUndefined();
  });

  it('remembers the last timestamp, second and day without ever answering for a different string', async () => {
    const { utcTimestampMs } = await import('../../../electron/engine/feeds/stream-events');
    // Runs of one moment, then one second, then a new day, then malformed look-alikes of the last.
    const sequence = [
      '2021-02-22T15:51:44.208215296Z', '2021-02-22T15:51:44.208215296Z', '2021-02-22T15:51:44.208999999Z', '2021-02-22T15:51:44.999000001Z',
      '2021-02-22T15:51:45.000000000Z', '2021-02-23T09:30:00.000001000Z', '2021-02-23T09:30:00.100Z', '2021-02-23T09:30:00.1Z',
    ];
    for (const text of sequence) expect(utcTimestampMs(text), text).toBe(Date.parse(text));
    for (const bad of ['2021-02-23T09:30:00.1x0Z', '2021-02-23T09:30:00.100000x00Z', '2021-02-23T09:30:00.Z', '2021-02-23T09:30:00.100000000z']) {
      expect(utcTimestampMs(bad), bad).toBeUndefined();
    }
    expect(utcTimestampMs('2021-02-23T09:30:00.100Z')).toBe(Date.parse('2021-02-23T09:30:00.100Z'));
    // Same length and second as the one just parsed, but no Z (local time to Date.parse): not ours to answer.
    expect(utcTimestampMs('2021-02-23T09:30:00.1000')).toBeUndefined();
  });
});
