/**
 * Our indicators against `technicalindicators@3` and `trading-signals@6` on the same real series
 * in the same run: incremental updates (one new value at a time, as a live chart feeds them) of
 * EMA(20), SMA(20), RSI(14), MACD(12,26,9) and Bollinger(20,2), and a numerical agreement check.
 *
 * APIs compared:
 * - ours: `update(x)` (electron/engine/indicators, TA-Lib conventions).
 * - technicalindicators: the streaming `nextValue(x)` of an instance built with `values: []`
 *   (generator-based). MACD with `SimpleMAOscillator: false, SimpleMASignal: false` (EMAs).
 * - trading-signals v6: `add(x)` (v6's public streaming call; `update(x, replace)` is the
 *   abstract primitive behind `add`/`replace`). The `Faster*` classes (plain `number`) are used,
 *   not the default big.js ones, which are much slower by design (arbitrary precision).
 *
 * Series: every trade price of SPY on 2013-10-07 (the longest single-symbol series in the
 * recorded data, ~250 k prints, suspicious prints dropped) for speed and agreement, and the
 * 1-minute closes of IBM built from its ticks for agreement on bar closes.
 *
 * Conventions that differ (and how the check allows for them):
 * - EMA: ours and technicalindicators seed with the SMA of the first N (TA-Lib); trading-signals'
 *   FasterEMA seeds with the first input and returns values from it. The seed difference decays
 *   as (1 − 2/(N+1))^i: compared from input {@link SETTLED} on.
 * - MACD: TA-Lib seeds the fast EMA with the SMA of inputs slow−fast+1…slow (aligned with the
 *   slow one); technicalindicators seeds it with the SMA of the first `fast` inputs;
 *   trading-signals seeds all three EMAs with their first input. All converge: compared from
 *   input {@link SETTLED}.
 * - RSI: all three use Wilder smoothing seeded by the simple average of the first N changes;
 *   technicalindicators rounds its output to 2 decimals (tolerance 0.005 there). TA-Lib (and so
 *   ours) returns 0 when avgGain + avgLoss < 1e-8: on a per-trade series that happens after
 *   ~190 unchanged prints in a row, where the others still give the ratio of the two tiny
 *   averages (or 100). Those inputs are counted apart (`conventional`), not as disagreements.
 * - Bollinger: population σ everywhere; ours uses a running sum of squares (TA-Lib), the others
 *   two passes over the window. trading-signals' first value comes one input later (N+1).
 */
import { BollingerBands as TiBollinger, EMA as TiEma, MACD as TiMacd, RSI as TiRsi, SMA as TiSma } from 'technicalindicators';
import { FasterBollingerBands, FasterEMA, FasterMACD, FasterRSI, FasterSMA, EMA as BigEma } from 'trading-signals';
import { Bollinger } from '../../electron/engine/indicators/bollinger';
import { Ema } from '../../electron/engine/indicators/ema';
import { Macd } from '../../electron/engine/indicators/macd';
import { Rsi } from '../../electron/engine/indicators/rsi';
import { Sma } from '../../electron/engine/indicators/sma';
import { SymbolBars } from '../../electron/engine/bars/symbol-bars';
import { leanPath, parseLeanTickTrades, readZippedCsv } from '../../electron/engine/feeds/lean-data';
import type { Bar, Trade } from '../../shared/domain';
import { LEAN_DIR } from '../support/shared-data';

/** Inputs after which seeding conventions no longer matter (a 1 USD seed difference decays below 1e-9 USD). */
const SETTLED = 300;
/** Inputs given to the big.js EMA (it slows down quadratically, see {@link bigEma}). */
const BIG_PREFIX = 1_000;
/** Agreement tolerance on price-valued outputs (EMA, SMA, MACD, bands), USD. */
const PRICE_TOLERANCE = 1e-6;
/** Agreement tolerance on RSI, points (technicalindicators: 0.005, it rounds to 2 decimals). */
const RSI_TOLERANCE = 1e-6;
const RSI_TOLERANCE_ROUNDED = 0.005 + 1e-9;

type Library = 'ours' | 'technicalindicators' | 'trading_signals';
const LIBRARIES: readonly Library[] = ['ours', 'technicalindicators', 'trading_signals'];

/** One raw result of a step (whatever the library returns). */
type Raw = unknown;
type Values = readonly number[] | null;

