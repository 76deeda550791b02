/**
 * Hotkeys of the workstation: chords local to the app's windows (never OS-global shortcuts),
 * what each one sends, and when it asks before sending.
 *
 * Pure: no DOM, no Node, no Electron. The renderer listens to `keydown`, turns the event into a
 * chord with {@link chordFromKeyboardEvent}, finds the binding, builds the command with
 * {@link orderForHotkey}, shows {@link HotkeyOutcome.describe} once per chord and session
 * ({@link FirstUseTracker}) and asks for confirmation only when `needsConfirmation` is set.
 *
 * Units: quantities in shares, prices and notional in USD, offsets in cents.
 */
import { z } from 'zod';
import type { OrderRequest, OrderSide, Symbol, Ticker } from './domain';
import { roundToTick } from './price';
import type { CommandOf } from './protocol';

/** Every action a hotkey can be bound to. */
export const HOTKEY_ACTIONS = [
  'buy_bid',
  'buy_ask',
  'buy_market',
  'sell_bid',
  'sell_ask',
  'sell_market',
  'cancel_all',
  'cancel_symbol',
  'flatten_symbol',
  'kill_switch',
] as const;

/**
 * What a hotkey does. `buy_ask`: a buy limit at the ask (± offset); `*_market`: a market order;
 * `cancel_symbol` / `flatten_symbol` act on the window's symbol; `cancel_all` and `kill_switch`
 * act on every symbol.
 */
export type HotkeyAction = (typeof HOTKEY_ACTIONS)[number];

/** One configured hotkey. */
export interface HotkeyBinding {
  /** Normalized chord (see {@link normalizeChord}), e.g. `"Ctrl+Shift+B"`, `"Alt+F1"`, `"F9"`. */
  readonly chord: string;
  readonly action: HotkeyAction;
  /** Shares per order, a positive integer; required for buy and sell actions, unused otherwise. */
  readonly quantity?: number;
  /** Largest order this key may send, shares (per-key size cap); applies to buy, sell and flatten. */
  readonly maxQuantity?: number;
  /**
   * Cents added in the direction that makes the order more marketable: buys are priced higher,
   * sells lower. `buy_ask` with 2 → ask + $0.02; `sell_bid` with 2 → bid − $0.02; negative values
   * price more passively. On `flatten_symbol` it turns the closing market order into a limit at
   * the far side ± offset (works outside the regular session). Not allowed on market actions.
   */
  readonly offsetCents?: number;
}

/** The trader's hotkey settings. */
export interface HotkeySettings {
  readonly bindings: readonly HotkeyBinding[];
  /** Orders worth more than this (quantity × price, USD) ask for confirmation. */
  readonly confirmAboveNotional: number;
  /** Limits priced more than this many percent through the NBBO ask for confirmation. */
  readonly priceBandPercent: number;
}

/** Thrown by {@link normalizeChord} for a chord that cannot be bound; `message` is for the trader. */
export class HotkeyError extends Error {
  /** The chord as it was given. */
  readonly input: string;
  constructor(message: string, input: string) {
    super(message);
    this.name = 'HotkeyError';
    this.input = input;
  }
}

// ---------------------------------------------------------------------------------------------
// Chords

const MODIFIERS = ['Ctrl', 'Alt', 'Shift', 'Meta'] as const;
type Modifier = (typeof MODIFIERS)[number];

const MODIFIER_ALIASES: ReadonlyMap<string, Modifier> = new Map<string, Modifier>([
  ['ctrl', 'Ctrl'], ['control', 'Ctrl'], ['ctl', 'Ctrl'],
  ['alt', 'Alt'], ['option', 'Alt'], ['opt', 'Alt'],
  ['shift', 'Shift'],
  ['meta', 'Meta'], ['cmd', 'Meta'], ['command', 'Meta'], ['super', 'Meta'], ['win', 'Meta'], ['windows', 'Meta'],
]);

const NAMED_KEYS = [
  'Escape', 'Enter', 'Space', 'Tab', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight',
  'Numpad0', 'Numpad1', 'Numpad2', 'Numpad3', 'Numpad4', 'Numpad5', 'Numpad6', 'Numpad7', 'Numpad8', 'Numpad9',
  'NumpadAdd', 'NumpadSubtract', 'NumpadMultiply', 'NumpadDivide', 'NumpadDecimal', 'NumpadEnter',
] as const;

