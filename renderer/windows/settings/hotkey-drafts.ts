/**
 * Hotkey rows of the Hotkeys tab: a binding as edited (empty optional numbers are `null`), what
 * each action uses (shares, size cap, offset), and conflicts reported per row with
 * `findConflicts` of shared/hotkeys. Hotkeys are sent whole (`updateSettings { hotkeys }`).
 */
import { findConflicts, type HotkeyAction, type HotkeyBinding, type HotkeySettings } from '../../../shared/hotkeys';
import type { FieldErrors } from './settings-form';

/** A binding as edited: every field present, `null` when empty (optional) or not used by the action. */
export interface BindingDraft {
  /** As typed or recorded; normalized by the schema on Apply. */
  readonly chord: string;
  readonly action: HotkeyAction;
  /** Shares per order (buy and sell actions). */
  readonly quantity: number | null;
  /** Largest order this key may send, shares (buy, sell, flatten). */
  readonly maxQuantity: number | null;
  /** Cents added toward the far side (priced buys and sells, flatten). */
  readonly offsetCents: number | null;
}

/** The Hotkeys tab's draft: a {@link HotkeySettings} with {@link BindingDraft} rows. */
export interface HotkeysDraft {
  readonly hotkeys: Omit<HotkeySettings, 'bindings'> & { readonly bindings: readonly BindingDraft[] };
}

/** Actions as the trader reads them. */
export const HOTKEY_ACTION_LABELS: Readonly<Record<HotkeyAction, string>> = {
  buy_ask: 'Buy limit at ask',
  buy_bid: 'Buy limit at bid',
  buy_market: 'Buy market',
  sell_bid: 'Sell limit at bid',
  sell_ask: 'Sell limit at ask',
  sell_market: 'Sell market',
  cancel_symbol: 'Cancel the symbol’s orders',
  cancel_all: 'Cancel all orders',
  flatten_symbol: 'Flatten the symbol',
  kill_switch: 'Kill switch (cancel all, flatten all, halt)',
};

// The same rules as the hotkey schema of shared/hotkeys (which does not export its sets).
const ORDER_ACTIONS: ReadonlySet<HotkeyAction> = new Set(['buy_bid', 'buy_ask', 'buy_market', 'sell_bid', 'sell_ask', 'sell_market']);
const OFFSET_ACTIONS: ReadonlySet<HotkeyAction> = new Set(['buy_bid', 'buy_ask', 'sell_bid', 'sell_ask', 'flatten_symbol']);

/** Whether the action sends a fixed number of shares (buy and sell actions). */
export function usesQuantity(action: HotkeyAction): boolean {
  return ORDER_ACTIONS.has(action);
}

/** Whether a per-key size cap applies (buy, sell and flatten). */
export function usesSizeCap(action: HotkeyAction): boolean {
  return ORDER_ACTIONS.has(action) || action === 'flatten_symbol';
}

/** Whether a price offset in cents applies (priced buys and sells, flatten as a limit). */
export function usesOffset(action: HotkeyAction): boolean {
  return OFFSET_ACTIONS.has(action);
}

/** A stored binding as a row. */
export function bindingDraftOf(binding: HotkeyBinding): BindingDraft {
  return {
    chord: binding.chord,
    action: binding.action,
    quantity: binding.quantity ?? null,
    maxQuantity: binding.maxQuantity ?? null,
    offsetCents: binding.offsetCents ?? null,
  };
}

/** The Hotkeys tab's draft of the settings. */
export function hotkeysDraftOf(hotkeys: HotkeySettings): HotkeysDraft {
  return { hotkeys: { ...hotkeys, bindings: hotkeys.bindings.map(bindingDraftOf) } };
}

/** A row as the binding it stands for: empty fields left out. */
export function bindingOf(draft: BindingDraft): HotkeyBinding {
  return {
    chord: draft.chord,
    action: draft.action,
    ...(draft.quantity === null ? {} : { quantity: draft.quantity }),
    ...(draft.maxQuantity === null ? {} : { maxQuantity: draft.maxQuantity }),
    ...(draft.offsetCents === null ? {} : { offsetCents: draft.offsetCents }),
  };
}

/** The hotkey settings a draft stands for, as sent with `updateSettings { hotkeys }`. */
export function hotkeySettingsOf(draft: HotkeysDraft): HotkeySettings {
  return { ...draft.hotkeys, bindings: draft.hotkeys.bindings.map(bindingOf) };
}

/**
 * A row with another action: fields the action does not use are emptied, and a buy or sell
 * action gets 100 shares when it had none.
 */
export function withAction(draft: BindingDraft, action: HotkeyAction): BindingDraft {
  return {
    chord: draft.chord,
    action,
    quantity: usesQuantity(action) ? (draft.quantity ?? 100) : null,
    maxQuantity: usesSizeCap(action) ? draft.maxQuantity : null,
    offsetCents: usesOffset(action) ? draft.offsetCents : null,
  };
}

/** A new row: a buy limit at the ask of 100 shares capped at 1,000, its chord still to record. */
export function newBindingDraft(): BindingDraft {
  return { chord: '', action: 'buy_ask', quantity: 100, maxQuantity: 1_000, offsetCents: 0 };
}

const FALLBACK_KEYS = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''),
  ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
];

/**
 * A valid row of the same action for the form's validation (see `collectDraftErrors`): a chord
 * no trader binds (Ctrl+Alt+Shift+Meta+key, unique per index for the first 60 rows), 1 share,
 * the largest cap, no offset.
 */
export function fallbackBinding(action: HotkeyAction, index: number): Partial<BindingDraft> {
  const key = FALLBACK_KEYS[index];
  return {
    ...(key === undefined ? {} : { chord: `Ctrl+Alt+Shift+Meta+${key}` }),
    action,
    quantity: usesQuantity(action) ? 1 : null,
    maxQuantity: usesSizeCap(action) ? 10_000_000 : null,
    offsetCents: usesOffset(action) ? 0 : null,
  };
}

/**
 * Conflicts of the rows as messages on each row's chord (`hotkeys.bindings.N.chord`): a reserved
 * chord says what it does in the app or the browser; a chord bound twice is reported on every
 * row that uses it, naming the other rows (numbered from 1, as on screen).
 */
export function hotkeyConflictErrors(bindings: readonly Pick<BindingDraft, 'chord' | 'action'>[]): FieldErrors {
  const errors: Record<string, string> = {};
  for (const conflict of findConflicts(bindings)) {
    for (const index of conflict.indexes) {
      const field = `hotkeys.bindings.${index}.chord`;
      if (conflict.kind === 'reserved') {
        errors[field] = conflict.reason;
        continue;
      }
      const others = conflict.indexes.filter((i) => i !== index);
      const described = others.map((i) => `${HOTKEY_ACTION_LABELS[bindings[i]?.action ?? 'cancel_all']} (hotkey ${i + 1})`).join(', ');
      errors[field] ??= `${conflict.chord} is also bound to ${described}: a key must do one thing`;
    }
  }
  return errors;
}