/**
 * One indicator in three libraries: `make` gives a fresh instance's step (the library's own call,
 * its own result, nothing added: what the speed loop times); `read` turns a result into the
 * outputs compared, in order (e.g. upper, middle, lower).
 */
interface Contender {
  readonly key: string;
  readonly make: Record<Library, () => (x: number) => Raw>;
  readonly read: Record<Library, (raw: Raw) => Values>;
  readonly tolerance: (library: Library) => number;
  /** First input index compared: earlier outputs differ by seeding convention (documented per indicator), not by error. */
  readonly comparedFrom: (library: Library) => number;
  /** A known convention difference at this input (counted apart, not compared). */
  readonly conventional?: (ours: readonly number[], theirs: readonly number[]) => boolean;
}

const price = (): number => PRICE_TOLERANCE;
const scalar = (v: Raw): Values => (typeof v === 'number' ? [v] : null);
const scalars: Record<Library, (raw: Raw) => Values> = { ours: scalar, technicalindicators: scalar, trading_signals: scalar };
const bands = (raw: Raw): Values => {
  const v = raw as { upper: number; middle: number; lower: number } | null | undefined;
  return v ? [v.upper, v.middle, v.lower] : null;
};

// Each `make` spells out its own step rather than sharing a generic adapter: closures from one
// shared literal would share their call-site feedback, so `i.update(x)` would turn polymorphic
// across the indicators and the speed loop would time V8's dispatch, not the libraries.
const CONTENDERS: readonly Contender[] = [
  {
    key: 'ema20',
    make: {
      ours: () => {
        const i = new Ema(20);
        return (x) => i.update(x);
      },
      technicalindicators: () => {
        const i = new TiEma({ period: 20, values: [] });
        return (x) => i.nextValue(x);
      },
      trading_signals: () => {
        const i = new FasterEMA(20);
        return (x) => i.add(x);
      },
    },
    read: scalars,
    tolerance: price,
    comparedFrom: (l) => (l === 'trading_signals' ? SETTLED : 0),
  },
  {
    key: 'sma20',
    make: {
      ours: () => {
        const i = new Sma(20);
        return (x) => i.update(x);
      },
      technicalindicators: () => {
        const i = new TiSma({ period: 20, values: [] });
        return (x) => i.nextValue(x);
      },
      trading_signals: () => {
        const i = new FasterSMA(20);
        return (x) => i.add(x);
      },
    },
    read: scalars,
    tolerance: price,
    comparedFrom: () => 0,
  },
  {
    key: 'rsi14',
    make: {
      ours: () => {
        const i = new Rsi(14);
        return (x) => i.update(x);
      },
      technicalindicators: () => {
        const i = new TiRsi({ period: 14, values: [] });
        return (x) => i.nextValue(x);
      },
      trading_signals: () => {
        const i = new FasterRSI(14);
        return (x) => i.add(x);
      },
    },
    read: scalars,
    tolerance: (l) => (l === 'technicalindicators' ? RSI_TOLERANCE_ROUNDED : RSI_TOLERANCE),
    comparedFrom: () => 0,
    conventional: (ours, theirs) => ours[0] === 0 && theirs[0] !== 0,
  },
  {
    key: 'macd12_26_9',
    make: {
      ours: () => {
        const i = new Macd(12, 26, 9);
        return (x) => i.update(x);
      },
      technicalindicators: () => {
        const i = new TiMacd({ fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false, values: [] });
        return (x) => i.nextValue(x);
      },
      trading_signals: () => {
        const i = new FasterMACD(new FasterEMA(12), new FasterEMA(26), new FasterEMA(9));
        return (x) => i.add(x);
      },
    },
    read: {
      ours: (raw) => {
        const v = raw as ReturnType<Macd['update']>;
        return v && v.signal !== null && v.histogram !== null ? [v.macd, v.signal, v.histogram] : null;
      },
      technicalindicators: (raw) => {
        const v = raw as { MACD?: number; signal?: number; histogram?: number } | undefined;
        return v && v.MACD !== undefined && v.signal !== undefined && v.histogram !== undefined ? [v.MACD, v.signal, v.histogram] : null;
      },
      trading_signals: (raw) => {
        const v = raw as ReturnType<FasterMACD['add']>;
        return v ? [v.macd, v.signal, v.histogram] : null;
      },
    },
    tolerance: price,
    comparedFrom: (l) => (l === 'ours' ? 0 : SETTLED),
  },
  {
    key: 'bollinger20_2',
    make: {
      ours: () => {
        const i = new Bollinger(20, 2);
        return (x) => i.update(x);
      },
      technicalindicators: () => {
        const i = new TiBollinger({ period: 20, stdDev: 2, values: [] });
        return (x) => i.nextValue(x);
      },
      trading_signals: () => {
        const i = new FasterBollingerBands(20, 2);
        return (x) => i.add(x);
      },
    },
    read: { ours: bands, technicalindicators: bands, trading_signals: bands },
    tolerance: price,
    comparedFrom: () => 0,
  },
];