const KEY_ALIASES: ReadonlyMap<string, string> = new Map<string, string>([
  ...NAMED_KEYS.map((k): [string, string] => [k.toLowerCase(), k]),
  ['esc', 'Escape'], ['return', 'Enter'], ['spacebar', 'Space'], ['del', 'Delete'], ['ins', 'Insert'],
  ['pgup', 'PageUp'], ['pgdn', 'PageDown'], ['up', 'ArrowUp'], ['down', 'ArrowDown'], ['left', 'ArrowLeft'], ['right', 'ArrowRight'],
]);

const KEYS_HELP = 'use a letter, a digit, F1–F24, Escape, Enter, Space, Tab, an arrow, a navigation key or a numpad key';

/** Canonical name of a non-modifier key, or null when hotkeys cannot use it. */
function canonicalKey(name: string): string | null {
  const lower = name.toLowerCase();
  if (/^[a-z]$/.test(lower)) return lower.toUpperCase();
  if (/^[0-9]$/.test(lower)) return lower;
  const fKey = /^f([1-9]|1[0-9]|2[0-4])$/.exec(lower);
  if (fKey) return `F${fKey[1]}`;
  return KEY_ALIASES.get(lower) ?? null;
}

function joinChord(modifiers: ReadonlySet<Modifier>, key: string): string {
  return [...MODIFIERS.filter((m) => modifiers.has(m)), key].join('+');
}

/**
 * Puts a chord in canonical form: modifiers in the order Ctrl+Alt+Shift+Meta, then one key;
 * case-insensitive; aliases Control→Ctrl, Option→Alt, Cmd/Command/Super/Win→Meta, Esc→Escape,
 * Return→Enter, Del→Delete, PgUp/PgDn, Up/Down/Left/Right→Arrow…; letters upper-case.
 * `" ctrl + shift + b "` → `"Ctrl+Shift+B"`, `"esc"` → `"Escape"`, `"cmd+opt+1"` → `"Alt+Meta+1"`.
 * @throws {HotkeyError} when the chord is empty, has only modifiers, has two keys, has an empty
 * part (`"Ctrl++"`) or a key hotkeys cannot use.
 */
export function normalizeChord(input: string): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new HotkeyError('A hotkey needs a key, e.g. "F1" or "Ctrl+Shift+B"', String(input));
  }
  const parts = input.split('+').map((part) => part.trim());
  if (parts.some((part) => part === '')) {
    throw new HotkeyError(`"${input}" has an empty part: join the modifiers and the key with "+", e.g. "Ctrl+Shift+B"`, input);
  }
  const modifiers = new Set<Modifier>();
  const keys: string[] = [];
  for (const part of parts) {
    const modifier = MODIFIER_ALIASES.get(part.toLowerCase());
    if (modifier) {
      modifiers.add(modifier);
      continue;
    }
    const key = canonicalKey(part);
    if (key === null) throw new HotkeyError(`"${part}" is not a key a hotkey can use: ${KEYS_HELP}`, input);
    keys.push(key);
  }
  const [key, second] = keys;
  if (key === undefined) throw new HotkeyError(`"${input}" has only modifiers: add a key, e.g. "${input}+B"`, input);
  if (second !== undefined) {
    throw new HotkeyError(`"${input}" has two keys (${key} and ${second}): a hotkey is modifiers plus one key`, input);
  }
  return joinChord(modifiers, key);
}

/** The fields of a DOM `KeyboardEvent` that {@link chordFromKeyboardEvent} reads; pass the event itself. */
export interface HotkeyKeyboardEvent {
  readonly key: string;
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  readonly metaKey: boolean;
  /** Auto-repeat of a held key. */
  readonly repeat?: boolean;
  /** Inside an IME composition. */
  readonly isComposing?: boolean;
  /** `KeyboardEvent.getModifierState`, used to tell AltGr (typing a character) from Ctrl+Alt. */
  getModifierState?(keyArg: string): boolean;
}

const MODIFIER_KEY_NAMES: ReadonlySet<string> = new Set([
  'Control', 'Alt', 'AltGraph', 'Shift', 'Meta', 'OS', 'Super', 'Hyper', 'Fn', 'FnLock', 'CapsLock', 'NumLock', 'ScrollLock', 'Symbol', 'SymbolLock',
]);

