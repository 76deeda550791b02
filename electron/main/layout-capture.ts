/**
 * Pure glue between open windows and saved layouts: what a window contributes to a
 * {@link Layout}, how a saved window reopens, and where a window goes when its display is
 * unplugged. The placement math itself is `shared/layouts.ts`. Units: DIP px in Electron screen
 * coordinates; times in ms since epoch.
 */
import {
  arrangementKey,
  placeWindow,
  type ChartLayout,
  type DisplayInfo,
  type Layout,
  type Placement,
  type Rect,
  type WindowLayout,
} from '../../shared/layouts';
import type { WindowStateReport } from '../../shared/preload-api';
import { DEFAULT_LINK_COLOR, type WindowParams } from '../../shared/protocol';
import type { OpenOptions } from './window-manager';

/** Link group value meaning "linked to no group" (a saved layout stores it as `null`). */
const NO_GROUP = 'none';

/** What main reads from one open window when saving a layout. */
export interface CapturedWindow {
  /** The parameters it was opened with (used where it has not reported yet). */
  readonly params: WindowParams;
  /** Its latest state report, or null. */
  readonly report: WindowStateReport | null;
  /** Normal (un-maximized) bounds, `BrowserWindow.getNormalBounds()`, DIP px. */
  readonly bounds: Rect;
  readonly maximized: boolean;
  /** Id of the display it is on (`screen.getDisplayMatching(bounds).id`). */
  readonly displayId: number;
}

/** A saved window ready to open: its parameters (bounds included) and open options. */
export interface WindowToOpen {
  readonly params: WindowParams;
  readonly options: OpenOptions;
}

/** The {@link WindowLayout} of one open window: its latest report wins over its open parameters. */
export function windowLayoutOf(window: CapturedWindow): WindowLayout {
  const { params, report } = window;
  const symbol = report ? report.symbol : (params.symbol ?? null);
  const group = report ? report.group : (params.group ?? DEFAULT_LINK_COLOR);
  const chart: ChartLayout | undefined =
    params.kind !== 'chart' ? undefined : (report?.chart ?? (params.timeframe ? { timeframe: params.timeframe } : undefined));
  const { x, y, width, height } = window.bounds;
  return {
    kind: params.kind,
    ...(symbol ? { symbol } : {}),
    group: group === NO_GROUP ? null : group,
    bounds: { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) },
    displayId: window.displayId,
    ...(window.maximized ? { maximized: true } : {}),
    ...(chart ? { chart } : {}),
  };
}

/**
 * A layout named `name` of `windows` on the monitor arrangement of `displays`.
 * @param savedAt ms since epoch.
 */
export function captureLayout(name: string, windows: readonly CapturedWindow[], displays: readonly DisplayInfo[], savedAt: number): Layout {
  return { name: name.trim(), arrangementKey: arrangementKey(displays), windows: windows.map(windowLayoutOf), savedAt };
}

/** How a saved (and already placed) window reopens: bounds, symbol, group, chart timeframe and indicators, maximized. */
export function windowToOpen(window: WindowLayout): WindowToOpen {
  const params: WindowParams = {
    kind: window.kind,
    ...(window.symbol ? { symbol: window.symbol } : {}),
    group: window.group ?? NO_GROUP,
    ...(window.chart ? { timeframe: window.chart.timeframe } : {}),
    bounds: window.bounds,
  };
  const options: OpenOptions = {
    ...(window.chart?.indicators ? { indicators: window.chart.indicators } : {}),
    ...(window.maximized ? { maximized: true } : {}),
  };
  return { params, options };
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The display of `displays` holding the largest part of `bounds`, if any holds a part. */
function displayHolding(bounds: Rect, displays: readonly DisplayInfo[]): DisplayInfo | undefined {
  let winner: { display: DisplayInfo; area: number } | undefined;
  for (const display of displays) {
    const area = overlapArea(bounds, display.bounds);
    if (area > 0 && (!winner || area > winner.area)) winner = { display, area };
  }
  return winner?.display;
}

/**
 * Where a window goes after the displays changed, or null to leave it: it moves (with
 * {@link placeWindow}, fully visible) when the display it was on (the one of `previous` holding
 * most of it) is gone from `current`, or when no current display shows any part of it.
 * @param bounds the window's normal bounds now, DIP px.
 * @param previous the displays before the change; `current` the displays now.
 */
export function relocation(bounds: Rect, previous: readonly DisplayInfo[], current: readonly DisplayInfo[]): Placement | null {
  if (current.length === 0) return null;
  const before = displayHolding(bounds, previous);
  const vanished = before !== undefined && !current.some((d) => d.id === before.id);
  const visible = displayHolding(bounds, current) !== undefined;
  if (!vanished && visible) return null;
  const placement = placeWindow({ bounds, displayId: before?.id ?? Number.NaN }, current);
  return placement.moved ? placement : null;
}
