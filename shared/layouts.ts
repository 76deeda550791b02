/**
 * Window layouts: which windows are open, on which display, at which bounds, in which link group,
 * with which chart settings. Layouts are keyed by the monitor arrangement they were saved on
 * ({@link arrangementKey}); at launch {@link restoreLayout} picks the one for the current
 * arrangement and {@link placeWindow} moves every window fully onto a display that exists.
 *
 * Pure: no Electron import. Units are DIP px (Electron's `Display.bounds`/`workArea`,
 * `BrowserWindow.getBounds()`); coordinates are Electron screen coordinates, whose origin is the
 * top-left corner of the primary display, so displays left of or above it have negative x / y.
 */
import { z } from 'zod';
import { TIMEFRAMES, type Symbol, type Timeframe } from './domain';
import { WINDOW_KINDS, type LinkGroup, type WindowKind } from './protocol';
import { symbolSchema } from './schemas';

/** A rectangle in Electron screen coordinates, DIP px. `width` and `height` are > 0. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The fields of Electron's `Display` that layouts use, in DIP px. `workArea` is `bounds` less the
 * taskbar / dock / menu bar. The primary display is the one whose `bounds` start at (0, 0).
 */
export interface DisplayInfo {
  readonly id: number;
  readonly bounds: Rect;
  readonly workArea: Rect;
  /** Physical px per DIP: 1, 1.25, 1.5, 2, … */
  readonly scaleFactor: number;
}

/** Chart settings saved with a chart window. */
export interface ChartLayout {
  readonly timeframe: Timeframe;
  /**
   * Chart overlay ids (`volume`, `vwap`, `vwapBands`, `ema9`, `ema20`, `sma20`, `bollinger`,
   * `rsi`, `macd`); engine indicator names (`rsi14`, `bbUpper20`, …) are accepted when read.
   */
  readonly indicators?: readonly string[];
}

/** One window of a layout. */
export interface WindowLayout {
  readonly kind: WindowKind;
  readonly symbol?: Symbol;
  /** Link group, or `null` for a window linked to no group. */
  readonly group: LinkGroup | null;
  /** Normal (restored) bounds, DIP px, Electron screen coordinates. */
  readonly bounds: Rect;
  /** `Display.id` of the display the window was on when saved. Ids may change between sessions. */
  readonly displayId: number;
  /** Maximized on its display; `bounds` are then the bounds it un-maximizes to. */
  readonly maximized?: boolean;
  readonly chart?: ChartLayout;
}

/** A named layout, saved on the monitor arrangement `arrangementKey`. */
export interface Layout {
  /** Trader-chosen name, trimmed, 1–{@link MAX_LAYOUT_NAME_LENGTH} characters, unique ignoring case. */
  readonly name: string;
  readonly arrangementKey: string;
  readonly windows: readonly WindowLayout[];
  /** When it was last saved, ms since epoch. */
  readonly savedAt: number;
}

/** Where {@link placeWindow} puts a window. */
export interface Placement {
  /** Integer DIP bounds, fully inside `workArea` of the display `displayId`. */
  readonly bounds: Rect;
  readonly displayId: number;
  /** `true` when the bounds differ from the saved ones. */
  readonly moved: boolean;
}

/** A layout chosen by {@link restoreLayout}, with its windows placed on the current displays. */
export interface RestoredLayout {
  /** The saved layout, unchanged. */
  readonly layout: Layout;
  /** Its windows with `bounds` and `displayId` from {@link placeWindow}. */
  readonly windows: readonly WindowLayout[];
  /** `true` when the layout was saved on the current arrangement, `false` for the fallback. */
  readonly sameArrangement: boolean;
}

/** Smallest window size placement keeps (unless the work area is smaller), DIP px; matches the BrowserWindow minimum. */
export const MIN_WINDOW_SIZE: Readonly<{ width: number; height: number }> = { width: 320, height: 240 };
/** Longest layout name, characters. */
export const MAX_LAYOUT_NAME_LENGTH = 60;
/** Most layouts kept. */
export const MAX_LAYOUTS = 100;
/** Most windows in one layout. */
export const MAX_WINDOWS_PER_LAYOUT = 200;

/** A refused layout operation or an unreadable layouts file; `message` is written for the trader. */
export class LayoutError extends Error {
  /** The bad input: `name`, or the path of the bad field in a layouts file (e.g. `0.windows.1.bounds.width`). */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = 'LayoutError';
    this.field = field;
  }
}

// ── Monitor arrangement ────────────────────────────────────────────────────────────────────

function formatScale(scale: number): string {
  return String(Math.round(scale * 1000) / 1000);
}

