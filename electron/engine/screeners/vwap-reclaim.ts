/**
 * VWAP reclaim: a bar closes back above session VWAP after at least `minBarsBelow` consecutive
 * closes below it, on at least `minVolumeRatio` times the average volume of those bars.
 * Suggests buying at the reclaim bar's close, stop under its low, target at `rewardRisk` R.
 */
import type { VwapReclaimParams } from '../../../shared/domain';
import { longSuggestion, usd, type ScreenerBarContext, type ScreenerHit, type SymbolScreener } from './screener';

export class VwapReclaim implements SymbolScreener {
  private barsBelow = 0;
  private volumeBelow = 0;

  constructor(private readonly params: VwapReclaimParams) {}

  onBar({ bar, sessionVwap }: ScreenerBarContext): ScreenerHit | null {
    if (bar.session !== 'regular' || sessionVwap === null) {
      this.reset();
      return null;
    }
    if (bar.close < sessionVwap) {
      this.barsBelow++;
      this.volumeBelow += bar.volume;
      return null;
    }
    if (bar.close === sessionVwap) return null;
    const barsBelow = this.barsBelow;
    const averageBelow = barsBelow > 0 ? this.volumeBelow / barsBelow : 0;
    this.reset();
    const p = this.params;
    const volumeRatio = averageBelow > 0 ? bar.volume / averageBelow : 0;
    if (barsBelow < p.minBarsBelow || volumeRatio < p.minVolumeRatio) return null;
    const suggestion = longSuggestion(bar.close, bar.low - p.stopBufferUsd, p.rewardRisk);
    if (!suggestion) return null;
    return {
      values: { barsBelow, volumeRatio, sessionVwap, close: bar.close, low: bar.low },
      message:
        `${bar.symbol} closed back above VWAP ${usd(sessionVwap)} after ${barsBelow} bars below, on ${volumeRatio.toFixed(1)}× their volume: ` +
        `buy ${usd(suggestion.entry)}, stop ${usd(suggestion.stop)} under the bar's low, target ${usd(suggestion.target)} (${p.rewardRisk}:1).`,
      suggestion,
    };
  }

  private reset(): void {
    this.barsBelow = 0;
    this.volumeBelow = 0;
  }
}
