/**
 * Golden screenshot of the chart window: IBM 2013-10-07 replayed at full speed to the end of the
 * recording, so every bar is fixed, drawn at 1920×1080 in Chromium and compared pixel by pixel
 * with `tests/e2e/golden/chart-ibm-2013-10-07.png` (candles, volume, VWAP, EMA 9/20, exchange-time
 * axis). A change that moves a candle, a line or an axis label fails here.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON, REPO_ROOT } from '../support/shared-data';
import { launchChromium } from '../support/browser';
import { compareWithGolden } from '../support/golden';
import { startHostProcess, type HostProcess } from '../support/host-process';

const GOLDEN = join(REPO_ROOT, 'tests', 'e2e', 'golden', 'chart-ibm-2013-10-07.png');
/** Share of pixels allowed to differ (font hinting between Chromium builds). */
const MAX_DIFF_RATIO = 0.005;

let host: HostProcess;
let browser: Browser;

describe.skipIf(!HAS_LEAN_DATA)(`golden chart of IBM 2013-10-07 (${NO_DATA_REASON})`, () => {
  beforeAll(async () => {
    host = await startHostProcess(['--feed', 'replay', '--dir', LEAN_DIR, '--symbols', 'IBM', '--date', '2013-10-07', '--speed', 'max']);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('draws the replayed session exactly as the golden image', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.windowUrl('chart', 'IBM'));
    // The replay has reached its end: the bars no longer change.
    await expect.poll(async () => page.locator('.feed-status').innerText(), { timeout: 60_000 }).toMatch(/· ended/);
    // A fresh window draws the finished session from one snapshot (setData), as a trader opening it would.
    await page.reload();
    const chart = page.getByTestId('chart');
    await expect.poll(async () => Number(await chart.getAttribute('data-bars')), { timeout: 30_000 }).toBeGreaterThan(400);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(500);
    const comparison = compareWithGolden(await chart.screenshot({ animations: 'disabled' }), GOLDEN);
    expect(comparison.diffRatio).toBeLessThanOrEqual(MAX_DIFF_RATIO);
    expect(errors).toEqual([]);
  });
});