/**
 * A stable key for a monitor arrangement: one `WxH@x,y*scale` part per display (its `bounds`,
 * DIP px, and scale factor), sorted, joined by `|`. Independent of display order and ids, which
 * Electron may change between sessions; ignores work areas, so moving the taskbar keeps the key.
 * Returns `''` for no displays.
 */
export function arrangementKey(displays: readonly DisplayInfo[]): string {
  return displays
    .map((d) => ({ d, part: `${d.bounds.width}x${d.bounds.height}@${d.bounds.x},${d.bounds.y}*${formatScale(d.scaleFactor)}` }))
    .sort((a, b) => a.d.bounds.x - b.d.bounds.x || a.d.bounds.y - b.d.bounds.y || (a.part < b.part ? -1 : a.part > b.part ? 1 : 0))
    .map((p) => p.part)
    .join('|');
}

// ── Placement ──────────────────────────────────────────────────────────────────────────────

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function contains(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y
    && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

function centreDistance(a: Rect, b: Rect): number {
  return Math.hypot(a.x + a.width / 2 - (b.x + b.width / 2), a.y + a.height / 2 - (b.y + b.height / 2));
}

/** Distance from the centre of `window` to the nearest point of `rect` (0 when inside). */
function centreToRect(window: Rect, rect: Rect): number {
  const cx = window.x + window.width / 2;
  const cy = window.y + window.height / 2;
  const dx = Math.max(rect.x - cx, 0, cx - (rect.x + rect.width));
  const dy = Math.max(rect.y - cy, 0, cy - (rect.y + rect.height));
  return Math.hypot(dx, dy);
}

function isFiniteRect(r: Rect): boolean {
  return [r.x, r.y, r.width, r.height].every(Number.isFinite);
}

/** The primary display (bounds at the origin), else the first. */
function primaryDisplay(displays: readonly [DisplayInfo, ...DisplayInfo[]]): DisplayInfo {
  return displays.find((d) => d.bounds.x === 0 && d.bounds.y === 0) ?? displays[0];
}

/** Compares score tuples lexicographically. */
function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The display with the lowest `score` (a tuple compared in order; `null` rules a display out);
 * ties go to the saved display, then the top-most, then the left-most, so the result does not
 * depend on the order of `displays`.
 */
function best(displays: readonly DisplayInfo[], savedId: number, score: (d: DisplayInfo) => readonly number[] | null): DisplayInfo | undefined {
  let winner: { display: DisplayInfo; score: readonly number[] } | undefined;
  for (const display of displays) {
    const s = score(display);
    if (s === null) continue;
    const order = winner ? compareScores(s, winner.score) : -1;
    const tieBreak = winner !== undefined && order === 0 && compareScores(
      [display.id === savedId ? 0 : 1, display.bounds.y, display.bounds.x],
      [winner.display.id === savedId ? 0 : 1, winner.display.bounds.y, winner.display.bounds.x],
    ) < 0;
    if (order < 0 || tieBreak) winner = { display, score: s };
  }
  return winner?.display;
}

/**
 * The display a window belongs on: the saved display when its work area holds the whole window,
 * else any display whose work area does, else the one whose bounds hold the largest part of the
 * window, else (window entirely off-screen) the saved display if it still exists, else the one
 * nearest the window's centre, else the primary.
 */
function targetDisplay(bounds: Rect, savedId: number, displays: readonly [DisplayInfo, ...DisplayInfo[]]): DisplayInfo {
  if (!isFiniteRect(bounds)) return primaryDisplay(displays);
  const saved = displays.find((d) => d.id === savedId);
  if (saved && contains(saved.workArea, bounds)) return saved;
  return best(displays, savedId, (d) => (contains(d.workArea, bounds) ? [] : null))
    ?? best(displays, savedId, (d) => { const area = overlapArea(bounds, d.bounds); return area > 0 ? [-area] : null; })
    ?? saved
    ?? best(displays, savedId, (d) => [centreToRect(bounds, d.bounds), centreDistance(bounds, d.bounds)])
    ?? primaryDisplay(displays);
}

/**
 * Fits `bounds` into `area`: each side is shrunk to the area if longer and grown to
 * {@link MIN_WINDOW_SIZE} if shorter (never beyond the area), then the window is moved the least
 * distance that puts it wholly inside. Integer DIP px.
 */
function fitInto(bounds: Rect, area: Rect): Rect {
  const left = Math.ceil(area.x);
  const top = Math.ceil(area.y);
  const availW = Math.max(1, Math.floor(area.x + area.width) - left);
  const availH = Math.max(1, Math.floor(area.y + area.height) - top);
  const finite = isFiniteRect(bounds);
  const width = Math.min(Math.max(finite ? Math.round(bounds.width) : 0, MIN_WINDOW_SIZE.width), availW);
  const height = Math.min(Math.max(finite ? Math.round(bounds.height) : 0, MIN_WINDOW_SIZE.height), availH);
  const x = finite ? Math.min(Math.max(Math.round(bounds.x), left), left + availW - width) : left + Math.floor((availW - width) / 2);
  const y = finite ? Math.min(Math.max(Math.round(bounds.y), top), top + availH - height) : top + Math.floor((availH - height) / 2);
  return { x, y, width, height };
}

/**
 * Places a saved window on the current displays so it is fully visible.
 *
 * Kept as saved when a display's work area holds it whole (and it is at least
 * {@link MIN_WINDOW_SIZE}). Otherwise (its display unplugged, or it is partly or wholly
 * off-screen) it goes to the display holding the largest part of it, else back to its saved
 * display if that still exists, else to the display nearest its centre, else the primary; there
 * its size is kept in DIP px (so a move between scale factors keeps its apparent size) unless a
 * side is longer than the work area, which shrinks that side to fit, and it is moved the least
 * distance that puts it wholly inside the work area.
 *
 * @param window saved bounds and display id, DIP px, Electron screen coordinates.
 * @param displays the current displays (Electron `screen.getAllDisplays()`).
 * @returns integer bounds fully inside the chosen display's `workArea`, and that display's id.
 * @throws {RangeError} when `displays` is empty.
 */
export function placeWindow(window: Pick<WindowLayout, 'bounds' | 'displayId'>, displays: readonly DisplayInfo[]): Placement {
  if (!isNonEmpty(displays)) throw new RangeError('placeWindow needs at least one display');
  const target = targetDisplay(window.bounds, window.displayId, displays);
  const bounds = fitInto(window.bounds, target.workArea);
  const b = window.bounds;
  const moved = bounds.x !== b.x || bounds.y !== b.y || bounds.width !== b.width || bounds.height !== b.height;
  return { bounds, displayId: target.id, moved };
}

function isNonEmpty<T>(list: readonly T[]): list is readonly [T, ...T[]] {
  return list.length > 0;
}

/** The most recently saved layout of `list`; on equal `savedAt` the earlier in the list. */
function mostRecent(list: readonly Layout[]): Layout | undefined {
  let winner: Layout | undefined;
  for (const layout of list) if (!winner || layout.savedAt > winner.savedAt) winner = layout;
  return winner;
}

/**
 * Chooses the layout to open at launch and places its windows on `displays`.
 *
 * Picks the most recently saved (`savedAt`) layout whose `arrangementKey` is the current
 * arrangement's; when none was saved on this arrangement, the most recently saved layout of all.
 * On equal `savedAt`, the one earlier in `layouts` wins. Every window is then placed with
 * {@link placeWindow}.
 *
 * @returns the chosen layout and its placed windows, or `null` when `layouts` is empty.
 * @throws {RangeError} when `displays` is empty.
 */
export function restoreLayout(layouts: readonly Layout[], displays: readonly DisplayInfo[]): RestoredLayout | null {
  if (layouts.length === 0) return null;
  if (displays.length === 0) throw new RangeError('restoreLayout needs at least one display');
  const key = arrangementKey(displays);
  const same = mostRecent(layouts.filter((l) => l.arrangementKey === key));
  const layout = same ?? mostRecent(layouts);
  if (!layout) return null;
  const windows = layout.windows.map((w) => {
    const { bounds, displayId } = placeWindow(w, displays);
    return { ...w, bounds, displayId };
  });
  return { layout, windows, sameArrangement: same !== undefined };
}

// ── The layout store (pure) ────────────────────────────────────────────────────────────────

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * A valid layout name, trimmed.
 * @throws {LayoutError} (`field` `name`) when empty or longer than {@link MAX_LAYOUT_NAME_LENGTH}.
 */
function validName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new LayoutError('Give the layout a name.', 'name');
  if (trimmed.length > MAX_LAYOUT_NAME_LENGTH) {
    throw new LayoutError(`A layout name can be at most ${MAX_LAYOUT_NAME_LENGTH} characters.`, 'name');
  }
  return trimmed;
}

