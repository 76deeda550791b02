/**
 * Gap & Go: a stock that gapped up from the previous close by at least `minGapPercent`, trades
 * at least `minRelativeVolume` times its usual volume for the time of day, and holds above
 * session VWAP. Suggests buying at the bar's close with the stop under VWAP and the target at
 * `rewardRisk` R. Confidence grows with the gap: 0.5 at the threshold, 1 at twice it.
 */
import type { GapAndGoParams } from '../../../shared/domain';
import { longSuggestion, usd, type ScreenerBarContext, type ScreenerHit, type SymbolScreener } from './screener';

export class GapAndGo implements SymbolScreener {
  constructor(private readonly params: GapAndGoParams) {}

  onBar({ bar, sessionVwap, previousClose, cumulativeRelativeVolume }: ScreenerBarContext): ScreenerHit | null {
    if (bar.session !== 'regular' || sessionVwap === null || !previousClose || cumulativeRelativeVolume === null) return null;
    const gapPercent = ((bar.close - previousClose) / previousClose) * 100;
    const p = this.params;
    if (gapPercent < p.minGapPercent || cumulativeRelativeVolume < p.minRelativeVolume || !(bar.close > sessionVwap)) return null;
    const suggestion = longSuggestion(bar.close, sessionVwap * (1 - p.stopBelowVwapPercent / 100), p.rewardRisk);
    if (!suggestion) return null;
    const confidence = Math.min(1, gapPercent / (2 * p.minGapPercent));
    return {
      values: { gapPercent, relativeVolume: cumulativeRelativeVolume, sessionVwap, previousClose, close: bar.close, confidence },
      message:
        `${bar.symbol} is up ${gapPercent.toFixed(1)}% from ${usd(previousClose)} on ${cumulativeRelativeVolume.toFixed(1)}× usual volume ` +
        `and holds above VWAP ${usd(sessionVwap)}: buy ${usd(suggestion.entry)}, stop ${usd(suggestion.stop)}, ` +
        `target ${usd(suggestion.target)} (${p.rewardRisk}:1), confidence ${Math.round(confidence * 100)}%.`,
      suggestion,
    };
  }
}
