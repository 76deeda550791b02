/**
 * Pure helpers of the Settings window's forms: text ↔ values (numbers, symbol and share lists),
 * dotted field paths (`risk.maxOrderQuantity`, `screeners.1.params.rewardRisk`,
 * `hotkeys.bindings.3.chord`), and the errors of a draft per field, found with the engine's own
 * validation (`applySettingsPatch`), so the form refuses exactly what the engine would refuse.
 *
 * A draft is shaped like a {@link SettingsPatch} of its tab, except that a number the trader has
 * not typed correctly is `NaN` and an optional number left empty is `null`.
 */
import type { Settings } from '../../../shared/domain';
import type { CommandError, SettingsPatch } from '../../../shared/protocol';
import { applySettingsPatch } from '../../../shared/schemas';

/** Error message per field path; the message reads after the field's label ("must be at least 1"). */
export type FieldErrors = Readonly<Record<string, string>>;

/** One invalid field: its dotted path and what is wrong, for the trader. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** Keys whose value is a list edited in one text field (symbols, share sizes): one field, not one per entry. */
const LIST_FIELDS: ReadonlySet<string> = new Set(['watchlist', 'symbols', 'sizePresets']);
/** Keys that identify an entry rather than being edited (a screener's id and kind). */
const STRUCTURAL_KEYS: ReadonlySet<string> = new Set(['id', 'kind']);

// ---------------------------------------------------------------------------------------------
// Text ↔ values

/**
 * Symbols typed as a list: separated by commas, semicolons or spaces, upper-cased, duplicates
 * dropped, order kept. `"aapl, msft  nvda,aapl"` → `["AAPL", "MSFT", "NVDA"]`; `""` → `[]`.
 * Symbols are not checked here: the settings schema names a bad one.
 */
export function parseSymbolList(text: string): string[] {
  const seen = new Set<string>();
  const symbols: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const symbol = part.trim().toUpperCase();
    if (symbol !== '' && !seen.has(symbol)) {
      seen.add(symbol);
      symbols.push(symbol);
    }
  }
  return symbols;
}

/** A symbol list as the trader reads and types it: `"AAPL, MSFT"`. */
export function formatSymbolList(symbols: readonly string[]): string {
  return symbols.join(', ');
}

/**
 * A number typed in a field. Empty text is `null` when the field is optional, else `NaN`; text
 * that is not a finite number is `NaN` (reported as "must be a number").
 */
export function parseNumberInput(text: string, optional = false): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return optional ? null : Number.NaN;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** A number as shown in its field: empty for `null` and `NaN`. */
export function formatNumberInput(value: number | null): string {
  return value === null || Number.isNaN(value) ? '' : String(value);
}

/**
 * Numbers typed as a list (share sizes): separated by commas, semicolons or spaces; an entry that
 * is not a number is `NaN`. `"100, 200 500"` → `[100, 200, 500]`.
 */
export function parseNumberList(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map((part) => {
      const value = Number(part);
      return Number.isFinite(value) ? value : Number.NaN;
    });
}

/** A number list as typed: `"100, 200, 500"`; a `NaN` entry shows as `?`. */
export function formatNumberList(values: readonly number[]): string {
  return values.map((v) => (Number.isNaN(v) ? '?' : String(v))).join(', ');
}

/** Equality of two numbers as field values: `NaN` equals `NaN`. */
export function sameNumber(a: number | null, b: number | null): boolean {
  return Object.is(a, b) || (a === b);
}

// ---------------------------------------------------------------------------------------------
// Paths

