/**
 * Which prints may update a bar's high/low, open/close and volume, by sale condition.
 *
 * Source: the consolidated CTA (CTS) and UTP (UTDF) "sale condition" matrices, as published in
 * the CTA Consolidated Tape System Output Specification (Appendix) and the UTP Data Feed
 * specification, and mirrored by Polygon's condition table (`update_rules.consolidated`, see
 * `../shared/data/polygon/conditions.json`). A print updates a field only if every one of its
 * conditions allows it.
 *
 * Official open/close reports (Lean bits 26/24) are reports of a price already printed, not
 * trades: they update nothing.
 *
 * Providers' own codes are mapped onto the normalized bits here too, so every condition rule
 * lives in this one module: Alpaca passes the SIP's letter codes, whose meaning depends on the
 * tape (CTA for tapes A/B, UTP for tape C); Polygon sends its integer condition ids.
 */
import { TradeCondition as C } from '../../../shared/trade-conditions';

/** Rule per condition: [updatesHighLow, updatesOpenClose, updatesVolume]. */
const RULES: ReadonlyArray<readonly [flag: number, highLow: boolean, openClose: boolean, volume: boolean]> = [
  [C.Cash, false, false, true],
  [C.NextDay, false, false, true],
  [C.Seller, false, false, true],
  [C.DerivativelyPriced, true, false, true],
  [C.FormT, false, false, true],
  [C.SoldLate, true, false, true],
  [C.OutOfSequence, true, false, true],
  [C.AveragePrice, false, false, true],
  [C.PriceVariation, false, false, true],
  [C.PriorReferencePrice, true, false, true],
  [C.OfficialClose, false, false, false],
  [C.OfficialOpen, false, false, false],
  [C.Contingent, false, false, true],
  [C.OddLot, false, false, true],
];

function maskOf(column: 1 | 2 | 3): number {
  let mask = 0;
  for (const rule of RULES) if (!rule[column]) mask = (mask | rule[0]) >>> 0;
  return mask;
}

const NO_HIGH_LOW = maskOf(1);
const NO_OPEN_CLOSE = maskOf(2);
const NO_VOLUME = maskOf(3);

/** `true` when a print with these conditions may set a bar's high or low. */
export function updatesHighLow(conditions: number): boolean {
  return ((conditions & NO_HIGH_LOW) >>> 0) === 0;
}

/** `true` when a print with these conditions may set a bar's open or close (the last price). */
export function updatesOpenClose(conditions: number): boolean {
  return ((conditions & NO_OPEN_CLOSE) >>> 0) === 0;
}

/** `true` when a print with these conditions counts in volume. */
export function updatesVolume(conditions: number): boolean {
  return ((conditions & NO_VOLUME) >>> 0) === 0;
}

const bits = (...flags: number[]): number => flags.reduce((a, f) => (a | f) >>> 0, 0);

/**
 * CTA (CTS output spec, tapes A and B) sale-condition letters. 'I' is an odd-lot trade in the
 * current CTS spec (older tables, and Polygon's, list it as CAP election).
 */
const CTA_CODES: Readonly<Record<string, number>> = {
  '@': C.Regular, ' ': C.Regular, B: C.AveragePrice, C: C.Cash, E: C.AutoExecution, F: C.IntermarketSweep,
  H: C.PriceVariation, I: C.OddLot, K: C.Rule155, L: C.SoldLate, M: C.OfficialClose, N: C.NextDay, O: C.OpeningPrints,
  P: C.PriorReferencePrice, Q: C.OfficialOpen, R: C.Seller, T: C.FormT, U: bits(C.FormT, C.OutOfSequence), V: C.Contingent,
  X: C.Cross, Z: C.OutOfSequence, '4': C.DerivativelyPriced, '5': C.ReOpeningPrints, '6': C.ClosingPrints, '7': C.Contingent,
  '9': C.OfficialClose,
};