/**
 * The normalized chord of a `keydown` event, or null when the press must not trigger a hotkey:
 * a modifier alone, an auto-repeat (holding F1 must not send an order per repeat), an IME
 * composition, AltGr (Windows reports it as Ctrl+Alt), or a key hotkeys cannot use.
 *
 * Letters, digits and numpad keys come from `code` (the physical key: `KeyB`→`B`, `Digit1`→`1`,
 * `Numpad1`→`Numpad1`), so a chord works on any layout and with Option on macOS; F-keys, Escape
 * and other named keys come from `key` (falling back to `code`). Callers should skip events
 * aimed at text fields so typing a symbol never trades.
 */
export function chordFromKeyboardEvent(event: HotkeyKeyboardEvent): string | null {
  if (event.repeat === true || event.isComposing === true) return null;
  if (MODIFIER_KEY_NAMES.has(event.key)) return null;
  if (event.getModifierState?.('AltGraph') === true) return null;
  const key = keyOfEvent(event);
  if (key === null) return null;
  const modifiers = new Set<Modifier>();
  if (event.ctrlKey) modifiers.add('Ctrl');
  if (event.altKey) modifiers.add('Alt');
  if (event.shiftKey) modifiers.add('Shift');
  if (event.metaKey) modifiers.add('Meta');
  return joinChord(modifiers, key);
}

function keyOfEvent(event: HotkeyKeyboardEvent): string | null {
  const physical = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(event.code);
  if (physical) return physical[1] ?? physical[2] ?? null;
  if (/^Numpad/.test(event.code)) return canonicalKey(event.code);
  if (event.key.length > 1) {
    const named = canonicalKey(event.key);
    if (named !== null) return named;
  }
  const fromCode = canonicalKey(event.code);
  if (fromCode !== null) return fromCode;
  // Synthetic events (virtual keyboards, tests) may carry no code: trust a plain letter or digit.
  return event.code === '' || event.code === 'Unidentified' ? canonicalKey(event.key) : null;
}

// ---------------------------------------------------------------------------------------------
// Reserved chords and defaults

function reserve(groups: ReadonlyArray<readonly [reason: string, chords: readonly string[]]>): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const [reason, chords] of groups) for (const chord of chords) map.set(normalizeChord(chord), reason);
  return map;
}

/**
 * Chords a hotkey may not use, with the reason: Electron's default menu roles and Chromium
 * shortcuts (close, reload, quit, full screen, developer tools, zoom), browser shortcuts a page
 * can never receive (the workstation also runs in a browser through the host), text editing in
 * input fields, focus navigation, and OS shortcuts that never reach the app. One list for every
 * platform, because settings travel between machines.
 */
export const RESERVED_CHORDS: ReadonlyMap<string, string> = reserve([
  ['closes the window', ['Ctrl+W', 'Meta+W', 'Ctrl+F4', 'Alt+F4']],
  ['reloads the window (losing its state mid-trade)', ['Ctrl+R', 'Meta+R', 'Ctrl+Shift+R', 'Meta+Shift+R', 'F5', 'Ctrl+F5', 'Shift+F5']],
  ['quits the application', ['Ctrl+Q', 'Meta+Q']],
  ['opens a new tab or window in browsers, which never pass it to the page', ['Ctrl+T', 'Meta+T', 'Ctrl+N', 'Meta+N', 'Ctrl+Shift+N', 'Ctrl+Shift+T']],
  ['toggles full screen', ['F11', 'Ctrl+Meta+F']],
  ['opens the developer tools', ['F12', 'Ctrl+Shift+I', 'Alt+Meta+I', 'Ctrl+Shift+J', 'Ctrl+Shift+C']],
  ['resets the zoom', ['Ctrl+0', 'Meta+0']],
  ['edits text (copy, cut, paste, select all, undo, redo) in input fields', [
    'Ctrl+C', 'Ctrl+X', 'Ctrl+V', 'Ctrl+A', 'Ctrl+Z', 'Ctrl+Y', 'Ctrl+Shift+Z',
    'Meta+C', 'Meta+X', 'Meta+V', 'Meta+A', 'Meta+Z', 'Meta+Shift+Z',
  ]],
  ['moves the keyboard focus', ['Tab', 'Shift+Tab']],
  ['switches tabs, windows or applications in the browser or the OS', ['Ctrl+Tab', 'Ctrl+Shift+Tab', 'Alt+Tab', 'Alt+Shift+Tab', 'Meta+Tab']],
  ['activates the menu bar on Windows and Linux', ['F10']],
  ['opens the command palette', ['Ctrl+K', 'Meta+K']],
  ['belongs to the operating system and never reaches the app', ['Ctrl+Alt+Delete', 'Alt+Space', 'Meta+Space', 'Meta+L', 'Meta+D', 'Meta+H', 'Meta+M']],
]);

