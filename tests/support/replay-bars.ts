/** Builds minute bars from recorded ticks the way the engine does, for tests. */
import type { Bar, BarIndicators, Trade } from '../../shared/domain';
import { MinuteSeries } from '../../electron/engine/bars/minute-series';
import { leanPath, parseLeanTickTrades, readZippedCsv } from '../../electron/engine/feeds/lean-data';
import { LEAN_DIR } from './shared-data';

export interface ReplayedDay {
  readonly trades: readonly Trade[];
  readonly bars: ReadonlyArray<{ bar: Bar; indicators: BarIndicators }>;
}

export function replayDay(symbol: string, date: string): ReplayedDay {
  const counts = { rows: 0, malformed: 0, suspicious: 0 };
  const trades = parseLeanTickTrades(readZippedCsv(leanPath(LEAN_DIR, 'tick', symbol, date, 'trade')), symbol, date, counts);
  const bars: Array<{ bar: Bar; indicators: BarIndicators }> = [];
  const series = new MinuteSeries(symbol, (bar, indicators, final) => {
    if (final) bars.push({ bar, indicators });
  });
  for (const t of trades) series.addTrade(t);
  series.finish();
  return { trades, bars };
}
