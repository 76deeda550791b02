/**
 * A configurable set of indicators over one bar series, named by spec strings:
 *
 * | spec | value |
 * |---|---|
 * | `sma20`, `ema9`, `rsi14`, `atr14` | SMA / EMA / RSI (Wilder) / ATR (Wilder) with that period |
 * | `bbUpper20`, `bbMiddle20`, `bbLower20` | Bollinger Bands (SMA 20, 2 population σ) |
 * | `macd`, `macdSignal`, `macdHist` | MACD 12/26/9 (`macd5_35_5Signal` for other periods) |
 * | `sessionVwap`, `vwapUpper1`, `vwapLower1`, `vwapUpper2`, `vwapLower2` | session VWAP and ±1σ/±2σ bands |
 * | `relativeVolume` | bar volume ÷ average of the same bar over the last 10 sessions |
 *
 * Price indicators read the close unless the spec names another source after a colon:
 * `ema9:hlc3` (`open`, `high`, `low`, `close`, `hl2`, `hlc3`, `ohlc4`). All are TA-Lib
 * conventions and O(1) per update; {@link IndicatorSet.preview} values the forming bar without
 * committing it.
 */
import type { Bar, BarIndicators } from '../../../shared/domain';
import { Atr } from './atr';
import { Bollinger } from './bollinger';
import { Ema } from './ema';
import { Macd } from './macd';
import { Rsi } from './rsi';
import type { VwapSnapshot } from './session-vwap';
import { Sma } from './sma';

/** The indicators the chart and the replay CLI show by default (the chart's overlays need every one, VWAP bands included). */
export const DEFAULT_INDICATORS: readonly string[] = [
  'sma20', 'ema9', 'ema20', 'rsi14', 'bbUpper20', 'bbMiddle20', 'bbLower20', 'macd', 'macdSignal', 'macdHist', 'atr14', 'sessionVwap',
  'vwapUpper1', 'vwapLower1', 'vwapUpper2', 'vwapLower2',
];

/** Every named indicator `--indicators all` prints. */
export const ALL_INDICATORS: readonly string[] = [...DEFAULT_INDICATORS, 'relativeVolume'];

export type PriceSource = 'open' | 'high' | 'low' | 'close' | 'hl2' | 'hlc3' | 'ohlc4';
const SOURCES: Readonly<Record<PriceSource, (b: Bar) => number>> = {
  open: (b) => b.open,
  high: (b) => b.high,
  low: (b) => b.low,
  close: (b) => b.close,
  hl2: (b) => (b.high + b.low) / 2,
  hlc3: (b) => (b.high + b.low + b.close) / 3,
  ohlc4: (b) => (b.open + b.high + b.low + b.close) / 4,
};

/** Values an indicator set takes from outside the bar series. */
export interface IndicatorContext {
  readonly vwap: VwapSnapshot;
  readonly relativeVolume: number | null;
}

/** One computation that fills one or more named fields. */
interface Computation {
  update(bar: Bar, ctx: IndicatorContext, out: Record<string, number | null>): void;
  preview(bar: Bar, ctx: IndicatorContext, out: Record<string, number | null>): void;
}

function single(field: string, source: (b: Bar) => number, indicator: { update(x: number): number | null; preview(x: number): number | null }): Computation {
  return {
    update: (bar, _ctx, out) => void (out[field] = indicator.update(source(bar))),
    preview: (bar, _ctx, out) => void (out[field] = indicator.preview(source(bar))),
  };
}

/**
 * Parses a comma-separated indicator list (`all` for every one).
 * @throws {RangeError} naming the first unknown spec.
 */
export function parseIndicatorList(text: string): string[] {
  if (text.trim() === 'all') return [...ALL_INDICATORS];
  const specs = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const spec of specs) new IndicatorSet([spec]);
  return specs;
}

/** Which output of a multi-line indicator a spec asks for. */
type GroupField = { readonly spec: string; readonly pick: string };

export class IndicatorSet {
  private readonly computations: Computation[] = [];

  /** @throws {RangeError} for an unknown spec or a bad period. */
  constructor(readonly specs: readonly string[]) {
    const groups = new Map<string, { make: () => Bollinger | Macd; source: (b: Bar) => number; fields: GroupField[] }>();
    for (const spec of specs) {
      const simple = this.build(spec, groups);
      if (simple) this.computations.push(simple);
    }
    for (const group of groups.values()) this.computations.push(groupComputation(group.make(), group.source, group.fields));
  }