/**
 * Default bindings, after DAS Trader's layout: F1/F2 buy at the ask/bid, F3/F4 sell at the
 * bid/ask, Shift+F1/Shift+F3 buy/sell at market, Escape cancels the symbol's orders,
 * Ctrl+Shift+X cancels every order, Ctrl+Shift+F flattens the symbol, Ctrl+Alt+K is the kill
 * switch. 100 shares per order, capped at 1,000 per key. None is in {@link RESERVED_CHORDS}:
 * F5, F11, F12, Ctrl+W/R/T/Q and Ctrl+Shift+I would reload, resize or close the window, or
 * never reach the page in a browser. Destructive all-symbol actions take three keys so they are
 * not pressed by accident.
 */
export const DEFAULT_HOTKEYS: readonly HotkeyBinding[] = [
  { chord: 'F1', action: 'buy_ask', quantity: 100, maxQuantity: 1_000, offsetCents: 0 },
  { chord: 'F2', action: 'buy_bid', quantity: 100, maxQuantity: 1_000, offsetCents: 0 },
  { chord: 'F3', action: 'sell_bid', quantity: 100, maxQuantity: 1_000, offsetCents: 0 },
  { chord: 'F4', action: 'sell_ask', quantity: 100, maxQuantity: 1_000, offsetCents: 0 },
  { chord: 'Shift+F1', action: 'buy_market', quantity: 100, maxQuantity: 1_000 },
  { chord: 'Shift+F3', action: 'sell_market', quantity: 100, maxQuantity: 1_000 },
  { chord: 'Escape', action: 'cancel_symbol' },
  { chord: 'Ctrl+Shift+X', action: 'cancel_all' },
  { chord: 'Ctrl+Shift+F', action: 'flatten_symbol' },
  { chord: 'Ctrl+Alt+K', action: 'kill_switch' },
];

/**
 * Default hotkey settings: {@link DEFAULT_HOTKEYS}; confirm orders worth more than $25,000; confirm
 * limits more than 2% through the NBBO (tighter than the engine's 5% risk band, which refuses).
 */
export const DEFAULT_HOTKEY_SETTINGS: HotkeySettings = {
  bindings: DEFAULT_HOTKEYS,
  confirmAboveNotional: 25_000,
  priceBandPercent: 2,
};

// ---------------------------------------------------------------------------------------------
// Conflicts and validation

/** Two or more bindings on one chord, or a binding on a reserved chord. */
export interface HotkeyConflict {
  readonly kind: 'duplicate' | 'reserved';
  /** Normalized chord. */
  readonly chord: string;
  /** Actions bound to the chord, in binding order. */
  readonly actions: readonly HotkeyAction[];
  /** Positions of those bindings in the list. */
  readonly indexes: readonly number[];
  /** A sentence for the trader. */
  readonly reason: string;
}

/**
 * Conflicts in a list of bindings: a chord bound more than once (even to the same action) and
 * chords in {@link RESERVED_CHORDS}. Several chords with the same action and quantity are fine.
 * Chords that do not parse are skipped ({@link validateHotkeySettings} reports them). Returns
 * conflicts in order of the chord's first binding; empty when there are none.
 */
export function findConflicts(bindings: ReadonlyArray<Pick<HotkeyBinding, 'chord' | 'action'>>): HotkeyConflict[] {
  const byChord = new Map<string, number[]>();
  bindings.forEach((binding, index) => {
    let chord: string;
    try {
      chord = normalizeChord(binding.chord);
    } catch {
      return;
    }
    const indexes = byChord.get(chord);
    if (indexes) indexes.push(index);
    else byChord.set(chord, [index]);
  });
  const conflicts: HotkeyConflict[] = [];
  for (const [chord, indexes] of byChord) {
    const actions = indexes.map((i) => bindings[i]?.action).filter((a): a is HotkeyAction => a !== undefined);
    const reserved = RESERVED_CHORDS.get(chord);
    if (reserved !== undefined) conflicts.push({ kind: 'reserved', chord, actions, indexes, reason: `${chord} is reserved: it ${reserved}` });
    if (indexes.length > 1) {
      conflicts.push({ kind: 'duplicate', chord, actions, indexes, reason: `${chord} is bound ${indexes.length} times (${actions.join(', ')}): a key must do one thing` });
    }
  }
  return conflicts;
}

