/**
 * Options of every workstation window: locked down (sandbox, context isolation, no Node in the
 * renderer, no remote content) and sized for its kind.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { WINDOW_TITLES, type WindowParams } from '../../shared/protocol';

/** Default window size per window kind, DIP px. */
export const DEFAULT_WINDOW_SIZES: Readonly<Record<WindowParams['kind'], { width: number; height: number }>> = {
  launcher: { width: 420, height: 360 },
  watchlist: { width: 620, height: 420 },
  chart: { width: 1000, height: 640 },
  ticket: { width: 380, height: 460 },
  orders: { width: 1000, height: 480 },
  fills: { width: 820, height: 420 },
  positions: { width: 900, height: 460 },
  alerts: { width: 760, height: 420 },
  health: { width: 900, height: 380 },
  'time-and-sales': { width: 340, height: 560 },
  settings: { width: 820, height: 640 },
};

/**
 * BrowserWindow options for a window of `params.kind` using the preload at `preloadPath`. With
 * `params.bounds` (DIP px, screen coordinates; already placed on a display that exists) the
 * window opens exactly there; otherwise at its kind's default size where the OS puts it.
 */
export function browserWindowOptions(params: WindowParams, preloadPath: string): BrowserWindowConstructorOptions {
  const { bounds } = params;
  const place = bounds ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height } : { ...DEFAULT_WINDOW_SIZES[params.kind] };
  return {
    ...place,
    minWidth: 320,
    minHeight: 240,
    title: params.symbol ? `${WINDOW_TITLES[params.kind]} — ${params.symbol}` : WINDOW_TITLES[params.kind],
    backgroundColor: '#0f1115',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}

/**
 * Query string values the renderer reads to know which window it is: `window` (kind), `symbol`,
 * `group`, and for charts `timeframe` and `indicators` (a comma-separated list of overlay names,
 * e.g. `vwap,ema9,rsi`; empty means none, absent means the chart's defaults).
 */
export function rendererQuery(params: WindowParams, indicators?: readonly string[]): Record<string, string> {
  const query: Record<string, string> = { window: params.kind };
  if (params.symbol) query.symbol = params.symbol;
  if (params.group) query.group = params.group;
  if (params.timeframe) query.timeframe = params.timeframe;
  if (indicators) query.indicators = indicators.join(',');
  return query;
}
