/**
 * Chart window: candles of the linked symbol in the chosen timeframe, with the overlays the
 * trader picks (volume, VWAP and its bands, EMA 9/20, SMA 20, Bollinger; RSI and MACD in lower
 * panes), shaded pre-market and after-hours bars, working orders and the position as price
 * lines, fills as markers, and a crosshair shared within the link group. The chart itself lives
 * in a {@link WorkstationChart} created once per window and fed from the store without React.
 */
import { useEffect, useRef, useState } from 'react';
import { TIMEFRAMES, type Symbol, type Timeframe } from '../../../shared/domain';
import type { LinkGroup } from '../../../shared/protocol';
import { formatPrice } from '../../components/format';
import { reportChart } from '../../window-state';
import { useLinkedSymbol, useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';
import { WorkstationChart } from './chart-controller';
import { OverlayMenu } from './chart-overlay-menu';
import { OVERLAYS, chartParamsFrom, type OverlayId } from './chart-overlays';
import './chart.css';

/** Props of {@link ChartWindow}. */
export interface ChartWindowProps {
  readonly group: LinkGroup;
  readonly initialSymbol: string | null;
}

/** The chart window; timeframe and overlays start from the page URL (`?timeframe=5m&indicators=vwap,ema9,rsi`). */
export function ChartWindow({ group, initialSymbol }: ChartWindowProps) {
  const workstation = useWorkstation();
  const symbol = useLinkedSymbol(group, initialSymbol);
  const [initial] = useState(() => chartParamsFrom(window.location.search));
  const [timeframe, setTimeframe] = useState<Timeframe>(initial.timeframe);
  const [overlays, setOverlays] = useState<readonly OverlayId[]>(initial.overlays);
  useTopics(symbol ? [`bars:${symbol}:${timeframe}`, `quotes:${symbol}`, 'settings', 'orders', 'positions'] : ['settings']);
  const extendedHours = useWorkstationState((s) => s.settings?.charts.extendedHours ?? true);
  const stale = useWorkstationState((s) => (symbol ? (s.tickers[symbol]?.stale ?? false) : false));
  const halt = useWorkstationState((s) => (symbol ? (s.tickers[symbol]?.halt ?? null) : null));
  const luld = useWorkstationState((s) => (symbol ? (s.tickers[symbol]?.luld ?? null) : null));
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<WorkstationChart | null>(null);

  useEffect(() => {
    const element = containerRef.current;
    if (!element) return undefined;
    const chart = new WorkstationChart(element, workstation.store);
    chartRef.current = chart;
    return () => {
      chartRef.current = null;
      chart.dispose();
    };
  }, [workstation]);

  useEffect(() => chartRef.current?.setView({ symbol, timeframe, extendedHours }), [workstation, symbol, timeframe, extendedHours]);
  useEffect(() => chartRef.current?.setOverlays(overlays), [workstation, overlays]);
  useEffect(() => chartRef.current?.setCrosshairGroup(group), [workstation, group]);
  useEffect(() => reportChart({ timeframe, indicators: [...overlays] }), [timeframe, overlays]);

  return (
    <div className="chart-window">
      <div className="chart-header">
        <strong>{symbol ?? 'No symbol'}</strong>
        {halt ? (
          <span className="badge badge-halt" title={halt}>
            HALT
          </span>
        ) : stale ? (
          <span className="badge badge-stale" data-testid="stale-badge" title="No update at this symbol's usual rate: prices may be old">
            STALE
          </span>
        ) : null}
        {luld ? (
          <span className="luld" title="Limit up–limit down band: trading pauses outside it">
            LULD {luld.limitDown.toFixed(2)}–{luld.limitUp.toFixed(2)}
          </span>
        ) : null}
        <label className="inline-toggle">
          <input
            type="checkbox"
            checked={extendedHours}
            onChange={(e) => void workstation.client.request({ type: 'updateSettings', settings: { charts: { extendedHours: e.target.checked } } })}
          />
          Extended hours
        </label>
        <span className="timeframes" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((tf) => (
            <button key={tf} type="button" className="small" aria-pressed={tf === timeframe} onClick={() => setTimeframe(tf)}>
              {tf}
            </button>
          ))}
        </span>
        <OverlayMenu overlays={overlays} onChange={setOverlays} />
        <LastPrice symbol={symbol} />
        <span className="legend chart-legend">
          {overlays
            .filter((id) => id !== 'volume')
            .map((id) => (
              <span key={id} style={{ color: OVERLAYS[id].color }}>
                {OVERLAYS[id].label}
              </span>
            ))}
        </span>
      </div>
      <div
        className="chart-container"
        ref={containerRef}
        data-testid="chart"
        data-timeframe={timeframe}
        data-overlays={overlays.join(',')}
        aria-label={`${symbol ?? ''} ${timeframe} chart`}
        role="img"
      />
    </div>
  );
}

/** The symbol's last trade price, written straight into the DOM on each tick (no React render). */
function LastPrice({ symbol }: { readonly symbol: Symbol | null }) {
  const workstation = useWorkstation();
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const show = (last: number | null | undefined): void => {
      const text = formatPrice(last);
      if (ref.current && ref.current.textContent !== text) ref.current.textContent = text;
    };
    show(symbol ? workstation.store.getState().tickers[symbol]?.last : undefined);
    if (!symbol) return undefined;
    return workstation.store.subscribe((state, previous) => {
      const ticker = state.tickers[symbol];
      if (ticker !== previous.tickers[symbol]) show(ticker?.last);
    });
  }, [workstation, symbol]);
  return <span className="num" ref={ref} />;
}