  /** Commits a closed bar; returns every field. */
  update(bar: Bar, ctx: IndicatorContext): BarIndicators {
    const out: Record<string, number | null> = {};
    for (const c of this.computations) c.update(bar, ctx, out);
    return out;
  }

  /** Fields for the forming bar, without committing it. */
  preview(bar: Bar, ctx: IndicatorContext): BarIndicators {
    const out: Record<string, number | null> = {};
    for (const c of this.computations) c.preview(bar, ctx, out);
    return out;
  }

  /** A computation for a single-value spec, or null after adding a band/MACD field to its group. */
  private build(
    spec: string,
    groups: Map<string, { make: () => Bollinger | Macd; source: (b: Bar) => number; fields: GroupField[] }>,
  ): Computation | null {
    const [name = '', sourceName = 'close'] = spec.split(':');
    const source = SOURCES[sourceName as PriceSource];
    if (!source) throw new RangeError(`Unknown price source "${sourceName}" in ${spec} (use ${Object.keys(SOURCES).join(', ')})`);
    const addToGroup = (key: string, make: () => Bollinger | Macd, pick: string): null => {
      const group = groups.get(key) ?? { make, source, fields: [] };
      group.fields.push({ spec, pick });
      groups.set(key, group);
      return null;
    };
    let m: RegExpExecArray | null;
    if ((m = /^(sma|ema|rsi|atr)(\d+)$/.exec(name))) {
      const period = Number(m[2]);
      if (m[1] === 'sma') return single(spec, source, new Sma(period));
      if (m[1] === 'ema') return single(spec, source, new Ema(period));
      if (m[1] === 'rsi') return single(spec, source, new Rsi(period));
      const atr = new Atr(period);
      return { update: (bar, _c, out) => void (out[spec] = atr.update(bar)), preview: (bar, _c, out) => void (out[spec] = atr.preview(bar)) };
    }
    if ((m = /^bb(Upper|Middle|Lower)(\d+)$/.exec(name))) {
      const period = Number(m[2]);
      new Bollinger(period); // validates the period now, naming the spec's problem
      return addToGroup(`bb:${period}:${sourceName}`, () => new Bollinger(period, 2), (m[1] ?? '').toLowerCase());
    }
    if ((m = /^macd(?:(\d+)_(\d+)_(\d+))?(Signal|Hist)?$/.exec(name))) {
      const [fast, slow, signal] = m[1] ? [Number(m[1]), Number(m[2]), Number(m[3])] : [12, 26, 9];
      new Macd(fast, slow, signal);
      const pick = m[4] === 'Signal' ? 'signal' : m[4] === 'Hist' ? 'histogram' : 'macd';
      return addToGroup(`macd:${fast}:${slow}:${signal}:${sourceName}`, () => new Macd(fast, slow, signal), pick);
    }
    if ((m = /^(?:sessionVwap|vwap(Upper|Lower)([12]))$/.exec(name))) {
      const side = m[1] === 'Upper' ? 1 : m[1] === 'Lower' ? -1 : 0;
      const k = Number(m[2] ?? 0);
      const value = (ctx: IndicatorContext): number | null =>
        ctx.vwap.vwap === null ? null : side === 0 ? ctx.vwap.vwap : ctx.vwap.vwap + side * k * (ctx.vwap.sigma ?? 0);
      return { update: (_b, ctx, out) => void (out[spec] = value(ctx)), preview: (_b, ctx, out) => void (out[spec] = value(ctx)) };
    }
    if (name === 'relativeVolume') {
      return {
        update: (_b, ctx, out) => void (out[spec] = ctx.relativeVolume),
        preview: (_b, ctx, out) => void (out[spec] = ctx.relativeVolume),
      };
    }
    throw new RangeError(`Unknown indicator "${spec}" (known: ${ALL_INDICATORS.join(', ')}, or sma/ema/rsi/atr with any period)`);
  }
}

/** One Bollinger or MACD instance filling every field asked of it. */
function groupComputation(indicator: Bollinger | Macd, source: (b: Bar) => number, fields: readonly GroupField[]): Computation {
  const write = (value: object | null, out: Record<string, number | null>): void => {
    for (const f of fields) out[f.spec] = value === null ? null : ((value as Record<string, number | null>)[f.pick] ?? null);
  };
  return {
    update: (bar, _c, out) => write(indicator.update(source(bar)), out),
    preview: (bar, _c, out) => write(indicator.preview(source(bar)), out),
  };
}