function indexOfName(list: readonly Layout[], name: string): number {
  const index = list.findIndex((l) => sameName(l.name, name));
  if (index < 0) throw new LayoutError(`There is no layout named "${name.trim()}".`, 'name');
  return index;
}

/**
 * Saves `layout` into `list`: a layout of the same name (ignoring case and surrounding spaces)
 * is replaced in place, taking the new spelling; a new name is appended. Returns a new list.
 * @throws {LayoutError} when the name is empty or too long, the layout has more than
 *   {@link MAX_WINDOWS_PER_LAYOUT} windows, or the list already holds {@link MAX_LAYOUTS}.
 */
export function saveLayout(list: readonly Layout[], layout: Layout): Layout[] {
  const saved = { ...layout, name: validName(layout.name) };
  if (saved.windows.length > MAX_WINDOWS_PER_LAYOUT) {
    throw new LayoutError(`A layout can hold at most ${MAX_WINDOWS_PER_LAYOUT} windows; close some first.`, 'windows');
  }
  const index = list.findIndex((l) => sameName(l.name, saved.name));
  if (index >= 0) return list.map((l, i) => (i === index ? saved : l));
  if (list.length >= MAX_LAYOUTS) {
    throw new LayoutError(`You can keep at most ${MAX_LAYOUTS} layouts; delete one first.`, 'name');
  }
  return [...list, saved];
}

