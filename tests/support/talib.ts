/** TA-Lib (the `talib` npm package, built from TA-Lib's C source) as a test oracle. */
import { createRequire } from 'node:module';

interface TalibResult {
  begIndex: number;
  nbElement: number;
  result: Record<string, number[]>;
}
interface Talib {
  execute(params: Record<string, unknown>): TalibResult;
}

const talib = createRequire(import.meta.url)('talib') as Talib;

/** TA-Lib's EMA of `values`, aligned to the input (null before the first output). */
export function talibEma(values: readonly number[], period: number): Array<number | null> {
  const r = talib.execute({ name: 'EMA', startIdx: 0, endIdx: values.length - 1, inReal: [...values], optInTimePeriod: period });
  const out: Array<number | null> = values.map(() => null);
  (r.result.outReal ?? []).forEach((v, i) => {
    out[r.begIndex + i] = v;
  });
  return out;
}

/** Runs any TA-Lib function over OHLC arrays; returns each output aligned to the input. */
export function talibRun(
  name: string,
  series: { open?: readonly number[]; high?: readonly number[]; low?: readonly number[]; close: readonly number[] },
  options: Record<string, number>,
): Record<string, Array<number | null>> {
  const r = talib.execute({
    name,
    startIdx: 0,
    endIdx: series.close.length - 1,
    inReal: [...series.close],
    open: series.open ? [...series.open] : undefined,
    high: series.high ? [...series.high] : undefined,
    low: series.low ? [...series.low] : undefined,
    close: [...series.close],
    ...options,
  });
  const out: Record<string, Array<number | null>> = {};
  for (const [key, values] of Object.entries(r.result)) {
    const aligned: Array<number | null> = series.close.map(() => null);
    values.forEach((v, i) => {
      aligned[r.begIndex + i] = v;
    });
    out[key] = aligned;
  }
  return out;
}