const ORDER_ACTIONS: ReadonlySet<HotkeyAction> = new Set(['buy_bid', 'buy_ask', 'buy_market', 'sell_bid', 'sell_ask', 'sell_market']);
const OFFSET_ACTIONS: ReadonlySet<HotkeyAction> = new Set(['buy_bid', 'buy_ask', 'sell_bid', 'sell_ask', 'flatten_symbol']);
const CAPPED_ACTIONS: ReadonlySet<HotkeyAction> = new Set([...ORDER_ACTIONS, 'flatten_symbol']);

const shares = z.number().int('must be a whole number of shares').min(1, 'must be at least 1 share').max(10_000_000, 'must be at most 10,000,000 shares');

const bindingSchema = z
  .strictObject({
    chord: z.string().transform((chord, ctx) => {
      try {
        return normalizeChord(chord);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `is not valid: ${error instanceof Error ? error.message : String(error)}` });
        return z.NEVER;
      }
    }),
    action: z.enum(HOTKEY_ACTIONS),
    quantity: shares.optional(),
    maxQuantity: shares.optional(),
    offsetCents: z.number().finite().min(-10_000, 'must be at least -10,000 cents').max(10_000, 'must be at most 10,000 cents').optional(),
  })
  .superRefine((b, ctx) => {
    const isOrder = ORDER_ACTIONS.has(b.action);
    if (isOrder && b.quantity === undefined) ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'is required for a buy or sell hotkey' });
    if (!isOrder && b.quantity !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: b.action === 'flatten_symbol' ? 'must be empty: flatten closes the whole position' : `must be empty for ${b.action}` });
    }
    if (!CAPPED_ACTIONS.has(b.action) && b.maxQuantity !== undefined) ctx.addIssue({ code: 'custom', path: ['maxQuantity'], message: `must be empty for ${b.action}` });
    if (b.maxQuantity !== undefined && b.quantity !== undefined && b.maxQuantity < b.quantity) {
      ctx.addIssue({ code: 'custom', path: ['maxQuantity'], message: `must be at least the quantity (${b.quantity} shares)` });
    }
    if (!OFFSET_ACTIONS.has(b.action) && b.offsetCents !== undefined) ctx.addIssue({ code: 'custom', path: ['offsetCents'], message: `must be empty for ${b.action}` });
  });

/**
 * Schema (zod) of {@link HotkeySettings}: chords are normalized on the way in; conflicts
 * ({@link findConflicts}) are issues on the later binding's `chord`.
 */
export const hotkeySettingsSchema = z
  .strictObject({
    bindings: z.array(bindingSchema).max(200, 'must hold at most 200 hotkeys'),
    confirmAboveNotional: z.number().finite().positive('must be a positive amount in USD').max(1e9),
    priceBandPercent: z.number().finite().positive('must be a positive percentage').max(100),
  })
  .superRefine((settings, ctx) => {
    for (const conflict of findConflicts(settings.bindings)) {
      const index = conflict.kind === 'reserved' ? conflict.indexes[0] : conflict.indexes[1];
      const first = conflict.indexes[0];
      const message = conflict.kind === 'reserved'
        ? `is reserved: ${conflict.reason}`
        : `is ${conflict.chord}, already bound to ${conflict.actions[0] ?? 'another action'} (bindings.${first ?? 0})`;
      ctx.addIssue({ code: 'custom', path: ['bindings', index ?? 0, 'chord'], message });
    }
  });

/** Result of {@link validateHotkeySettings}; `field` is a dotted path such as `bindings.2.maxQuantity` (`''` for the whole value). */
export type HotkeyValidation =
  | { readonly ok: true; readonly value: HotkeySettings }
  | { readonly ok: false; readonly error: { readonly field: string; readonly message: string } };

/**
 * Validates untrusted hotkey settings (a settings form, a stored file). On success returns them
 * with normalized chords; on failure names the first bad field, e.g. `{ field:
 * 'bindings.0.quantity', message: 'bindings.0.quantity must be a whole number of shares' }`.
 */
export function validateHotkeySettings(value: unknown): HotkeyValidation {
  const parsed = hotkeySettingsSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '';
  const message = issue?.message ?? 'Invalid hotkey settings';
  return { ok: false, error: { field, message: field ? `${field} ${message}` : message } };
}

// ---------------------------------------------------------------------------------------------
// What a hotkey sends