/**
 * Removes the layout named `name` (ignoring case and surrounding spaces). Returns a new list.
 * @throws {LayoutError} when there is no such layout.
 */
export function deleteLayout(list: readonly Layout[], name: string): Layout[] {
  const index = indexOfName(list, name);
  return list.filter((_, i) => i !== index);
}

/**
 * Renames layout `from` to `to` (trimmed), keeping its place, windows and `savedAt`. Changing
 * only the case of a name is allowed. Returns a new list.
 * @throws {LayoutError} when `from` does not exist, `to` is empty or too long, or another
 *   layout is already named `to` (ignoring case).
 */
export function renameLayout(list: readonly Layout[], from: string, to: string): Layout[] {
  const index = indexOfName(list, from);
  const name = validName(to);
  const clash = list.find((l, i) => i !== index && sameName(l.name, name));
  if (clash) throw new LayoutError(`A layout named "${clash.name}" already exists.`, 'name');
  return list.map((l, i) => (i === index ? { ...l, name } : l));
}

// ── Persisted form ─────────────────────────────────────────────────────────────────────────

/** Coordinates beyond this are not a real desktop, DIP px. */
const MAX_COORDINATE = 100_000;

const coordinate = z.number().min(-MAX_COORDINATE).max(MAX_COORDINATE);
const length = z.number().positive('must be greater than 0').max(MAX_COORDINATE);

const rectSchema = z.object({ x: coordinate, y: coordinate, width: length, height: length });

const windowLayoutSchema = z
  .object({
    kind: z.enum(WINDOW_KINDS),
    symbol: symbolSchema.optional(),
    group: z.string().min(1).max(32).nullable(),
    bounds: rectSchema,
    displayId: z.number().int(),
    maximized: z.boolean().optional(),
    chart: z
      .object({
        timeframe: z.enum(TIMEFRAMES),
        indicators: z.array(z.string().min(1).max(40)).max(40).optional(),
      })
      .optional(),
  })
  .refine((w) => w.chart === undefined || w.kind === 'chart', { path: ['chart'], message: 'is only for chart windows' });

const layoutSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_LAYOUT_NAME_LENGTH, `must be at most ${MAX_LAYOUT_NAME_LENGTH} characters`),
  arrangementKey: z.string().max(2_000),
  windows: z.array(windowLayoutSchema).max(MAX_WINDOWS_PER_LAYOUT),
  savedAt: z.number().int().nonnegative(),
});

/**
 * Schema of the persisted list of layouts. Unknown keys are dropped (a file written by a newer
 * version still reads); names must be unique ignoring case. Prefer {@link parseLayouts}.
 */
export const layoutsSchema = z
  .array(layoutSchema)
  .max(MAX_LAYOUTS)
  .superRefine((layouts, ctx) => {
    layouts.forEach((layout, i) => {
      if (layouts.findIndex((other) => sameName(other.name, layout.name)) < i) {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `repeats the layout name "${layout.name}"` });
      }
    });
  });

/**
 * Validates a persisted list of layouts (e.g. `JSON.parse` of the layouts file).
 * @returns the layouts, names trimmed and symbols upper-cased.
 * @throws {LayoutError} naming the first bad field (`field` e.g. `0.windows.1.bounds.width`).
 */
export function parseLayouts(input: unknown): Layout[] {
  const parsed = layoutsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '';
  const detail = issue ? (field ? `${field} ${issue.message}` : issue.message) : 'invalid';
  throw new LayoutError(`The saved layouts could not be read (${detail}).`, field || undefined);
}

/**
 * Validates one layout (e.g. a window's `saveLayout` command).
 * @returns the layout, name trimmed and symbols upper-cased.
 * @throws {LayoutError} naming the first bad field (`field` e.g. `windows.1.bounds.width`).
 */
export function parseLayout(input: unknown): Layout {
  const parsed = layoutSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '';
  const detail = issue ? (field ? `${field} ${issue.message}` : issue.message) : 'invalid';
  throw new LayoutError(`The layout could not be saved (${detail}).`, field || undefined);
}
