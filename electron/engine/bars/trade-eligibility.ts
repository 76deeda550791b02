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
