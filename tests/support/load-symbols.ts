/** Synthetic ticker symbols for load tests and benchmarks of the simulated feed. */

/** `n` distinct valid ticker symbols: `ZAAA`, `ZAAB`, … (four letters; at most 17 576). */
export function loadSymbols(n: number): string[] {
  const letter = (i: number): string => String.fromCharCode(65 + (i % 26));
  return Array.from({ length: n }, (_, i) => `Z${letter(Math.floor(i / 676))}${letter(Math.floor(i / 26))}${letter(i)}`);
}

/** Environment variable that puts the host's simulated feed in load mode (see electron/engine/worker.ts). */
export const BENCH_RATE_ENV = 'WORKSTATION_BENCH_EVENTS_PER_S';
