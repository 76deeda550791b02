/**
 * Renderer benchmarks through the real transport: the headless host (built `out/`) replays IBM
 * and SPY of 2013-10-07 at high speed, Debian's Chromium opens 12 chart windows plus the orders,
 * fills and positions blotters, and each window counts its own animation frames
 * (`requestAnimationFrame`) over a fixed interval while the replay runs. Also start-up: host
 * process spawned → first chart painted (a candle canvas with bars), on the simulated market a
 * trader without keys starts on, and on a replay that first fast-forwards six hours of ticks.
 *
 * Software-rendered headless Chromium on 2 cores draws every window on the same CPU as the engine
 * and the host; a desktop GPU-composited Electron window draws far more cheaply.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { LEAN_DIR } from '../support/shared-data';

const CHARTS = 12;
const MEASURE_MS = 8_000;

export interface RendererFigures {
  /** Median frames per second of the 12 chart windows while the replay runs. */
  readonly renderer_fps_12_charts: number;
  /** The slowest chart window, frames per second. */
  readonly renderer_fps_12_charts_min: number;
  /** Median frames per second of the blotter windows. */
  readonly renderer_fps_blotters: number;
  /** Chart updates per second each chart received (bars changed), median. */
  readonly renderer_chart_updates_per_s: number;
  /**
   * Host process spawned → first chart painted with bars, ms (median of runs), as a trader starts
   * it with no keys: the simulated market (`npm run host`).
   */
  readonly startup_ms: number;
  /** Host process spawned → listening, ms: the part of that start-up before any window loads. */
  readonly startup_host_listening_ms: number;
  /**
   * The same on a replay of IBM 2013-10-07 from 10:00 ET: the host first reads and replays the
   * six hours of recorded ticks before 10:00, so the chart has the morning's bars.
   */
  readonly startup_replay_ms: number;
}

/*
 * The in-page measurements are plain script text: the bundler that runs this file (tsx) wraps
 * named functions with a helper that does not exist in the page.
 */

/** Frames drawn per second over `ms`, counted inside the page. */
function measureFps(page: Page, ms: number): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    const tick = (now) => {
      frames++;
      if (now - start < ${ms}) requestAnimationFrame(tick);
      else resolve((frames / (now - start)) * 1000);
    };
    requestAnimationFrame(tick);
  })`);
}

/** How often the chart's last close or bar count changed, per second, over `ms` (live updates drawn). */
function measureChartUpdates(page: Page, ms: number): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const element = document.querySelector('[data-testid="chart"]');
    if (!element) return resolve(0);
    let changes = 0;
    const observer = new MutationObserver(() => changes++);
    observer.observe(element, { attributes: true, attributeFilter: ['data-last-close', 'data-bars'] });
    setTimeout(() => {
      observer.disconnect();
      resolve((changes / ${ms}) * 1000);
    }, ${ms});
  })`);
}

/** A chart window has drawn candles: its canvas exists and it holds bars. */
const CHART_PAINTED = (): boolean =>
  Number(document.querySelector('[data-testid="chart"]')?.getAttribute('data-bars') ?? 0) > 0 && document.querySelector('[data-testid="chart"] canvas') !== null;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const SIMULATED_START = { args: ['--feed', 'simulated'], symbol: 'AAPL' } as const;
const REPLAY_START = { args: ['--feed', 'replay', '--dir', LEAN_DIR, '--symbols', 'IBM', '--date', '2013-10-07', '--speed', '60', '--from', '10:00'], symbol: 'IBM' } as const;

async function startup(browser: Browser, start: { readonly args: readonly string[]; readonly symbol: string }): Promise<{ painted: number; listening: number }> {
  const started = performance.now();
  const host = await startHostProcess(start.args);
  const listening = performance.now() - started;
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(host.windowUrl('chart', start.symbol));
    await page.waitForFunction(CHART_PAINTED, undefined, { timeout: 30_000, polling: 'raf' });
    return { painted: performance.now() - started, listening };
  } finally {
    await page.close();
    await host.stop();
  }
}

export async function runRendererBenchmarks(runs = 3): Promise<RendererFigures> {
  const browser = await launchChromium();
  let host: HostProcess | null = null;
  try {
    const startups = [];
    const replayStartups = [];
    for (let i = 0; i < runs; i++) {
      startups.push(await startup(browser, SIMULATED_START));
      replayStartups.push(await startup(browser, REPLAY_START));
    }

    // 6.5 hours of two symbols at 600× is ~40 s of wall time: enough to measure under load.
    host = await startHostProcess(['--feed', 'replay', '--dir', LEAN_DIR, '--symbols', 'IBM,SPY', '--date', '2013-10-07', '--speed', '600', '--from', '09:35']);
    // One browser context per window, as separate desktop windows: tabs of one window would be
    // throttled as background tabs.
    const open = (): Promise<Page> => browser.newPage({ viewport: { width: 640, height: 360 } });
    const charts: Page[] = [];
    for (let i = 0; i < CHARTS; i++) {
      const page = await open();
      await page.goto(host.windowUrl('chart', i % 2 === 0 ? 'IBM' : 'SPY'));
      charts.push(page);
    }
    const blotters: Page[] = [];
    for (const kind of ['orders', 'fills', 'positions']) {
      const page = await open();
      await page.goto(host.windowUrl(kind));
      blotters.push(page);
    }
    for (const page of charts) await page.waitForFunction(CHART_PAINTED, undefined, { timeout: 30_000 });
    // Three consecutive windows of the replay: the median of each figure over them.
    const rounds: Array<{ charts: number; slowest: number; blotters: number; updates: number }> = [];
    for (let round = 0; round < 3; round++) {
      const [chartFps, blotterFps, updates] = await Promise.all([
        Promise.all(charts.map((p) => measureFps(p, MEASURE_MS))),
        Promise.all(blotters.map((p) => measureFps(p, MEASURE_MS))),
        Promise.all(charts.map((p) => measureChartUpdates(p, MEASURE_MS))),
      ]);
      rounds.push({ charts: median(chartFps), slowest: Math.min(...chartFps), blotters: median(blotterFps), updates: median(updates) });
    }
    for (const page of [...charts, ...blotters]) await page.close();
    process.stderr.write(`renderer rounds: ${rounds.map((r) => `${r.charts.toFixed(1)} fps (slowest ${r.slowest.toFixed(1)})`).join(', ')}\n`);
    return {
      renderer_fps_12_charts: Number(median(rounds.map((r) => r.charts)).toFixed(1)),
      renderer_fps_12_charts_min: Number(median(rounds.map((r) => r.slowest)).toFixed(1)),
      renderer_fps_blotters: Number(median(rounds.map((r) => r.blotters)).toFixed(1)),
      renderer_chart_updates_per_s: Number(median(rounds.map((r) => r.updates)).toFixed(1)),
      startup_ms: Math.round(median(startups.map((s) => s.painted))),
      startup_host_listening_ms: Math.round(median(startups.map((s) => s.listening))),
      startup_replay_ms: Math.round(median(replayStartups.map((s) => s.painted))),
    };
  } finally {
    await host?.stop();
    await browser.close();
  }
}
