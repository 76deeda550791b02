import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AnomalySettings, type ScreenerConfig } from '../../../shared/domain';
import { DEFAULT_HOTKEY_SETTINGS } from '../../../shared/hotkeys';
import {
  bindingDraftOf,
  bindingOf,
  fallbackBinding,
  hotkeyConflictErrors,
  hotkeySettingsOf,
  hotkeysDraftOf,
  newBindingDraft,
  withAction,
  type HotkeysDraft,
} from '../../../renderer/windows/settings/hotkey-drafts';
import { deriveScreenerId, fallbackScreener, newScreener, slugify } from '../../../renderer/windows/settings/screener-drafts';
import { collectDraftErrors, setAt } from '../../../renderer/windows/settings/settings-form';

describe('screener ids', () => {
  it('derives an id from the name: lower-case letters, digits and dashes', () => {
    expect(slugify('Gap & Go (small caps)')).toBe('gap-and-go-small-caps');
    expect(slugify('  Réclaim VWAP!! ')).toBe('reclaim-vwap');
    expect(slugify('***')).toBe('');
    expect(slugify('x'.repeat(39) + ' y')).toBe('x'.repeat(39));
  });

  it('makes the id unique and keeps it within 40 characters', () => {
    expect(deriveScreenerId('Gap & Go', ['gap-and-go'], 'gap-and-go')).toBe('gap-and-go-2');
    expect(deriveScreenerId('Gap & Go', ['gap-and-go', 'gap-and-go-2'], 'gap-and-go')).toBe('gap-and-go-3');
    expect(deriveScreenerId('!!!', [], 'vwap-reclaim')).toBe('vwap-reclaim');
    const long = deriveScreenerId('a'.repeat(60), ['a'.repeat(40)], 'gap-and-go');
    expect(long).toBe(`${'a'.repeat(38)}-2`);
    expect(long.length).toBeLessThanOrEqual(40);
  });

  it('adds an instance with the kind\'s defaults, named after the kind when unnamed', () => {
    const added = newScreener('gap-and-go', '', DEFAULT_SETTINGS.screeners);
    expect(added).toMatchObject({ id: 'gap-and-go-2', name: 'Gap & Go 2', kind: 'gap-and-go', enabled: true, symbols: [], params: DEFAULT_SETTINGS.screeners[0]?.params });
    const named = newScreener('vwap-reclaim', 'Reclaim small caps', DEFAULT_SETTINGS.screeners);
    expect(named).toMatchObject({ id: 'reclaim-small-caps', kind: 'vwap-reclaim' });
    const screeners = [...DEFAULT_SETTINGS.screeners, added, named];
    expect(collectDraftErrors({ current: DEFAULT_SETTINGS, draft: { screeners }, toPatch: (d) => d, fallback: {} })).toEqual({});
  });

  it('reports each bad screener field, also in added instances', () => {
    interface Draft {
      readonly screeners: readonly ScreenerConfig[];
      readonly anomaly: AnomalySettings;
    }
    let draft: Draft = { screeners: [...DEFAULT_SETTINGS.screeners, newScreener('vwap-reclaim', 'Late day', DEFAULT_SETTINGS.screeners)], anomaly: DEFAULT_SETTINGS.anomaly };
    draft = setAt(draft, 'screeners.0.params.minGapPercent', 0);
    draft = setAt(draft, 'screeners.2.name', ' ');
    draft = setAt(draft, 'screeners.2.symbols', ['IBM', '9X']);
    draft = setAt(draft, 'anomaly.windowBars', 2);
    const errors = collectDraftErrors({
      current: DEFAULT_SETTINGS,
      draft,
      toPatch: (d) => d,
      fallback: { screeners: draft.screeners.map(fallbackScreener), anomaly: DEFAULT_SETTINGS.anomaly },
    });
    expect(errors).toEqual({
      'screeners.0.params.minGapPercent': 'must be a positive percentage',
      'screeners.2.name': 'must not be empty',
      'screeners.2.symbols': '"9X" must be a ticker symbol such as IBM',
      'anomaly.windowBars': 'must be at least 5',
    });
  });
});

