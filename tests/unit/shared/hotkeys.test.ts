import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOTKEY_SETTINGS,
  DEFAULT_HOTKEYS,
  FirstUseTracker,
  HOTKEY_ACTIONS,
  HotkeyError,
  RESERVED_CHORDS,
  chordFromKeyboardEvent,
  findConflicts,
  normalizeChord,
  orderForHotkey,
  validateHotkeySettings,
  type HotkeyBinding,
  type HotkeyContext,
  type HotkeyKeyboardEvent,
  type HotkeyOutcome,
} from '../../../shared/hotkeys';
import { isOnTickGrid } from '../../../shared/price';
import { parseClientRequest } from '../../../shared/schemas';

describe('normalizeChord', () => {
  it.each([
    ['ctrl+shift+b', 'Ctrl+Shift+B'],
    [' Shift + Control + b ', 'Ctrl+Shift+B'],
    ['meta+shift+alt+ctrl+x', 'Ctrl+Alt+Shift+Meta+X'],
    ['Cmd+Option+1', 'Alt+Meta+1'],
    ['command+k', 'Meta+K'],
    ['alt+f1', 'Alt+F1'],
    ['f9', 'F9'],
    ['F24', 'F24'],
    ['esc', 'Escape'],
    ['ESCAPE', 'Escape'],
    ['ctrl+return', 'Ctrl+Enter'],
    ['shift+pgdn', 'Shift+PageDown'],
    ['up', 'ArrowUp'],
    ['numpadadd', 'NumpadAdd'],
    ['Ctrl+Ctrl+B', 'Ctrl+B'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeChord(input)).toBe(expected);
  });

  it('is idempotent on its output', () => {
    for (const chord of ['Ctrl+Alt+Shift+Meta+Z', 'Escape', 'Shift+F1', 'Numpad7']) expect(normalizeChord(normalizeChord(chord))).toBe(chord);
  });

  it.each([
    ['', /needs a key/],
    ['   ', /needs a key/],
    ['Ctrl+Shift', /only modifiers/],
    ['Ctrl', /only modifiers/],
    ['A+B', /two keys \(A and B\)/],
    ['Ctrl+F1+F2', /two keys/],
    ['Ctrl++', /empty part/],
    ['Ctrl+Foo', /"Foo" is not a key/],
    ['F25', /not a key/],
    ['Hyper+B', /not a key/],
  ])('refuses %j with a readable HotkeyError', (input, message) => {
    expect(() => normalizeChord(input)).toThrow(HotkeyError);
    expect(() => normalizeChord(input)).toThrow(message);
  });
});

