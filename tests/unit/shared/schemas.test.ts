import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import { isOnTickGrid, roundToTick, tickSize } from '../../../shared/price';
import { applySettingsPatch, parseClientRequest } from '../../../shared/schemas';

describe('parseClientRequest', () => {
  it('accepts a valid order and upper-cases the symbol', () => {
    const parsed = parseClientRequest({ id: 1, command: { type: 'placeOrder', order: { symbol: ' ibm', side: 'buy', quantity: 10, type: 'market', timeInForce: 'day' } } });
    expect(parsed).toMatchObject({ ok: true, value: { command: { order: { symbol: 'IBM' } } } });
  });

  it.each([
    [{ id: 1, command: { type: 'placeOrder', order: { symbol: 'IBM', side: 'hold', quantity: 1, type: 'market', timeInForce: 'day' } } }, 'command.order.side'],
    [{ id: 1, command: { type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 1, type: 'limit', timeInForce: 'day' } } }, 'command.order.limitPrice'],
    [{ id: 1, command: { type: 'placeOrder', order: { symbol: '1BM', side: 'buy', quantity: 1, type: 'market', timeInForce: 'day' } } }, 'command.order.symbol'],
    [{ id: 1, command: { type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 1, type: 'market', timeInForce: 'day', extra: 1 } } }, 'command.order'],
    [{ id: 1, command: { type: 'subscribe', topics: ['quotes:ibm'] } }, 'command.topics.0'],
  ])('names the bad field of %j', (input, field) => {
    const parsed = parseClientRequest(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('invalid_command');
      expect(parsed.error.field).toBe(field);
      expect(parsed.id).toBe(1);
    }
  });

  it('reads back only a non-negative integer id (anything else is logged, not answered; fuzz regression)', () => {
    expect(parseClientRequest({ id: -1, command: { type: 'getSettings' } })).not.toHaveProperty('id');
    expect(parseClientRequest({ id: 1.5, command: { type: 'getSettings' } })).not.toHaveProperty('id');
    expect(parseClientRequest({ id: 0, command: { type: 'nope' } })).toMatchObject({ ok: false, id: 0 });
  });

  it('handles input that is not an object at all', () => {
    expect(parseClientRequest('hello')).toMatchObject({ ok: false });
    expect(parseClientRequest(null)).toMatchObject({ ok: false });
  });
});

describe('applySettingsPatch', () => {
  it('merges a partial patch and keeps the rest', () => {
    expect(applySettingsPatch(DEFAULT_SETTINGS, { risk: { maxOrderNotional: 5000 } })).toMatchObject({ ok: true, value: { risk: { maxOrderNotional: 5000 }, paper: DEFAULT_SETTINGS.paper } });
  });
  it('refuses invalid values naming the field', () => {
    expect(applySettingsPatch(DEFAULT_SETTINGS, { watchlist: [] })).toMatchObject({ ok: false, error: { field: 'watchlist' } });
    expect(applySettingsPatch(DEFAULT_SETTINGS, { paper: { startingCash: 0 } })).toMatchObject({ ok: false, error: { field: 'paper.startingCash' } });
  });
});

describe('tick grid (Reg NMS Rule 612)', () => {
  it('uses $0.01 at or above $1 and $0.0001 below', () => {
    expect(tickSize(1)).toBe(0.01);
    expect(tickSize(0.9999)).toBe(0.0001);
    expect(isOnTickGrid(181.91)).toBe(true);
    expect(isOnTickGrid(181.915)).toBe(false);
    expect(isOnTickGrid(0.1234)).toBe(true);
    expect(isOnTickGrid(0.12345)).toBe(false);
    expect(roundToTick(181.916)).toBe(181.92);
  });
});

describe('hotkey settings', () => {
  it('are replaced whole, and a conflict is refused with the binding named', () => {
    const bindings = [
      { chord: 'F1', action: 'buy_ask' as const, quantity: 100 },
      { chord: 'F1', action: 'sell_bid' as const, quantity: 100 },
    ];
    const refused = applySettingsPatch(DEFAULT_SETTINGS, { hotkeys: { ...DEFAULT_SETTINGS.hotkeys, bindings } });
    expect(refused).toMatchObject({ ok: false, error: { field: expect.stringContaining('hotkeys.bindings.1.chord') } });
    const accepted = applySettingsPatch(DEFAULT_SETTINGS, { hotkeys: { ...DEFAULT_SETTINGS.hotkeys, bindings: [bindings[0] as (typeof bindings)[0]] } });
    expect(accepted.ok && accepted.value.hotkeys.bindings).toHaveLength(1);
  });
});