/** What {@link orderForHotkey} needs to know about the window it was pressed in. */
export interface HotkeyContext {
  /** The window's symbol (upper-cased here); may be empty for `cancel_all` and `kill_switch`. */
  readonly symbol: Symbol;
  /** NBBO and last trade of the symbol, USD; null before the first quote. */
  readonly ticker: Pick<Ticker, 'bid' | 'ask' | 'last'> | null;
  /** Signed shares held in the symbol: long > 0, short < 0. */
  readonly positionQuantity: number;
}

/** The settings {@link orderForHotkey} reads to decide on a confirmation. */
export type HotkeyThresholds = Pick<HotkeySettings, 'confirmAboveNotional' | 'priceBandPercent'>;

interface OutcomeBase {
  readonly action: HotkeyAction;
  /** The binding's chord, normalized when it parses. */
  readonly chord: string;
  /** One line of plain English, shown before the chord's first use in a session. */
  readonly describe: string;
}

/**
 * What a hotkey would do now.
 * - `order`: send `command` (a `placeOrder`); ask first when `needsConfirmation`;
 * - `command`: send `command` (`cancelAll`, `killSwitch`) at once;
 * - `none`: nothing to do (flatten while flat), `reason` says why;
 * - `refused`: the hotkey cannot act (no quote, over the key's cap, no symbol), `reason` says why.
 */
export type HotkeyOutcome =
  | (OutcomeBase & {
      readonly kind: 'order';
      readonly order: OrderRequest;
      readonly command: CommandOf<'placeOrder'>;
      /** Estimated value, USD (limit or the side of the NBBO a market order takes, else last); null when unknown. */
      readonly notional: number | null;
      readonly needsConfirmation: boolean;
      /** Why to confirm, for the dialog; null when one keystroke sends. */
      readonly confirmationReason: string | null;
    })
  | (OutcomeBase & {
      readonly kind: 'command';
      readonly command: CommandOf<'cancelAll'> | CommandOf<'killSwitch'>;
      readonly needsConfirmation: false;
      readonly confirmationReason: null;
    })
  | (OutcomeBase & { readonly kind: 'none'; readonly reason: string })
  | (OutcomeBase & { readonly kind: 'refused'; readonly reason: string });

function formatPrice(price: number): string {
  return Math.abs(price) >= 1 ? price.toFixed(2) : price.toFixed(4);
}

