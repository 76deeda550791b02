/** Builds bars from recorded ticks the way the engine does, for tests. */
import type { Bar, BarIndicators, Timeframe, Trade } from '../../shared/domain';
import { SymbolBars } from '../../electron/engine/bars/symbol-bars';
import { leanPath, parseLeanTickTrades, readZippedCsv } from '../../electron/engine/feeds/lean-data';
import { LEAN_DIR } from './shared-data';

export interface ReplayedDay {
  readonly trades: readonly Trade[];
  /** Closed 1-minute bars. */
  readonly bars: ReadonlyArray<{ bar: Bar; indicators: BarIndicators }>;
  /** Closed bars per timeframe. */
  readonly byTimeframe: ReadonlyMap<Timeframe, ReadonlyArray<{ bar: Bar; indicators: BarIndicators }>>;
}

export function replayDay(symbol: string, date: string, indicators?: readonly string[]): ReplayedDay {
  const counts = { rows: 0, malformed: 0, suspicious: 0 };
  const trades = parseLeanTickTrades(readZippedCsv(leanPath(LEAN_DIR, 'tick', symbol, date, 'trade')), symbol, date, counts);
  const byTimeframe = new Map<Timeframe, Array<{ bar: Bar; indicators: BarIndicators }>>();
  const series = new SymbolBars(
    symbol,
    (timeframe, bar, values) => {
      const list = byTimeframe.get(timeframe) ?? [];
      list.push({ bar, indicators: values });
      byTimeframe.set(timeframe, list);
    },
    indicators ? { indicators } : {},
  );
  for (const t of trades) series.addTrade(t);
  series.finish();
  return { trades, bars: byTimeframe.get('1m') ?? [], byTimeframe };
}
