import { describe, expect, it } from 'vitest';
import { Ema } from '../../../electron/engine/indicators/ema';
import { HAS_LEAN_DATA, NO_DATA_REASON, readReferenceCsv } from '../../support/shared-data';
import { replayDay } from '../../support/replay-bars';
import { talibEma } from '../../support/talib';

function emaSeries(values: readonly number[], period: number): Array<number | null> {
  const ema = new Ema(period);
  return values.map((v) => ema.update(v));
}

function minuteCloses(symbol: string, date: string): number[] {
  return replayDay(symbol, date).bars.map(({ bar }) => bar.close);
}

describe('EMA (TA-Lib convention)', () => {
  it('is null until N inputs, then starts at the SMA of the first N', () => {
    const out = emaSeries([1, 2, 3, 4, 5], 3);
    expect(out.slice(0, 2)).toEqual([null, null]);
    expect(out[2]).toBe(2);
    expect(out[3]).toBeCloseTo(3, 12);
  });

  it('preview gives the value update would commit, without committing', () => {
    const ema = new Ema(3);
    for (const v of [10, 11]) ema.update(v);
    expect(ema.preview(12)).toBe(11);
    expect(ema.current).toBeNull();
    expect(ema.update(12)).toBe(11);
    const preview = ema.preview(20);
    expect(ema.update(20)).toBe(preview);
  });

  it('rejects a period that is not a positive integer', () => {
    expect(() => new Ema(0)).toThrow(RangeError);
    expect(() => new Ema(2.5)).toThrow(RangeError);
  });

  describe.skipIf(!HAS_LEAN_DATA)(`on recorded data (${NO_DATA_REASON})`, () => {
    for (const [symbol, date] of [
      ['IBM', '2013-10-07'],
      ['IBM', '2013-10-08'],
      ['SPY', '2013-10-07'],
    ] as const) {
      it(`equals TA-Lib's EMA(9) and EMA(20) to 1e-9 on ${symbol} ${date} minute closes`, () => {
        const closes = minuteCloses(symbol, date);
        expect(closes.length).toBeGreaterThan(300);
        for (const period of [9, 20]) {
          const ours = emaSeries(closes, period);
          const oracle = talibEma(closes, period);
          expect(ours.map((v) => v === null)).toEqual(oracle.map((v) => v === null));
          ours.forEach((v, i) => {
            if (v !== null) expect(Math.abs(v - (oracle[i] as number))).toBeLessThan(1e-9);
          });
        }
      });
    }

    it('matches the Lean reference EMA(14) on monthly SPY closes (spy_ema.csv)', () => {
      const rows = readReferenceCsv('spy_ema.csv');
      const ours = emaSeries(rows.map((r) => Number(r.close)), 14);
      let compared = 0;
      rows.forEach((r, i) => {
        const expected = Number(r.EMA14);
        if (Number.isNaN(expected)) {
          expect(ours[i]).toBeNull();
          return;
        }
        expect(Math.abs((ours[i] as number) - expected)).toBeLessThan(1e-9);
        compared++;
      });
      expect(compared).toBeGreaterThan(300);
    });

    it('matches the Lean reference EMA14 column of spy_with_indicators.txt to a cent (it is printed to cents)', () => {
      const rows = readReferenceCsv('spy_with_indicators.txt');
      const ours = emaSeries(rows.map((r) => Number(r.Close)), 14);
      let compared = 0;
      rows.forEach((r, i) => {
        if (r.EMA14 === '') return;
        expect(Math.abs((ours[i] as number) - Number(r.EMA14))).toBeLessThanOrEqual(0.01); // the reference is printed to cents
        compared++;
      });
      expect(compared).toBeGreaterThan(400);
    });
  });
});
