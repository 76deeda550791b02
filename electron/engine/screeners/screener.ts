/**
 * Screeners evaluate each closed 1-minute bar of the regular session and may propose a trade.
 * They are pure rules over the bar and its context; rate limiting and alert building are the
 * runner's (`screener-runner.ts`).
 */
import type { Bar, TradeSuggestion } from '../../../shared/domain';
import { roundToTick } from '../../../shared/price';

/** What a screener knows when a bar closes. */
export interface ScreenerBarContext {
  readonly bar: Bar;
  /** Session VWAP at the bar's close, USD. */
  readonly sessionVwap: number | null;
  /** Previous session's close, USD. */
  readonly previousClose: number | null;
  /** Session volume so far ÷ the usual volume by this time of day. */
  readonly cumulativeRelativeVolume: number | null;
}

/** A screener's verdict: the values behind it, a one-line reason and a suggested trade. */
export interface ScreenerHit {
  readonly values: Readonly<Record<string, number>>;
  readonly message: string;
  readonly suggestion: TradeSuggestion;
}

/** A screener for one symbol (it may keep state across bars). */
export interface SymbolScreener {
  onBar(ctx: ScreenerBarContext): ScreenerHit | null;
}

/** A long trade from entry and stop with the target at `rewardRisk` R; null when the stop is not below the entry. */
export function longSuggestion(entry: number, stop: number, rewardRisk: number): TradeSuggestion | null {
  const roundedEntry = roundToTick(entry);
  const roundedStop = roundToTick(stop);
  if (!(roundedStop < roundedEntry)) return null;
  const target = roundToTick(roundedEntry + rewardRisk * (roundedEntry - roundedStop));
  return { side: 'buy', entry: roundedEntry, stop: roundedStop, target, rewardRisk };
}

export const usd = (n: number): string => `$${n.toFixed(2)}`;