/** Agreement of one library with ours on one series. */
export interface Agreement {
  readonly compared: number;
  readonly maxAbsDiff: number;
  /** Inputs where the difference exceeds the tolerance. */
  readonly outside: number;
  readonly tolerance: number;
  /** Inputs where exactly one of the two has a value (warm-up length conventions). */
  readonly presenceDiffers: number;
  /** Index of the largest difference. */
  readonly worstAt: number;
  /** Inputs skipped as a documented convention difference (RSI's TA-Lib zero clamp). */
  readonly conventional: number;
}

function outputs(contender: Contender, library: Library, series: Float64Array): Values[] {
  const step = contender.make[library]();
  const read = contender.read[library];
  const out = new Array<Values>(series.length);
  for (let i = 0; i < series.length; i++) out[i] = read(step(series[i] as number));
  return out;
}

function agree(contender: Contender, library: Library, series: Float64Array, ours: readonly Values[]): Agreement {
  const theirs = outputs(contender, library, series);
  const tolerance = contender.tolerance(library);
  let compared = 0;
  let maxAbsDiff = 0;
  let outside = 0;
  let presenceDiffers = 0;
  let worstAt = -1;
  let conventional = 0;
  for (let i = contender.comparedFrom(library); i < series.length; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (!a || !b) {
      if (a || b) presenceDiffers++;
      continue;
    }
    if (contender.conventional?.(a, b)) {
      conventional++;
      continue;
    }
    compared++;
    let diff = 0;
    for (let k = 0; k < a.length; k++) diff = Math.max(diff, Math.abs((a[k] as number) - (b[k] as number)));
    if (!(diff <= tolerance)) outside++;
    if (!(diff <= maxAbsDiff)) {
      maxAbsDiff = diff;
      worstAt = i;
    }
  }
  return { compared, maxAbsDiff, outside, tolerance, presenceDiffers, worstAt, conventional };
}

/** Updates per second of one fresh instance fed the whole series one value at a time. */
function rate(make: () => (x: number) => Raw, series: Float64Array): number {
  const step = make();
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < series.length; i++) if (step(series[i] as number) != null) sink++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink === 0) throw new Error('no values');
  return series.length / seconds;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Trade prices of one symbol and date, in time order (suspicious prints dropped by the parser). */
function tradePrices(symbol: string, date: string): { prices: Float64Array; trades: Trade[] } {
  const trades = parseLeanTickTrades(readZippedCsv(leanPath(LEAN_DIR, 'tick', symbol, date, 'trade')), symbol, date, { rows: 0, malformed: 0, suspicious: 0 });
  trades.sort((a, b) => a.time - b.time);
  return { prices: Float64Array.from(trades, (t) => t.price), trades };
}

/** Closes of the 1-minute bars built from `trades` by our bar builder. */
function minuteCloses(symbol: string, trades: readonly Trade[]): Float64Array {
  const bars: Bar[] = [];
  const series = new SymbolBars(symbol, (tf, bar) => tf === '1m' && bars.push(bar), { timeframes: ['1m'] });
  for (const t of trades) series.addTrade(t);
  series.finish();
  return Float64Array.from(bars, (b) => b.close);
}

/**
 * trading-signals' default (big.js) EMA(20) on the first {@link BIG_PREFIX} prices, updates/s
 * and the digits its value carries by then. Its multiplications are exact, so the value gains
 * ~16 digits per update and each update gets slower (quadratic): why the Faster* classes are
 * the ones compared.
 */
function bigEma(series: Float64Array): { rate: number; digits: number } {
  const i = new BigEma(20);
  let last: ReturnType<BigEma['add']> = null;
  const start = process.hrtime.bigint();
  for (let k = 0; k < BIG_PREFIX; k++) last = i.add(series[k] as number);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (last === null) throw new Error('unreachable');
  return { rate: BIG_PREFIX / seconds, digits: last.c.length };
}

