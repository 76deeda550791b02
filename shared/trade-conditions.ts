/**
 * Normalized sale-condition bits carried by {@link Trade.conditions}.
 *
 * The bit layout is QuantConnect Lean's `TradeConditionFlags` (one bit per consolidated
 * CTA/UTP condition), so recorded Lean data maps one to one; live providers map their own codes
 * (Alpaca letters, Polygon integers) onto these bits.
 */
export const TradeCondition = {
  Regular: 1 << 0,
  Cash: 1 << 1,
  NextDay: 1 << 2,
  Seller: 1 << 3,
  YellowFlag: 1 << 4,
  IntermarketSweep: 1 << 5,
  OpeningPrints: 1 << 6,
  ClosingPrints: 1 << 7,
  ReOpeningPrints: 1 << 8,
  DerivativelyPriced: 1 << 9,
  FormT: 1 << 10,
  SoldLate: 1 << 11,
  Stopped: 1 << 12,
  ExtendedHours: 1 << 13,
  OutOfSequence: 1 << 14,
  Split: 1 << 15,
  Acquisition: 1 << 16,
  Bunched: 1 << 17,
  StockOption: 1 << 18,
  Distribution: 1 << 19,
  AveragePrice: 1 << 20,
  Cross: 1 << 21,
  PriceVariation: 1 << 22,
  Rule155: 1 << 23,
  OfficialClose: 1 << 24,
  PriorReferencePrice: 1 << 25,
  OfficialOpen: 1 << 26,
  CapElection: 1 << 27,
  AutoExecution: 1 << 28,
  TradeThroughExempt: 1 << 29,
  /** Contingent or qualified contingent trade (Lean leaves bit 30 undocumented; we use it for these). */
  Contingent: 1 << 30,
  OddLot: 2 ** 31,
} as const;

/** `true` when `conditions` has every bit of `flag`. Works for bit 31 too (unsigned compare). */
export function hasCondition(conditions: number, flag: number): boolean {
  return ((conditions & flag) >>> 0) === flag >>> 0;
}
