/**
 * This window's own state that a saved layout keeps: symbol, link colour and chart settings.
 * Windows write it as they change; it is reported to the Electron main process (for layouts
 * saved there) and exposed on `window.workstationWindowState` for the headless host's launcher,
 * which opens windows itself and reads them back (same origin).
 */
import { createStore } from 'zustand/vanilla';
import type { ChartLayout } from '../shared/layouts';
import type { WindowStateReport } from '../shared/preload-api';

export const windowState = createStore<WindowStateReport>(() => ({ symbol: null, group: 'blue' }));

declare global {
  interface Window {
    /** Read by the headless host's launcher when it saves a layout of the windows it opened. */
    workstationWindowState?: () => WindowStateReport;
  }
}

window.workstationWindowState = () => windowState.getState();

/** Records the window's symbol and link colour. */
export function reportLink(symbol: string | null, group: string): void {
  const current = windowState.getState();
  if (current.symbol !== symbol || current.group !== group) windowState.setState({ symbol, group });
}

/** Records a chart window's timeframe and indicators. */
export function reportChart(chart: ChartLayout): void {
  const current = windowState.getState().chart;
  if (current?.timeframe !== chart.timeframe || current.indicators?.join() !== chart.indicators?.join()) windowState.setState({ chart });
}

/** Calls `send` with every change (debounced by a frame), e.g. the preload's `reportState`. */
export function forwardWindowState(send: (state: WindowStateReport) => void): () => void {
  let scheduled = false;
  send(windowState.getState());
  return windowState.subscribe(() => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      send(windowState.getState());
    }, 16);
  });
}