/**
 * Runs the comparison (`runs` timed passes per library and indicator, rotated order, medians).
 * Returns flat figures for bench-results/latest.json: `indicator_<key>_updates_per_s` (ours),
 * `indicator_<key>_technicalindicators_updates_per_s`, `indicator_<key>_trading_signals_updates_per_s`,
 * `indicator_<key>_vs_technicalindicators` / `_vs_trading_signals` (ours ÷ theirs), and the
 * agreement (`indicator_<key>_max_diff_<library>` over both series, and `indicator_agreement_ok`).
 * @throws when the recorded data is absent.
 */
export function runIndicatorComparison(options: { runs?: number; log?: (line: string) => void } = {}): Record<string, number | string | boolean> {
  const runs = options.runs ?? 5;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const spy = tradePrices('SPY', '2013-10-07');
  const ibm = tradePrices('IBM', '2013-10-07');
  const ibmCloses = minuteCloses('IBM', ibm.trades);
  const series = { spy_trades: spy.prices, ibm_1m_closes: ibmCloses };
  const results: Record<string, number | string | boolean> = {
    indicator_comparison_series: `SPY 2013-10-07 every trade price (${spy.prices.length} values) for speed; agreement also on IBM 2013-10-07 1-minute closes (${ibmCloses.length})`,
    indicator_comparison_apis: 'ours update(); technicalindicators@3 nextValue(); trading-signals@6 add() on Faster* (number) classes',
  };
  let allAgree = true;
  // Agreement first (also warms every implementation up).
  for (const contender of CONTENDERS) {
    for (const library of LIBRARIES) {
      if (library === 'ours') continue;
      let worst: Agreement | null = null;
      let conventional = 0;
      for (const [name, values] of Object.entries(series)) {
        const ours = outputs(contender, 'ours', values);
        const a = agree(contender, library, values, ours);
        log(`agreement ${contender.key} ${library} on ${name}: ${a.compared} compared, max |Δ| ${a.maxAbsDiff.toExponential(2)} (at ${a.worstAt}), ${a.outside} beyond ${a.tolerance}, ${a.presenceDiffers} warm-up differences, ${a.conventional} convention differences`);
        if (a.outside > 0) allAgree = false;
        conventional += a.conventional;
        if (!worst || a.maxAbsDiff > worst.maxAbsDiff) worst = a;
      }
      results[`indicator_${contender.key}_max_diff_${library}`] = Number((worst as Agreement).maxAbsDiff.toPrecision(3));
      if (contender.conventional) results[`indicator_${contender.key}_convention_differences_${library}`] = conventional;
    }
  }
  results.indicator_agreement_ok = allAgree;
  // Speed: rotated order per run, each figure the median of `runs`.
  const rates = new Map<string, number[]>();
  for (let r = 0; r < runs; r++) {
    for (const contender of CONTENDERS) {
      for (let j = 0; j < LIBRARIES.length; j++) {
        const library = LIBRARIES[(j + r) % LIBRARIES.length] as Library;
        const key = `${contender.key} ${library}`;
        const list = rates.get(key) ?? [];
        list.push(rate(contender.make[library], spy.prices));
        rates.set(key, list);
      }
    }
  }
  for (const contender of CONTENDERS) {
    const ours = median(rates.get(`${contender.key} ours`) ?? []);
    const ti = median(rates.get(`${contender.key} technicalindicators`) ?? []);
    const ts = median(rates.get(`${contender.key} trading_signals`) ?? []);
    results[`indicator_${contender.key}_updates_per_s`] = Math.round(ours);
    results[`indicator_${contender.key}_technicalindicators_updates_per_s`] = Math.round(ti);
    results[`indicator_${contender.key}_trading_signals_updates_per_s`] = Math.round(ts);
    results[`indicator_${contender.key}_vs_technicalindicators`] = Number((ours / ti).toFixed(2));
    results[`indicator_${contender.key}_vs_trading_signals`] = Number((ours / ts).toFixed(2));
  }
  const big = bigEma(spy.prices);
  results.indicator_ema20_trading_signals_bigjs_first_1000_updates_per_s = Math.round(big.rate);
  results.indicator_ema20_trading_signals_bigjs_digits_after_1000 = big.digits;
  return results;
}