function segments(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

/** The value at a dotted path (`"hotkeys.bindings.2.chord"`), or `undefined` when there is none. */
export function valueAt(value: unknown, path: string): unknown {
  let node = value;
  for (const segment of segments(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** A copy of `value` with `replacement` at a dotted path (arrays stay arrays); the input is not changed. */
export function setAt<T>(value: T, path: string, replacement: unknown): T {
  const [head, ...rest] = segments(path);
  if (head === undefined) return replacement as T;
  const child = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[head] : undefined;
  const next = setAt(child, rest.join('.'), replacement);
  if (Array.isArray(value)) {
    const copy = [...(value as unknown[])];
    copy[Number(head)] = next;
    return copy as T;
  }
  return { ...(value as object), [head]: next } as T;
}

/**
 * Every field path of a draft: its leaves (numbers, strings, booleans, `null`), with lists
 * edited in one text field (`watchlist`, `symbols`, `sizePresets`) as one field and the
 * identifying keys `id` and `kind` left out. `{ risk: { maxOrderQuantity: 1 } }` →
 * `["risk.maxOrderQuantity"]`.
 */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return prefix === '' ? [] : [prefix];
  const paths: string[] = [];
  const entries = Array.isArray(value) ? value.map((v, i): [string, unknown] => [String(i), v]) : Object.entries(value);
  for (const [key, child] of entries) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (STRUCTURAL_KEYS.has(key) && !Array.isArray(value)) continue;
    if (LIST_FIELDS.has(key) && Array.isArray(child)) paths.push(path);
    else paths.push(...leafPaths(child, path));
  }
  return paths;
}

/**
 * The form field an error path belongs to: the longest of `fields` that is the path or one of
 * its parents (`watchlist.3` → `watchlist`), else the path itself (shown with the form).
 */
export function fieldFor(path: string, fields: readonly string[]): string {
  let best: string | null = null;
  for (const field of fields) {
    if ((path === field || path.startsWith(`${field}.`)) && (best === null || field.length > best.length)) best = field;
  }
  return best ?? path;
}

/** Path of the first number in `value` that is not finite (a field typed wrong), or null. */
export function firstNonFinite(value: unknown, prefix = ''): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : prefix;
  if (value === null || typeof value !== 'object') return null;
  const entries = Array.isArray(value) ? value.map((v, i): [string, unknown] => [String(i), v]) : Object.entries(value);
  for (const [key, child] of entries) {
    const found = firstNonFinite(child, prefix === '' ? key : `${prefix}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/** A copy without the `null` values of objects (optional fields left empty), at any depth. */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withoutNulls(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)])) as T;
}

/** Structural equality of plain data (JSON values): key order does not matter, `NaN` equals `NaN`. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return aKeys.length === bKeys.length && aKeys.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// ---------------------------------------------------------------------------------------------
// Messages

function formatLimit(text: string): string {
  const value = Number(text);
  return Number.isFinite(value) && Math.abs(value) >= 10_000 ? value.toLocaleString('en-US') : text;
}

const ZOD_MESSAGES: ReadonlyArray<readonly [RegExp, (...groups: string[]) => string]> = [
  [/^Too small: expected number to be >=(.+)$/, (n = '') => `must be at least ${formatLimit(n)}`],
  [/^Too small: expected number to be >(.+)$/, (n = '') => `must be above ${formatLimit(n)}`],
  [/^Too big: expected number to be <=(.+)$/, (n = '') => `must be at most ${formatLimit(n)}`],
  [/^Too big: expected number to be <(.+)$/, (n = '') => `must be below ${formatLimit(n)}`],
  [/^Invalid input: expected int, received .+$/, () => 'must be a whole number'],
  [/^Invalid input: expected number, received .+$/, () => 'must be a number'],
  [/^Too small: expected array to have >=(\d+) items?$/, (n = '') => `needs at least ${n} ${n === '1' ? 'entry' : 'entries'}`],
  [/^Too big: expected array to have <=(\d+) items?$/, (n = '') => `holds at most ${formatLimit(n)} entries`],
  [/^Too small: expected string to have >=(\d+) characters?$/, (n = '') => (n === '1' ? 'must not be empty' : `needs at least ${n} characters`)],
  [/^Too big: expected string to have <=(\d+) characters?$/, (n = '') => `must be at most ${n} characters`],
  [/^Invalid option: expected one of (.+)$/, (options = '') => `must be one of ${options.replaceAll('"', '').split('|').join(', ')}`],
];

/** A validation message in the trader's words: zod's generic wording ("Too small: expected number to be >=1") becomes "must be at least 1". */
export function humanizeMessage(message: string): string {
  for (const [pattern, replace] of ZOD_MESSAGES) {
    const match = pattern.exec(message);
    if (match) return replace(...match.slice(1));
  }
  return message;
}

/** An engine or schema error (`{ field: 'risk.maxOrderQuantity', message: 'risk.maxOrderQuantity must be at least 1' }`) as a field problem (`must be at least 1`). */
export function problemOf(error: Pick<CommandError, 'field' | 'message'>): FieldProblem {
  const field = error.field ?? '';
  const message = field !== '' && error.message.startsWith(`${field} `) ? error.message.slice(field.length + 1) : error.message;
  return { field, message: humanizeMessage(message) };
}

const READS_AFTER_LABEL = /^(must|is|are|needs|holds|has|may|cannot|should|applies)\b/;

/**
 * The text shown next to a field: the label followed by the message when the message continues
 * it ("Max order quantity (shares) must be at least 1"), else the message as its own sentence.
 */
export function displayError(label: string, message: string): string {
  if (READS_AFTER_LABEL.test(message)) return `${label} ${message}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Validation of a draft

/**
 * The first problem of a draft, as the engine would see it: a number typed wrong, else the first
 * error of `applySettingsPatch(current, toPatch(draft))`.
 */
export function validateDraft<D>(current: Settings, draft: D, toPatch: (draft: D) => SettingsPatch): FieldProblem | null {
  const bad = firstNonFinite(draft);
  if (bad !== null) return { field: bad, message: 'must be a number' };
  const result = applySettingsPatch(current, toPatch(draft));
  return result.ok ? null : problemOf(result.error);
}

/** What {@link collectDraftErrors} needs. */
export interface DraftCheck<D> {
  /** The settings the patch applies to. */
  readonly current: Settings;
  readonly draft: D;
  readonly toPatch: (draft: D) => SettingsPatch;
  /**
   * A valid value shaped like the draft; the value at a bad field's path replaces it, so the
   * next problem can be found (the current settings for plain groups).
   */
  readonly fallback: unknown;
  /** At most this many problems (default 100). */
  readonly limit?: number;
}

/**
 * Every invalid field of a draft with its message. The schema reports one problem at a time, so
 * each bad field is replaced by the fallback's valid value and the draft is checked again.
 * An entry of a list field is named in the message (`"12" must be a ticker symbol such as IBM`).
 * Problems outside any field of the draft keep their own path (e.g. `screeners`).
 */
export function collectDraftErrors<D>({ current, draft, toPatch, fallback, limit = 100 }: DraftCheck<D>): FieldErrors {
  const fields = leafPaths(draft);
  const errors: Record<string, string> = {};
  /** Paths already replaced by the fallback's value, with how many levels up the last one went. */
  const replaced = new Map<string, number>();
  let value = draft;
  for (let i = 0; i < limit; i++) {
    const problem = validateDraft(current, value, toPatch);
    if (problem === null) break;
    const field = fieldFor(problem.field, fields);
    if (!(field in errors)) errors[field] = describeEntry(problem, field, value);
    // A field still bad after its replacement breaks a rule with a sibling (amber below red):
    // replace its parent, then the grandparent, and so on.
    const up = replaced.has(field) ? (replaced.get(field) ?? 0) + 1 : 0;
    const target = segmentsUp(field, up);
    const replacement = target === null ? undefined : valueAt(fallback, target);
    if (target === null || replacement === undefined) break;
    replaced.set(field, up);
    value = setAt(value, target, replacement);
  }
  return errors;
}

/** The path `levels` segments above `path`; null past the top-level group or for an empty path. */
function segmentsUp(path: string, levels: number): string | null {
  const parts = segments(path);
  return parts.length - levels >= 1 ? parts.slice(0, parts.length - levels).join('.') : null;
}

/** Names the entry of a list field the problem is about. */
function describeEntry(problem: FieldProblem, field: string, draft: unknown): string {
  if (problem.field === field || !problem.field.startsWith(`${field}.`)) return problem.message;
  const entry = valueAt(draft, problem.field);
  if (typeof entry === 'string' || (typeof entry === 'number' && Number.isFinite(entry))) return `"${entry}" ${problem.message}`;
  const index = Number(problem.field.slice(field.length + 1).split('.')[0]);
  return Number.isInteger(index) ? `entry ${index + 1} ${problem.message}` : problem.message;
}
