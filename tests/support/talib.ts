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