describe('hotkey rows', () => {
  const check = (draft: HotkeysDraft) =>
    ({
      ...collectDraftErrors({
        current: DEFAULT_SETTINGS,
        draft,
        toPatch: (d) => ({ hotkeys: hotkeySettingsOf(d) }),
        fallback: { hotkeys: { ...DEFAULT_HOTKEY_SETTINGS, bindings: draft.hotkeys.bindings.map((b, i) => fallbackBinding(b.action, i)) } },
      }),
      ...hotkeyConflictErrors(draft.hotkeys.bindings),
    });

  it('round-trips the default bindings through rows', () => {
    const draft = hotkeysDraftOf(DEFAULT_HOTKEY_SETTINGS);
    expect(draft.hotkeys.bindings[6]).toEqual({ chord: 'Escape', action: 'cancel_symbol', quantity: null, maxQuantity: null, offsetCents: null });
    expect(hotkeySettingsOf(draft)).toEqual(DEFAULT_HOTKEY_SETTINGS);
    expect(check(draft)).toEqual({});
  });

  it('empties the fields an action does not use, and gives a buy 100 shares', () => {
    const buy = bindingDraftOf({ chord: 'F1', action: 'buy_ask', quantity: 300, maxQuantity: 1_000, offsetCents: 2 });
    expect(withAction(buy, 'cancel_all')).toEqual({ chord: 'F1', action: 'cancel_all', quantity: null, maxQuantity: null, offsetCents: null });
    expect(withAction(buy, 'flatten_symbol')).toEqual({ chord: 'F1', action: 'flatten_symbol', quantity: null, maxQuantity: 1_000, offsetCents: 2 });
    expect(withAction(buy, 'sell_market')).toEqual({ chord: 'F1', action: 'sell_market', quantity: 300, maxQuantity: 1_000, offsetCents: null });
    expect(withAction(bindingDraftOf({ chord: 'F9', action: 'kill_switch' }), 'buy_bid').quantity).toBe(100);
    expect(bindingOf(withAction(buy, 'cancel_all'))).toEqual({ chord: 'F1', action: 'cancel_all' });
  });

  it('reports a chord bound twice on both rows and a reserved chord with its reason', () => {
    const base = hotkeysDraftOf(DEFAULT_HOTKEY_SETTINGS);
    const draft: HotkeysDraft = {
      hotkeys: { ...base.hotkeys, bindings: [...base.hotkeys.bindings, { ...newBindingDraft(), chord: 'f1' }, { ...newBindingDraft(), chord: 'Ctrl+W', action: 'cancel_all', quantity: null, maxQuantity: null, offsetCents: null }] },
    };
    const errors = check(draft);
    expect(errors['hotkeys.bindings.0.chord']).toBe('F1 is also bound to Buy limit at ask (hotkey 11): a key must do one thing');
    expect(errors['hotkeys.bindings.10.chord']).toBe('F1 is also bound to Buy limit at ask (hotkey 1): a key must do one thing');
    expect(errors['hotkeys.bindings.11.chord']).toBe('Ctrl+W is reserved: it closes the window');
    expect(Object.keys(errors)).toHaveLength(3);
  });

  it('reports a missing chord, a missing quantity and a cap below the quantity on their fields', () => {
    const draft: HotkeysDraft = {
      hotkeys: {
        ...DEFAULT_HOTKEY_SETTINGS,
        bindings: [
          { ...newBindingDraft(), chord: '' },
          { ...newBindingDraft(), chord: 'Ctrl+1', quantity: null },
          { ...newBindingDraft(), chord: 'Ctrl+2', quantity: 500, maxQuantity: 100 },
        ],
        confirmAboveNotional: 0,
      },
    };
    const errors = check(draft);
    expect(errors['hotkeys.bindings.0.chord']).toMatch(/^is not valid: A hotkey needs a key/);
    expect(errors['hotkeys.bindings.1.quantity']).toBe('is required for a buy or sell hotkey');
    expect(errors['hotkeys.bindings.2.maxQuantity']).toBe('must be at least the quantity (500 shares)');
    expect(errors['hotkeys.confirmAboveNotional']).toBe('must be a positive amount in USD');
  });
});
