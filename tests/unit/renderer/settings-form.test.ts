import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type RiskLimits, type Settings } from '../../../shared/domain';
import type { SettingsPatch } from '../../../shared/protocol';
import {
  collectDraftErrors,
  deepEqual,
  displayError,
  fieldFor,
  firstNonFinite,
  formatNumberList,
  formatSymbolList,
  humanizeMessage,
  leafPaths,
  parseNumberInput,
  parseNumberList,
  parseSymbolList,
  problemOf,
  setAt,
  validateDraft,
  valueAt,
  withoutNulls,
} from '../../../renderer/windows/settings/settings-form';

describe('symbol and number lists', () => {
  it('splits symbols on commas, semicolons and spaces, upper-cases and drops duplicates', () => {
    expect(parseSymbolList('aapl, msft  nvda;AAPL,,')).toEqual(['AAPL', 'MSFT', 'NVDA']);
    expect(parseSymbolList('   ')).toEqual([]);
    expect(parseSymbolList('brk.b')).toEqual(['BRK.B']);
    expect(formatSymbolList(['AAPL', 'MSFT'])).toBe('AAPL, MSFT');
  });

  it('parses share sizes, keeping a bad entry as NaN', () => {
    expect(parseNumberList('100, 200 500')).toEqual([100, 200, 500]);
    expect(parseNumberList('100, abc')).toEqual([100, Number.NaN]);
    expect(formatNumberList([100, Number.NaN])).toBe('100, ?');
  });

  it('reads a typed number: empty is null when optional, else NaN', () => {
    expect(parseNumberInput(' 250000 ')).toBe(250_000);
    expect(parseNumberInput('')).toBeNaN();
    expect(parseNumberInput('', true)).toBeNull();
    expect(parseNumberInput('12abc')).toBeNaN();
    expect(parseNumberInput('Infinity')).toBeNaN();
  });
});

describe('paths', () => {
  const draft = { hotkeys: { bindings: [{ chord: 'F1', quantity: 100 }, { chord: 'F2', quantity: null }] }, watchlist: ['IBM'] };

  it('reads and writes dotted paths without changing the input', () => {
    expect(valueAt(draft, 'hotkeys.bindings.1.chord')).toBe('F2');
    expect(valueAt(draft, 'hotkeys.bindings.5.chord')).toBeUndefined();
    const next = setAt(draft, 'hotkeys.bindings.1.quantity', 7);
    expect(Array.isArray(next.hotkeys.bindings)).toBe(true);
    expect(next.hotkeys.bindings[1]).toEqual({ chord: 'F2', quantity: 7 });
    expect(draft.hotkeys.bindings[1]?.quantity).toBeNull();
    expect(next.hotkeys.bindings[0]).toBe(draft.hotkeys.bindings[0]);
  });

  it('lists the fields of a draft: leaves, lists typed in one field, no ids', () => {
    const screener = DEFAULT_SETTINGS.screeners[0];
    expect(leafPaths(draft)).toEqual(['hotkeys.bindings.0.chord', 'hotkeys.bindings.0.quantity', 'hotkeys.bindings.1.chord', 'hotkeys.bindings.1.quantity', 'watchlist']);
    expect(leafPaths({ screeners: [screener] })).toEqual([
      'screeners.0.name',
      'screeners.0.enabled',
      'screeners.0.symbols',
      'screeners.0.maxAlertsPerDay',
      'screeners.0.cooldownMinutes',
      'screeners.0.params.minGapPercent',
      'screeners.0.params.minRelativeVolume',
      'screeners.0.params.stopBelowVwapPercent',
      'screeners.0.params.rewardRisk',
    ]);
  });

  it('maps an error path to the field it belongs to', () => {
    const fields = ['watchlist', 'screeners.0.symbols', 'risk.maxOrderQuantity'];
    expect(fieldFor('watchlist.3', fields)).toBe('watchlist');
    expect(fieldFor('screeners.0.symbols.1', fields)).toBe('screeners.0.symbols');
    expect(fieldFor('risk.maxOrderQuantity', fields)).toBe('risk.maxOrderQuantity');
    expect(fieldFor('screeners', fields)).toBe('screeners');
  });

  it('finds numbers typed wrong and drops empty optional fields', () => {
    expect(firstNonFinite({ a: { b: 1, c: [2, Number.NaN] } })).toBe('a.c.1');
    expect(firstNonFinite({ a: null, b: 'x' })).toBeNull();
    expect(withoutNulls({ bindings: [{ chord: 'F1', quantity: null, maxQuantity: 5 }] })).toEqual({ bindings: [{ chord: 'F1', maxQuantity: 5 }] });
  });

  it('compares settings structurally', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual(Number.NaN, Number.NaN)).toBe(true);
  });
});

