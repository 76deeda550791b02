/**
 * Tick-to-screen latency through the real transport: from a market-data message arriving at the
 * engine to the chart window showing it, at ~100 000 messages per second over 500 symbols.
 *
 * Set-up: the built headless host runs the simulated feed in load mode
 * (`WORKSTATION_BENCH_EVENTS_PER_S`, see electron/engine/worker.ts): 500 synthetic symbols,
 * quotes and trades in turn, and every price encodes the wall-clock millisecond
 * (`performance.timeOrigin + performance.now()`) at which the engine received it (see
 * `clockPrice` in electron/engine/feeds/simulated-feed.ts). The protocol is unchanged: nothing is
 * stamped into events. Debian's Chromium opens {@link CHARTS} chart windows on different symbols;
 * in each page a MutationObserver sees the chart's `data-last-close` change (set when the chart
 * applies a bar update, renderer/windows/chart/chart-controller.ts) and decodes the close into
 * the time the tick entered the engine; latency = page wall clock − that time. Both clocks are
 * this machine's wall clock (`timeOrigin + now()` on both sides).
 *
 * What the figure includes: the engine's bar update, the publisher's coalescing (one batch per
 * 16 ms frame, so ~8 ms on average), worker → host `postMessage`, JSON over the loopback
 * WebSocket, the page's parse, the store update and the chart's next animation frame. The
 * achieved feed rate is reported too (the feed's own message counter over its clock), since a
 * saturated engine falls behind the asked rate.
 *
 * Compared with the Electron path: there the worker → main hop is the same `postMessage`, and
 * main → window is Electron IPC (`webContents.send`, structured clone over Mojo) instead of JSON
 * over a loopback TCP WebSocket; it saves a stringify/parse and a socket round through the
 * kernel, typically well under a millisecond per batch, so the figures here are an upper bound
 * of the Electron app's on the same machine. The dominant terms — the 16 ms coalescing frame,
 * the renderer's animation frame, and CPU contention (here software-rendered headless Chromium
 * shares 2 cores with the engine and the host) — are the same on both paths.
 */
import type { Page } from 'playwright-core';
import type { EngineEvent } from '../../shared/protocol';
import { launchChromium } from '../support/browser';
import { startHostProcess, type HostProcess } from '../support/host-process';
import { BENCH_RATE_ENV, loadSymbols } from '../support/load-symbols';
import { openWsSession } from '../support/ws-session';

/** Chart windows opened, each on its own symbol. */
const CHARTS = 8;
const SYMBOL_COUNT = 500;
const EVENTS_PER_S = 100_000;
const WARMUP_MS = 3_000;
const MEASURE_MS = 10_000;

export interface TickToScreenFigures {
  /** Median latency from the engine receiving a tick to a chart showing it, ms. */
  readonly tick_to_screen_p50_ms: number;
  /** 99th percentile of the same, ms. */
  readonly tick_to_screen_p99_ms: number;
  /** Feed messages per second the engine actually received during the measurement. */
  readonly tick_to_screen_events_per_s: number;
  /** Symbols the feed streamed. */
  readonly tick_to_screen_symbols: number;
}

/*
 * In-page code is plain script text: the bundler that runs this file (tsx) wraps named functions
 * with a helper that does not exist in the page. The decoding mirrors `clockPriceTime`
 * (base 100 USD, a cent per ms, wrapping every 100 000 ms).
 */
const OBSERVE = `(() => {
  const element = document.querySelector('[data-testid="chart"]');
  window.__tts = [];
  new MutationObserver(() => {
    const now = performance.timeOrigin + performance.now();
    const close = Number(element.getAttribute('data-last-close'));
    if (!(close >= 100)) return;
    const encoded = Math.round((close - 100) * 100);
    const age = (((Math.floor(now) - encoded) % 100000) + 100000) % 100000;
    window.__tts.push(now - (Math.floor(now) - age));
  }).observe(element, { attributes: true, attributeFilter: ['data-last-close'] });
})()`;

const CHART_LIVE = `Number(document.querySelector('[data-testid="chart"]')?.getAttribute('data-bars') ?? 0) > 0 && document.querySelector('[data-testid="chart"]')?.getAttribute('data-last-close') !== null`;

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/**
 * Polls `expression` in the page until it is true (`page.evaluate` of a string goes through the
 * DevTools protocol; `waitForFunction` with a string would `eval` in the page, which the
 * renderer's CSP forbids).
 */
async function waitInPage(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting in ${page.url()} for ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Health = Extract<EngineEvent, { type: 'health' }>;

/**
 * Runs the benchmark (about 30 s); needs `npm run build` and Chromium.
 * @throws when the host or the charts do not come up, or no update was seen.
 */
export async function runTickToScreenBenchmark(): Promise<TickToScreenFigures> {
  const symbols = loadSymbols(SYMBOL_COUNT);
  const host: HostProcess = await startHostProcess(['--feed', 'simulated', '--symbols', symbols.join(',')], 60_000, { [BENCH_RATE_ENV]: String(EVENTS_PER_S) });
  const browser = await launchChromium();
  try {
    const page = new URL(host.url);
    const health = await openWsSession(`${page.origin}/`, page.searchParams.get('token') ?? '');
    await health.request({ type: 'subscribe', topics: ['health'] });
    const charts: Page[] = [];
    for (let i = 0; i < CHARTS; i++) {
      // One context per window, as separate desktop windows (tabs of one would be throttled).
      const chart = await browser.newPage({ viewport: { width: 640, height: 360 } });
      await chart.goto(host.windowUrl('chart', symbols[i * 7]));
      charts.push(chart);
    }
    for (const chart of charts) await waitInPage(chart, CHART_LIVE, 30_000);
    for (const chart of charts) await chart.evaluate(OBSERVE);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    for (const chart of charts) await chart.evaluate('window.__tts = []');
    const latest = (): Health | undefined => [...health.events].reverse().find((e): e is Health => e.type === 'health');
    const first = latest();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const last = latest();
    const samples = (await Promise.all(charts.map((c) => c.evaluate('window.__tts') as Promise<number[]>))).flat().sort((a, b) => a - b);
    health.close();
    if (samples.length === 0) throw new Error('No chart update was seen');
    if (process.env.TTS_DEBUG) process.stderr.write(`tick-to-screen: ${samples.length} samples; p90 ${quantile(samples, 0.9).toFixed(1)} p95 ${quantile(samples, 0.95).toFixed(1)} p98 ${quantile(samples, 0.98).toFixed(1)}; over 50 ms: ${samples.filter((x) => x > 50).length}\n`);
    const clockMs = (last?.feed.clock ?? 0) - (first?.feed.clock ?? 0);
    const messages = (last?.feed.messages ?? 0) - (first?.feed.messages ?? 0);
    return {
      tick_to_screen_p50_ms: Number(quantile(samples, 0.5).toFixed(1)),
      tick_to_screen_p99_ms: Number(quantile(samples, 0.99).toFixed(1)),
      tick_to_screen_events_per_s: clockMs > 0 ? Math.round((messages / clockMs) * 1000) : 0,
      tick_to_screen_symbols: SYMBOL_COUNT,
    };
  } finally {
    await browser.close();
    await host.stop();
  }
}
