/** Quantiles of latency samples (nearest rank, no interpolation). */

/**
 * The `p` quantile (0–1) of ascending `sorted` values: the value at rank ⌊p·n⌋, clamped to the
 * last; null when there are none.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null;
}