describe('chordFromKeyboardEvent', () => {
  const press = (over: Partial<HotkeyKeyboardEvent>): HotkeyKeyboardEvent => ({
    key: '', code: '', ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...over,
  });

  it('reads letters and digits from code, so the layout does not matter', () => {
    // Russian layout: the physical B key types "и".
    expect(chordFromKeyboardEvent(press({ key: 'и', code: 'KeyB', ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+B');
    // AZERTY: the physical 1 key types "&" without Shift.
    expect(chordFromKeyboardEvent(press({ key: '&', code: 'Digit1', altKey: true }))).toBe('Alt+1');
    // macOS Option+B types "∫".
    expect(chordFromKeyboardEvent(press({ key: '∫', code: 'KeyB', altKey: true }))).toBe('Alt+B');
    // Shift+1 is still 1.
    expect(chordFromKeyboardEvent(press({ key: '!', code: 'Digit1', shiftKey: true }))).toBe('Shift+1');
    // Dvorak: the key labelled "x" sits on the QWERTY B position; the physical key wins.
    expect(chordFromKeyboardEvent(press({ key: 'x', code: 'KeyB' }))).toBe('B');
  });

  it('reads F-keys, Escape and named keys from key', () => {
    expect(chordFromKeyboardEvent(press({ key: 'F1', code: 'F1' }))).toBe('F1');
    expect(chordFromKeyboardEvent(press({ key: 'F1', code: 'F1', shiftKey: true }))).toBe('Shift+F1');
    expect(chordFromKeyboardEvent(press({ key: 'Escape', code: 'Escape' }))).toBe('Escape');
    expect(chordFromKeyboardEvent(press({ key: 'Esc', code: '' }))).toBe('Escape');
    expect(chordFromKeyboardEvent(press({ key: ' ', code: 'Space', ctrlKey: true }))).toBe('Ctrl+Space');
    expect(chordFromKeyboardEvent(press({ key: 'ArrowUp', code: 'ArrowUp', altKey: true }))).toBe('Alt+ArrowUp');
    expect(chordFromKeyboardEvent(press({ key: 'End', code: 'Numpad1' }))).toBe('Numpad1');
    expect(chordFromKeyboardEvent(press({ key: '+', code: 'NumpadAdd' }))).toBe('NumpadAdd');
  });

  it('matches the normalized chord of the binding', () => {
    const chord = chordFromKeyboardEvent(press({ key: 'K', code: 'KeyK', ctrlKey: true, altKey: true }));
    expect(chord).toBe(normalizeChord('alt+control+k'));
  });

  it('returns null for modifier-only presses', () => {
    expect(chordFromKeyboardEvent(press({ key: 'Control', code: 'ControlLeft', ctrlKey: true }))).toBeNull();
    expect(chordFromKeyboardEvent(press({ key: 'Shift', code: 'ShiftRight', shiftKey: true, ctrlKey: true }))).toBeNull();
    expect(chordFromKeyboardEvent(press({ key: 'Meta', code: 'MetaLeft', metaKey: true }))).toBeNull();
    expect(chordFromKeyboardEvent(press({ key: 'AltGraph', code: 'AltRight' }))).toBeNull();
  });

  it('returns null for auto-repeat, IME composition, AltGr and unusable keys', () => {
    expect(chordFromKeyboardEvent(press({ key: 'F1', code: 'F1', repeat: true }))).toBeNull();
    expect(chordFromKeyboardEvent(press({ key: 'Process', code: 'KeyB', isComposing: true }))).toBeNull();
    const altGr = press({ key: 'ł', code: 'KeyL', ctrlKey: true, altKey: true, getModifierState: (k) => k === 'AltGraph' });
    expect(chordFromKeyboardEvent(altGr)).toBeNull();
    const realCtrlAlt = press({ key: 'l', code: 'KeyL', ctrlKey: true, altKey: true, getModifierState: () => false });
    expect(chordFromKeyboardEvent(realCtrlAlt)).toBe('Ctrl+Alt+L');
    expect(chordFromKeyboardEvent(press({ key: ';', code: 'Semicolon' }))).toBeNull();
  });

  it('falls back to key for a letter when the event has no code', () => {
    expect(chordFromKeyboardEvent(press({ key: 'b', code: '', ctrlKey: true }))).toBe('Ctrl+B');
  });
});

describe('findConflicts', () => {
  it('finds none in the defaults', () => {
    expect(findConflicts(DEFAULT_HOTKEYS)).toEqual([]);
    for (const b of DEFAULT_HOTKEYS) expect(RESERVED_CHORDS.has(normalizeChord(b.chord))).toBe(false);
  });

  it('reports a chord bound twice, whatever its spelling', () => {
    const conflicts = findConflicts([
      { chord: 'Ctrl+Shift+B', action: 'buy_ask' },
      { chord: 'F2', action: 'buy_bid' },
      { chord: 'shift+control+b', action: 'sell_bid' },
    ]);
    expect(conflicts).toEqual([
      { kind: 'duplicate', chord: 'Ctrl+Shift+B', actions: ['buy_ask', 'sell_bid'], indexes: [0, 2], reason: expect.stringMatching(/bound 2 times/) },
    ]);
  });

  it('reports the same chord bound twice even to the same action', () => {
    expect(findConflicts([{ chord: 'F1', action: 'buy_ask' }, { chord: 'f1', action: 'buy_ask' }])).toHaveLength(1);
  });

  it('allows the same action and quantity on two chords', () => {
    const bindings: HotkeyBinding[] = [
      { chord: 'F1', action: 'buy_ask', quantity: 100 },
      { chord: 'Alt+B', action: 'buy_ask', quantity: 100 },
    ];
    expect(findConflicts(bindings)).toEqual([]);
  });

  it.each(['Ctrl+W', 'ctrl+r', 'F5', 'F11', 'F12', 'Ctrl+Shift+I', 'Ctrl+Q', 'Ctrl+T', 'Meta+Q', 'Ctrl+C', 'Tab'])('reports reserved chord %s', (chord) => {
    const [conflict] = findConflicts([{ chord, action: 'kill_switch' }]);
    expect(conflict).toMatchObject({ kind: 'reserved', chord: normalizeChord(chord), actions: ['kill_switch'], indexes: [0] });
    expect(conflict?.reason).toMatch(/is reserved: it /);
  });

  it('skips chords that do not parse', () => {
    expect(findConflicts([{ chord: 'Ctrl+', action: 'cancel_all' }])).toEqual([]);
  });
});

describe('validateHotkeySettings', () => {
  const withBinding = (binding: Record<string, unknown>, extra: readonly HotkeyBinding[] = []) => ({
    ...DEFAULT_HOTKEY_SETTINGS,
    bindings: [...extra, binding],
  });

  it('accepts the defaults', () => {
    expect(validateHotkeySettings(DEFAULT_HOTKEY_SETTINGS)).toEqual({ ok: true, value: DEFAULT_HOTKEY_SETTINGS });
  });

  it('normalizes chords on the way in', () => {
    const result = validateHotkeySettings(withBinding({ chord: 'shift+ctrl+b', action: 'buy_ask', quantity: 10 }));
    expect(result).toMatchObject({ ok: true, value: { bindings: [{ chord: 'Ctrl+Shift+B' }] } });
  });

  it.each([
    [{ chord: 'F6', action: 'buy_ask', quantity: 0 }, 'bindings.0.quantity', /at least 1 share/],
    [{ chord: 'F6', action: 'buy_ask', quantity: 10.5 }, 'bindings.0.quantity', /whole number of shares/],
    [{ chord: 'F6', action: 'buy_ask' }, 'bindings.0.quantity', /required/],
    [{ chord: 'F6', action: 'flatten_symbol', quantity: 100 }, 'bindings.0.quantity', /whole position/],
    [{ chord: 'F6', action: 'buy_ask', quantity: 500, maxQuantity: 100 }, 'bindings.0.maxQuantity', /at least the quantity \(500 shares\)/],
    [{ chord: 'F6', action: 'cancel_all', maxQuantity: 100 }, 'bindings.0.maxQuantity', /must be empty/],
    [{ chord: 'F6', action: 'buy_market', quantity: 100, offsetCents: 2 }, 'bindings.0.offsetCents', /must be empty for buy_market/],
    [{ chord: 'Ctrl+Shift', action: 'cancel_all' }, 'bindings.0.chord', /only modifiers/],
    [{ chord: 'A+B', action: 'cancel_all' }, 'bindings.0.chord', /two keys/],
    [{ chord: 'F6', action: 'sell_short' }, 'bindings.0.action', /./],
    [{ chord: 'F6', action: 'cancel_all', extra: true }, 'bindings.0', /./],
  ])('names the field of %j', (binding, field, message) => {
    const result = validateHotkeySettings(withBinding(binding));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.field).toBe(field);
      expect(result.error.message.startsWith(field)).toBe(true);
      expect(result.error.message).toMatch(message);
    }
  });

  it('reports a duplicate chord on the later binding', () => {
    const result = validateHotkeySettings(withBinding({ chord: 'f1', action: 'sell_bid', quantity: 100 }, [{ chord: 'F1', action: 'buy_ask', quantity: 100 }]));
    expect(result).toMatchObject({ ok: false, error: { field: 'bindings.1.chord', message: expect.stringMatching(/already bound to buy_ask \(bindings\.0\)/) } });
  });

  it('reports a reserved chord', () => {
    const result = validateHotkeySettings(withBinding({ chord: 'Ctrl+W', action: 'cancel_all' }));
    expect(result).toMatchObject({ ok: false, error: { field: 'bindings.0.chord', message: expect.stringMatching(/reserved.*closes the window/) } });
  });

  it('names the threshold fields', () => {
    expect(validateHotkeySettings({ ...DEFAULT_HOTKEY_SETTINGS, confirmAboveNotional: 0 })).toMatchObject({ ok: false, error: { field: 'confirmAboveNotional' } });
    expect(validateHotkeySettings({ ...DEFAULT_HOTKEY_SETTINGS, priceBandPercent: -1 })).toMatchObject({ ok: false, error: { field: 'priceBandPercent' } });
    expect(validateHotkeySettings(null)).toMatchObject({ ok: false, error: { field: '' } });
  });
});

describe('orderForHotkey', () => {
  const ibm: HotkeyContext = { symbol: 'IBM', ticker: { bid: 182.3, ask: 182.31, last: 182.3 }, positionQuantity: 0 };
  const penny: HotkeyContext = { symbol: 'SNDL', ticker: { bid: 0.4512, ask: 0.4519, last: 0.4515 }, positionQuantity: 0 };
  const loose = { confirmAboveNotional: 1e9, priceBandPercent: 100 };

  function expectOrder(outcome: HotkeyOutcome): Extract<HotkeyOutcome, { kind: 'order' }> {
    expect(outcome.kind).toBe('order');
    if (outcome.kind !== 'order') throw new Error(`expected an order, got ${outcome.kind}`);
    // Every order a hotkey builds passes the engine's schema and lies on the tick grid.
    expect(parseClientRequest({ id: 1, command: outcome.command }).ok).toBe(true);
    if (outcome.order.limitPrice !== undefined) expect(isOnTickGrid(outcome.order.limitPrice)).toBe(true);
    expect(outcome.command).toEqual({ type: 'placeOrder', order: outcome.order });
    return outcome;
  }

  it.each([
    ['buy_ask', 'buy', 182.33, 'Buy 100 IBM limit 182.33 (ask + 0.02), day'],
    ['buy_bid', 'buy', 182.32, 'Buy 100 IBM limit 182.32 (bid + 0.02), day'],
    ['sell_bid', 'sell', 182.28, 'Sell 100 IBM limit 182.28 (bid - 0.02), day'],
    ['sell_ask', 'sell', 182.29, 'Sell 100 IBM limit 182.29 (ask - 0.02), day'],
  ] as const)('%s prices from its side of the NBBO, offset toward marketable', (action, side, limitPrice, describe) => {
    const outcome = expectOrder(orderForHotkey({ chord: 'F1', action, quantity: 100, offsetCents: 2 }, ibm, loose));
    expect(outcome.order).toEqual({ symbol: 'IBM', side, quantity: 100, type: 'limit', limitPrice, timeInForce: 'day' });
    expect(outcome.describe).toBe(describe);
    expect(outcome.needsConfirmation).toBe(false);
  });

  it('matches the issue’s example and prices at the quote without an offset', () => {
    const outcome = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 100 }, { ...ibm, ticker: { bid: 182.29, ask: 182.3, last: 182.3 } }, loose));
    expect(outcome.describe).toBe('Buy 100 IBM limit 182.30 (ask), day');
    const withOffset = orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 100, offsetCents: 1 }, { ...ibm, ticker: { bid: 182.29, ask: 182.3, last: 182.3 } }, loose);
    expect(withOffset.describe).toBe('Buy 100 IBM limit 182.31 (ask + 0.01), day');
  });

  it('rounds to the $0.0001 tick below $1 and the $0.01 tick above', () => {
    const sub = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 1000, offsetCents: 0.05 }, penny, loose));
    expect(sub.order.limitPrice).toBe(0.4524);
    expect(sub.describe).toBe('Buy 1,000 SNDL limit 0.4524 (ask + 0.0005), day');
    const sellSub = expectOrder(orderForHotkey({ chord: 'F3', action: 'sell_bid', quantity: 1000, offsetCents: 1 }, penny, loose));
    expect(sellSub.order.limitPrice).toBe(0.4412);
    // A fractional-cent offset on a stock above $1 lands on the cent grid.
    const above = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 10, offsetCents: 1.4 }, ibm, loose));
    expect(above.order.limitPrice).toBe(182.32);
    // Binary floating point: 0.1 + 0.2 style errors never leave the grid.
    const fp = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 10, offsetCents: 3 }, { ...ibm, ticker: { bid: 10.09, ask: 10.1, last: 10.1 } }, loose));
    expect(fp.order.limitPrice).toBe(10.13);
  });

  it('builds market orders valued at the side they take', () => {
    const buy = expectOrder(orderForHotkey({ chord: 'Shift+F1', action: 'buy_market', quantity: 100 }, ibm, loose));
    expect(buy.order).toEqual({ symbol: 'IBM', side: 'buy', quantity: 100, type: 'market', timeInForce: 'day' });
    expect(buy.notional).toBeCloseTo(18_231);
    expect(buy.describe).toBe('Buy 100 IBM market, day');
    const sell = expectOrder(orderForHotkey({ chord: 'Shift+F3', action: 'sell_market', quantity: 100 }, ibm, loose));
    expect(sell.order.side).toBe('sell');
    expect(sell.notional).toBeCloseTo(18_230);
    const lastOnly = expectOrder(orderForHotkey({ chord: 'Shift+F1', action: 'buy_market', quantity: 10 }, { ...ibm, ticker: { bid: null, ask: null, last: 50 } }, loose));
    expect(lastOnly.notional).toBe(500);
  });

  it('refuses a priced order without a quote, or without its side', () => {
    const none = orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 100 }, { ...ibm, ticker: null });
    expect(none).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/No quote for IBM/) });
    expect(none.describe).toBe('Buy 100 IBM limit at the ask, day');
    const noBid = orderForHotkey({ chord: 'F3', action: 'sell_bid', quantity: 100 }, { ...ibm, ticker: { bid: null, ask: 182.31, last: 182.3 } });
    expect(noBid).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/No bid for IBM/) });
    const market = orderForHotkey({ chord: 'Shift+F1', action: 'buy_market', quantity: 100 }, { ...ibm, ticker: null });
    expect(market).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/cannot be valued/) });
    const negative = orderForHotkey({ chord: 'F3', action: 'sell_bid', quantity: 1, offsetCents: 100 }, { ...ibm, ticker: { bid: 0.5, ask: 0.51, last: 0.5 } });
    expect(negative).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/not a positive price/) });
  });

  it('refuses an order over the key’s cap and a binding without a usable quantity', () => {
    expect(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 500, maxQuantity: 200 }, ibm)).toMatchObject({ kind: 'refused', reason: '500 shares is above this key’s cap of 200' });
    expect(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 200, maxQuantity: 200 }, ibm).kind).toBe('order');
    expect(orderForHotkey({ chord: 'F1', action: 'buy_ask' }, ibm)).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/no quantity/) });
    expect(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: -5 }, ibm)).toMatchObject({ kind: 'refused' });
    expect(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 5 }, { ...ibm, symbol: ' ' })).toMatchObject({ kind: 'refused', reason: 'No symbol in this window' });
  });

  it('asks for confirmation above the notional threshold, and only there', () => {
    const thresholds = { confirmAboveNotional: 10_000, priceBandPercent: 5 };
    const big = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 100 }, ibm, thresholds));
    expect(big.needsConfirmation).toBe(true);
    expect(big.confirmationReason).toBe('Order value $18,231.00 is above the $10,000.00 confirmation threshold');
    const small = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 50 }, ibm, thresholds));
    expect(small).toMatchObject({ needsConfirmation: false, confirmationReason: null });
    const market = expectOrder(orderForHotkey({ chord: 'Shift+F1', action: 'buy_market', quantity: 100 }, ibm, thresholds));
    expect(market.needsConfirmation).toBe(true);
  });

  it('asks for confirmation when a limit is priced through the NBBO by more than the band', () => {
    const thresholds = { confirmAboveNotional: 1e9, priceBandPercent: 2 };
    const quote: HotkeyContext = { ...ibm, ticker: { bid: 99.99, ask: 100, last: 100 } };
    const inBand = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 1, offsetCents: 200 }, quote, thresholds));
    expect(inBand.order.limitPrice).toBe(102);
    expect(inBand.needsConfirmation).toBe(false);
    const buyThrough = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 1, offsetCents: 300 }, quote, thresholds));
    expect(buyThrough.needsConfirmation).toBe(true);
    expect(buyThrough.confirmationReason).toBe('Limit 103.00 is 3.0% above the ask 100.00 (band 2%)');
    const sellThrough = expectOrder(orderForHotkey({ chord: 'F3', action: 'sell_bid', quantity: 1, offsetCents: 500 }, quote, thresholds));
    expect(sellThrough.confirmationReason).toMatch(/below the bid 99\.99 \(band 2%\)/);
    // A buy at the bid + offset is measured against the ask, the far side.
    const fromBid = expectOrder(orderForHotkey({ chord: 'F2', action: 'buy_bid', quantity: 1, offsetCents: 250 }, quote, thresholds));
    expect(fromBid.needsConfirmation).toBe(true);
    const both = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 1000, offsetCents: 300 }, quote, { confirmAboveNotional: 10_000, priceBandPercent: 2 }));
    expect(both.confirmationReason).toMatch(/^Order value \$103,000\.00 .*; Limit 103\.00 /);
  });

  it('uses the default thresholds when none are given', () => {
    const big = expectOrder(orderForHotkey({ chord: 'F1', action: 'buy_ask', quantity: 200 }, ibm));
    expect(big.needsConfirmation).toBe(DEFAULT_HOTKEY_SETTINGS.confirmAboveNotional < 200 * 182.31);
  });

  it('flattens a long position with a sell and a short one with a buy to cover', () => {
    const long = expectOrder(orderForHotkey({ chord: 'Ctrl+Shift+F', action: 'flatten_symbol' }, { ...ibm, positionQuantity: 300 }));
    expect(long.order).toEqual({ symbol: 'IBM', side: 'sell', quantity: 300, type: 'market', timeInForce: 'day' });
    expect(long.describe).toBe('Sell 300 IBM market, day (closes long 300)');
    const short = expectOrder(orderForHotkey({ chord: 'Ctrl+Shift+F', action: 'flatten_symbol' }, { ...ibm, positionQuantity: -1200 }));
    expect(short.order).toEqual({ symbol: 'IBM', side: 'buy', quantity: 1200, type: 'market', timeInForce: 'day' });
    expect(short.describe).toBe('Buy 1,200 IBM market, day (covers short 1,200)');
  });

  it('flattens with a marketable limit when the key has an offset, and never asks about notional', () => {
    const thresholds = { confirmAboveNotional: 1_000, priceBandPercent: 2 };
    const long = expectOrder(orderForHotkey({ chord: 'Ctrl+Shift+F', action: 'flatten_symbol', offsetCents: 5 }, { ...ibm, positionQuantity: 300 }, thresholds));
    expect(long.order).toMatchObject({ side: 'sell', type: 'limit', limitPrice: 182.25, quantity: 300 });
    expect(long.describe).toBe('Sell 300 IBM limit 182.25 (bid - 0.05), day (closes long 300)');
    expect(long.needsConfirmation).toBe(false);
    const short = expectOrder(orderForHotkey({ chord: 'Ctrl+Shift+F', action: 'flatten_symbol', offsetCents: 5 }, { ...ibm, positionQuantity: -10 }, thresholds));
    expect(short.order).toMatchObject({ side: 'buy', limitPrice: 182.36 });
    // A flatten at market with no quote still goes out: the exit matters more than its valuation.
    expect(orderForHotkey({ chord: 'Ctrl+Shift+F', action: 'flatten_symbol' }, { ...ibm, ticker: null, positionQuantity: 5 }).kind).toBe('order');
  });

  it('does nothing when flat and honours the key’s cap on a flatten', () => {
    expect(orderForHotkey({ chord: 'Ctrl+Shift+F', action: 'flatten_symbol' }, ibm)).toMatchObject({ kind: 'none', reason: 'No IBM position to flatten' });
    expect(orderForHotkey({ chord: 'Ctrl+Shift+F', action: 'flatten_symbol', maxQuantity: 100 }, { ...ibm, positionQuantity: 300 })).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/cap of 100/) });
  });

  it('builds the cancel and kill-switch commands', () => {
    expect(orderForHotkey({ chord: 'Escape', action: 'cancel_symbol' }, { ...ibm, symbol: 'ibm' })).toMatchObject({
      kind: 'command', command: { type: 'cancelAll', symbol: 'IBM' }, describe: 'Cancel every working IBM order', needsConfirmation: false,
    });
    const all = orderForHotkey({ chord: 'Ctrl+Shift+X', action: 'cancel_all' }, { ...ibm, symbol: '' });
    expect(all).toMatchObject({ kind: 'command', command: { type: 'cancelAll' } });
    expect(all.kind === 'command' && 'symbol' in all.command).toBe(false);
    expect(orderForHotkey({ chord: 'Ctrl+Alt+K', action: 'kill_switch' }, { symbol: '', ticker: null, positionQuantity: 0 })).toMatchObject({
      kind: 'command', command: { type: 'killSwitch' }, describe: expect.stringMatching(/^Kill switch/),
    });
    expect(orderForHotkey({ chord: 'Escape', action: 'cancel_symbol' }, { ...ibm, symbol: '' }).kind).toBe('refused');
    for (const outcome of [all]) if (outcome.kind === 'command') expect(parseClientRequest({ id: 1, command: outcome.command }).ok).toBe(true);
  });

  it('handles every action and every default binding', () => {
    const context: HotkeyContext = { ...ibm, positionQuantity: 100 };
    const seen = new Set(DEFAULT_HOTKEYS.map((b) => b.action));
    expect([...seen].sort()).toEqual([...HOTKEY_ACTIONS].sort());
    for (const binding of DEFAULT_HOTKEYS) {
      const outcome = orderForHotkey(binding, context);
      expect(['order', 'command']).toContain(outcome.kind);
      expect(outcome.chord).toBe(binding.chord);
      expect(outcome.describe.length).toBeGreaterThan(0);
    }
  });

  it('reports the normalized chord of the binding', () => {
    expect(orderForHotkey({ chord: 'esc', action: 'cancel_symbol' }, ibm).chord).toBe('Escape');
  });
});

describe('FirstUseTracker', () => {
  it('previews each chord once per session', () => {
    const tracker = new FirstUseTracker();
    expect(tracker.shouldPreview('F1')).toBe(true);
    tracker.markPreviewed('F1');
    expect(tracker.shouldPreview('F1')).toBe(false);
    expect(tracker.shouldPreview('f1')).toBe(false);
    expect(tracker.shouldPreview('F2')).toBe(true);
  });

  it('compares chords normalized and starts afresh per session or after reset', () => {
    const tracker = new FirstUseTracker();
    tracker.markPreviewed('shift+control+b');
    expect(tracker.shouldPreview('Ctrl+Shift+B')).toBe(false);
    expect(new FirstUseTracker().shouldPreview('Ctrl+Shift+B')).toBe(true);
    tracker.reset();
    expect(tracker.shouldPreview('Ctrl+Shift+B')).toBe(true);
  });
});