/** UTP (UTDF spec, tape C) sale-condition letters. */
const UTP_CODES: Readonly<Record<string, number>> = {
  '@': C.Regular, ' ': C.Regular, A: C.Acquisition, B: C.Bunched, C: C.Cash, D: C.Distribution, F: C.IntermarketSweep,
  G: C.SoldLate, H: C.PriceVariation, I: C.OddLot, K: C.Rule155, L: C.SoldLate, M: C.OfficialClose, N: C.NextDay,
  O: C.OpeningPrints, P: C.PriorReferencePrice, Q: C.OfficialOpen, R: C.Seller, S: C.Split, T: C.FormT,
  U: bits(C.FormT, C.OutOfSequence), V: C.Contingent, W: C.AveragePrice, X: C.Cross, Y: C.YellowFlag, Z: C.OutOfSequence,
  '1': C.Stopped, '4': C.DerivativelyPriced, '5': C.ReOpeningPrints, '6': C.ClosingPrints, '7': C.Contingent,
  '8': C.TradeThroughExempt, '9': C.OfficialClose,
};

/** Polygon (Massive) stock trade condition ids (`/v3/reference/conditions`). */
const POLYGON_CODES: Readonly<Record<number, number>> = {
  0: C.Regular, 1: C.Acquisition, 2: C.AveragePrice, 3: C.AutoExecution, 4: C.Bunched, 5: C.SoldLate, 6: C.CapElection,
  7: C.Cash, 8: C.ClosingPrints, 9: C.Cross, 10: C.DerivativelyPriced, 11: C.Distribution, 12: C.FormT,
  13: bits(C.FormT, C.OutOfSequence), 14: C.IntermarketSweep, 15: C.OfficialClose, 16: C.OfficialOpen, 17: C.OpeningPrints,
  18: C.ReOpeningPrints, 19: C.ClosingPrints, 20: C.NextDay, 21: C.PriceVariation, 22: C.PriorReferencePrice, 23: C.Rule155,
  24: C.Rule155, 25: C.OpeningPrints, 27: C.Stopped, 28: C.ReOpeningPrints, 29: C.Seller, 30: C.SoldLate,
  31: bits(C.SoldLate, C.Stopped), 32: C.OutOfSequence, 33: bits(C.OutOfSequence, C.Stopped), 34: C.Split, 35: C.StockOption,
  36: C.YellowFlag, 37: C.OddLot, 38: C.OfficialClose, 41: C.TradeThroughExempt, 52: C.Contingent, 53: C.Contingent,
};

/**
 * Normalized condition bits of an Alpaca trade's `c` codes on `tape` (`z`: A/B = CTA, C = UTP).
 * Unknown codes add nothing (the print counts as regular).
 */
export function alpacaConditions(codes: readonly unknown[], tape: string): number {
  const table = tape === 'C' ? UTP_BITS : CTA_BITS;
  let mask = 0;
  let counted = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (typeof code !== 'string') continue; // not a condition code: ignored
    counted++;
    // A Map: a code such as "constructor" finds nothing (no prototype to look through).
    mask = (mask | (table.get(code) ?? C.Regular)) >>> 0;
  }
  return counted === 0 ? C.Regular : mask;
}

/** The letter tables as Maps, for the lookup on every print. */
const CTA_BITS: ReadonlyMap<string, number> = new Map(Object.entries(CTA_CODES));
const UTP_BITS: ReadonlyMap<string, number> = new Map(Object.entries(UTP_CODES));

/** Normalized condition bits of a Polygon trade's `c` ids. Unknown ids add nothing. */
export function polygonConditions(ids: readonly number[]): number {
  let mask = ids.length === 0 ? C.Regular : 0;
  for (const id of ids) mask = (mask | (Object.hasOwn(POLYGON_CODES, id) ? (POLYGON_CODES[id] as number) : C.Regular)) >>> 0;
  return mask;
}