describe('messages', () => {
  it('turns zod wording into the trader\'s', () => {
    expect(humanizeMessage('Too small: expected number to be >=5')).toBe('must be at least 5');
    expect(humanizeMessage('Too big: expected number to be <=100')).toBe('must be at most 100');
    expect(humanizeMessage('Too big: expected number to be <=1000000000')).toBe('must be at most 1,000,000,000');
    expect(humanizeMessage('Invalid input: expected int, received number')).toBe('must be a whole number');
    expect(humanizeMessage('Too small: expected array to have >=1 items')).toBe('needs at least 1 entry');
    expect(humanizeMessage('Invalid option: expected one of "reduce"|"halt"')).toBe('must be one of reduce, halt');
    expect(humanizeMessage('must be a positive amount in USD')).toBe('must be a positive amount in USD');
  });

  it('strips the field from an engine error', () => {
    expect(problemOf({ field: 'risk.maxOrderQuantity', message: 'risk.maxOrderQuantity must be at least 1' })).toEqual({ field: 'risk.maxOrderQuantity', message: 'must be at least 1' });
    expect(problemOf({ field: 'risk', message: 'Risk settings are locked for this session' })).toEqual({ field: 'risk', message: 'Risk settings are locked for this session' });
    expect(problemOf({ message: 'Engine unavailable' })).toEqual({ field: '', message: 'Engine unavailable' });
  });

  it('puts the label before a message that continues it', () => {
    expect(displayError('Max order quantity (shares)', 'must be at least 1')).toBe('Max order quantity (shares) must be at least 1');
    expect(displayError('Window frame rate red (fps)', 'red must be below amber')).toBe('Red must be below amber');
    expect(displayError('Hotkey 2 chord', 'F1 is also bound to Buy limit at ask (hotkey 1)')).toBe('F1 is also bound to Buy limit at ask (hotkey 1)');
  });
});

describe('validation of a draft, per field', () => {
  interface RiskDraft {
    readonly risk: RiskLimits;
  }
  const toPatch = (d: RiskDraft): SettingsPatch => ({ risk: d.risk });
  const fallback = { risk: DEFAULT_SETTINGS.risk };

  it('accepts a valid draft', () => {
    const draft = { risk: { ...DEFAULT_SETTINGS.risk, maxOrderQuantity: 500 } };
    expect(validateDraft(DEFAULT_SETTINGS, draft, toPatch)).toBeNull();
    expect(collectDraftErrors({ current: DEFAULT_SETTINGS, draft, toPatch, fallback })).toEqual({});
  });

  it('reports every invalid field with its own message (Max order quantity 0 among them)', () => {
    const draft = { risk: { ...DEFAULT_SETTINGS.risk, maxOrderQuantity: 0, priceBandPercent: 200, maxOrderNotional: Number.NaN } };
    expect(collectDraftErrors({ current: DEFAULT_SETTINGS, draft, toPatch, fallback })).toEqual({
      'risk.maxOrderQuantity': 'must be at least 1',
      'risk.maxOrderNotional': 'must be a number',
      'risk.priceBandPercent': 'must be at most 100',
    });
  });

  it('names the entry of a list field', () => {
    const draft = { watchlist: ['AAPL', '12X'] };
    const errors = collectDraftErrors({ current: DEFAULT_SETTINGS, draft, toPatch: (d) => ({ watchlist: d.watchlist }), fallback: { watchlist: DEFAULT_SETTINGS.watchlist } });
    expect(errors).toEqual({ watchlist: '"12X" must be a ticker symbol such as IBM' });
    const empty = collectDraftErrors({ current: DEFAULT_SETTINGS, draft: { watchlist: [] }, toPatch: (d) => ({ watchlist: d.watchlist }), fallback: { watchlist: DEFAULT_SETTINGS.watchlist } });
    expect(empty).toEqual({ watchlist: 'needs at least 1 entry' });
    const sizes = { ticket: { ...DEFAULT_SETTINGS.ticket, sizePresets: [100, Number.NaN] } };
    expect(collectDraftErrors({ current: DEFAULT_SETTINGS, draft: sizes, toPatch: (d) => ({ ticket: d.ticket }), fallback: { ticket: DEFAULT_SETTINGS.ticket } })).toEqual({
      'ticket.sizePresets': 'entry 2 must be a number',
    });
  });

  it('reports cross-field limits on the field the schema names', () => {
    const current: Settings = DEFAULT_SETTINGS;
    const draft = { healthThresholds: { ...current.healthThresholds, windowFps: { amber: 20, red: 30 }, cpuPercent: { amber: 95, red: 90 } } };
    const errors = collectDraftErrors({ current, draft, toPatch: (d) => ({ healthThresholds: d.healthThresholds }), fallback: { healthThresholds: current.healthThresholds } });
    expect(errors).toEqual({ 'healthThresholds.cpuPercent.red': 'amber must be below red', 'healthThresholds.windowFps.red': 'red must be below amber' });
  });
});