/** An offset in USD: cents when it is a whole number of cents, else to the $0.0001 tick. */
function formatOffset(amount: number): string {
  const cents = Math.abs(amount) * 100;
  return Math.abs(cents - Math.round(cents)) < 1e-6 ? Math.abs(amount).toFixed(2) : Math.abs(amount).toFixed(4);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatUsd(amount: number): string {
  const [whole = '0', cents = '00'] = amount.toFixed(2).split('.');
  return `$${groupThousands(whole)}.${cents}`;
}

function formatShares(quantity: number): string {
  return groupThousands(String(quantity));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const PRICED: Readonly<Partial<Record<HotkeyAction, { readonly side: OrderSide; readonly reference: 'bid' | 'ask' }>>> = {
  buy_bid: { side: 'buy', reference: 'bid' },
  buy_ask: { side: 'buy', reference: 'ask' },
  sell_bid: { side: 'sell', reference: 'bid' },
  sell_ask: { side: 'sell', reference: 'ask' },
};

interface OrderPlan {
  readonly side: OrderSide;
  readonly quantity: number;
  readonly maxQuantity: number | undefined;
  /** Side of the NBBO a limit is priced from; null for a market order. */
  readonly reference: 'bid' | 'ask' | null;
  readonly offsetCents: number;
  /** Exits skip the notional confirmation: delaying an exit does not reduce risk. */
  readonly isExit: boolean;
  /** Appended to the description, e.g. " (closes long 300)". */
  readonly note: string;
}

/**
 * What `binding` would do now in a window showing `context.symbol`, without sending anything.
 *
 * Buy and sell actions build a day `OrderRequest` for `binding.quantity` shares: `*_bid`/`*_ask`
 * a limit at that side of the NBBO ± `offsetCents` (see {@link HotkeyBinding.offsetCents}),
 * rounded to the tick (Reg NMS Rule 612: $0.01 at or above $1, $0.0001 below); `*_market` a
 * market order. `flatten_symbol` closes the position (sell when long, buy to cover when short;
 * `none` when flat) at market, or with a limit when the binding has an offset; it does not cancel
 * the symbol's working orders. `cancel_symbol` → `cancelAll` for the symbol, `cancel_all` →
 * `cancelAll`, `kill_switch` → `killSwitch`.
 *
 * Refuses an order over the binding's `maxQuantity`, a priced order without that side of the
 * quote, a market order that cannot be valued (no quote, no last), and symbol actions without a
 * symbol. Asks for confirmation when the order is worth more than `confirmAboveNotional` (not for
 * flatten: exits go out at once) or a limit is more than `priceBandPercent` through the NBBO (a
 * buy above the ask, a sell below the bid).
 *
 * @param thresholds confirmation thresholds; {@link DEFAULT_HOTKEY_SETTINGS} when omitted.
 */
export function orderForHotkey(binding: HotkeyBinding, context: HotkeyContext, thresholds: HotkeyThresholds = DEFAULT_HOTKEY_SETTINGS): HotkeyOutcome {
  let chord = binding.chord;
  try {
    chord = normalizeChord(binding.chord);
  } catch {
    // Keep the chord as given; the outcome still says what the binding would do.
  }
  const base = { action: binding.action, chord };
  const symbol = context.symbol.trim().toUpperCase();
  const refuse = (describe: string, reason: string): HotkeyOutcome => ({ ...base, kind: 'refused', describe, reason });

  switch (binding.action) {
    case 'cancel_all':
      return { ...base, kind: 'command', command: { type: 'cancelAll' }, describe: 'Cancel every working order in every symbol', needsConfirmation: false, confirmationReason: null };
    case 'kill_switch':
      return {
        ...base,
        kind: 'command',
        command: { type: 'killSwitch' },
        describe: 'Kill switch: cancel every order, flatten every position and halt trading',
        needsConfirmation: false,
        confirmationReason: null,
      };
    case 'cancel_symbol':
      if (symbol === '') return refuse('Cancel the working orders of the window’s symbol', 'No symbol in this window');
      return { ...base, kind: 'command', command: { type: 'cancelAll', symbol }, describe: `Cancel every working ${symbol} order`, needsConfirmation: false, confirmationReason: null };
    case 'flatten_symbol': {
      if (symbol === '') return refuse('Flatten the window’s symbol', 'No symbol in this window');
      const held = context.positionQuantity;
      if (!Number.isFinite(held)) return refuse(`Flatten ${symbol}`, `The ${symbol} position is unknown`);
      if (held === 0) return { ...base, kind: 'none', describe: `Flatten ${symbol}: no position`, reason: `No ${symbol} position to flatten` };
      const long = held > 0;
      const quantity = Math.abs(held);
      return planOrder(base, symbol, context, thresholds, {
        side: long ? 'sell' : 'buy',
        quantity,
        maxQuantity: binding.maxQuantity,
        reference: binding.offsetCents === undefined ? null : long ? 'bid' : 'ask',
        offsetCents: binding.offsetCents ?? 0,
        isExit: true,
        note: long ? ` (closes long ${formatShares(quantity)})` : ` (covers short ${formatShares(quantity)})`,
      });
    }
    default: {
      const priced = PRICED[binding.action];
      const side: OrderSide = priced?.side ?? (binding.action === 'buy_market' ? 'buy' : 'sell');
      const what = `${capitalize(side)} ${symbol || 'the window’s symbol'}`;
      if (symbol === '') return refuse(what, 'No symbol in this window');
      const quantity = binding.quantity;
      if (quantity === undefined) return refuse(what, 'This hotkey has no quantity: set one in its settings');
      if (!Number.isInteger(quantity) || quantity <= 0) return refuse(what, `Quantity ${quantity} is not a whole number of shares above 0`);
      return planOrder(base, symbol, context, thresholds, {
        side,
        quantity,
        maxQuantity: binding.maxQuantity,
        reference: priced?.reference ?? null,
        offsetCents: binding.offsetCents ?? 0,
        isExit: false,
        note: '',
      });
    }
  }
}

function planOrder(
  base: Pick<OutcomeBase, 'action' | 'chord'>,
  symbol: Symbol,
  context: HotkeyContext,
  thresholds: HotkeyThresholds,
  plan: OrderPlan,
): HotkeyOutcome {
  const { side, quantity, reference } = plan;
  const head = `${capitalize(side)} ${formatShares(quantity)} ${symbol}`;
  const offset = (side === 'buy' ? 1 : -1) * plan.offsetCents / 100;
  const intent = reference === null
    ? `${head} market, day${plan.note}`
    : `${head} limit at the ${reference}${offset === 0 ? '' : ` ${offset > 0 ? '+' : '-'} ${formatOffset(offset)}`}, day${plan.note}`;
  const refuse = (reason: string): HotkeyOutcome => ({ ...base, kind: 'refused', describe: intent, reason });

  if (plan.maxQuantity !== undefined && quantity > plan.maxQuantity) {
    return refuse(`${formatShares(quantity)} shares is above this key’s cap of ${formatShares(plan.maxQuantity)}`);
  }
  const bid = positiveOrNull(context.ticker?.bid);
  const ask = positiveOrNull(context.ticker?.ask);
  const last = positiveOrNull(context.ticker?.last);

  let order: OrderRequest;
  let describe: string;
  let notional: number | null;
  const reasons: string[] = [];
  if (reference === null) {
    order = { symbol, side, quantity, type: 'market', timeInForce: 'day' };
    describe = intent;
    const price = (side === 'buy' ? ask : bid) ?? last;
    if (price === null && !plan.isExit) return refuse(`No quote for ${symbol} yet: a market order cannot be valued; wait for a quote`);
    notional = price === null ? null : price * quantity;
  } else {
    if (context.ticker === null) return refuse(`No quote for ${symbol} yet: this hotkey prices from the ${reference}`);
    const referencePrice = reference === 'bid' ? bid : ask;
    if (referencePrice === null) return refuse(`No ${reference} for ${symbol}: this hotkey prices from the ${reference}`);
    const limit = roundToTick(referencePrice + offset);
    if (!(limit > 0)) return refuse(`The limit ${reference} ${formatPrice(referencePrice)} ${offset > 0 ? '+' : '-'} ${formatOffset(offset)} is not a positive price`);
    order = { symbol, side, quantity, type: 'limit', limitPrice: limit, timeInForce: 'day' };
    const applied = Math.round((limit - referencePrice) * 10_000) / 10_000;
    const shown = applied === 0 ? reference : `${reference} ${applied > 0 ? '+' : '-'} ${formatOffset(applied)}`;
    describe = `${head} limit ${formatPrice(limit)} (${shown}), day${plan.note}`;
    notional = limit * quantity;
    const band = thresholds.priceBandPercent;
    const nbbo = side === 'buy' ? (ask ?? bid) : (bid ?? ask);
    if (nbbo !== null) {
      const through = side === 'buy' ? (limit / nbbo - 1) * 100 : (1 - limit / nbbo) * 100;
      // The tolerance keeps a limit exactly at the band edge (102.00 vs 100.00 × 1.02) inside it.
      if (through - band > 1e-9) {
        const which = side === 'buy' ? (ask !== null ? 'ask' : 'bid') : (bid !== null ? 'bid' : 'ask');
        reasons.push(`Limit ${formatPrice(limit)} is ${through.toFixed(1)}% ${side === 'buy' ? 'above' : 'below'} the ${which} ${formatPrice(nbbo)} (band ${band}%)`);
      }
    }
  }
  if (!plan.isExit && notional !== null && notional > thresholds.confirmAboveNotional) {
    reasons.unshift(`Order value ${formatUsd(notional)} is above the ${formatUsd(thresholds.confirmAboveNotional)} confirmation threshold`);
  }
  return {
    ...base,
    kind: 'order',
    order,
    command: { type: 'placeOrder', order },
    describe,
    notional,
    needsConfirmation: reasons.length > 0,
    confirmationReason: reasons.length > 0 ? reasons.join('; ') : null,
  };
}

function positiveOrNull(price: number | null | undefined): number | null {
  return typeof price === 'number' && Number.isFinite(price) && price > 0 ? price : null;
}

// ---------------------------------------------------------------------------------------------
// First use

/**
 * Remembers, for one session (one window's lifetime), which chords have shown their preview.
 * `shouldPreview(chord)` is true until `markPreviewed(chord)`; chords are compared normalized.
 * Call `reset()` when the bindings change, so a rebound key previews again.
 */
export class FirstUseTracker {
  readonly #previewed = new Set<string>();

  /** True when the chord has not been previewed in this session. */
  shouldPreview(chord: string): boolean {
    return !this.#previewed.has(trackingKey(chord));
  }

  /** Records that the trader has seen the chord's preview. */
  markPreviewed(chord: string): void {
    this.#previewed.add(trackingKey(chord));
  }

  /** Forgets every preview (e.g. after the bindings changed). */
  reset(): void {
    this.#previewed.clear();
  }
}

function trackingKey(chord: string): string {
  try {
    return normalizeChord(chord);
  } catch {
    return chord;
  }
}
