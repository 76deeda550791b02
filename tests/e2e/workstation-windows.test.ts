/**
 * The workstation a trader lives in, in Chromium through the headless host (IBM and SPY of
 * 2013-10-07 replayed from 10:00 ET at 60×): every window kind opens and is photographed at
 * 1920×1080; settings refuse a bad value next to its field; a screener change takes effect and
 * its alert fills the order ticket in (R-sized); a working order is modified and canceled from the
 * blotter; a layout is saved, the windows closed, and the layout restored; the command palette
 * opens windows.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WINDOW_KINDS } from '../../shared/protocol';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON } from '../support/shared-data';
import { E2E_OUTPUT_DIR, launchChromium } from '../support/browser';
import { startHostProcess, type HostProcess } from '../support/host-process';

const SCREENSHOT_DIR = join(E2E_OUTPUT_DIR, 'windows');
const FULL_HD = { width: 1920, height: 1080 };

let host: HostProcess;
let browser: Browser;
let context: BrowserContext;
const pageErrors: string[] = [];

async function openWindow(kind: string, symbol?: string, viewport = FULL_HD): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on('pageerror', (e) => pageErrors.push(`${kind}: ${e.message}`));
  await page.goto(host.windowUrl(kind, symbol));
  return page;
}

/** The element each window kind must show once it has data. */
const MAIN_ELEMENT: Readonly<Record<(typeof WINDOW_KINDS)[number], (page: Page) => ReturnType<Page['locator']>>> = {
  launcher: (p) => p.getByRole('navigation', { name: 'Open a window' }),
  watchlist: (p) => p.getByRole('table', { name: 'Watchlist' }).locator('tr[data-symbol="IBM"]'),
  chart: (p) => p.getByTestId('chart').locator('canvas').first(),
  ticket: (p) => p.getByRole('form', { name: 'Order ticket' }),
  orders: (p) => p.getByRole('table', { name: 'Orders' }),
  fills: (p) => p.getByRole('table', { name: 'Fills' }),
  positions: (p) => p.getByRole('table', { name: 'Positions' }),
  alerts: (p) => p.getByRole('table', { name: 'Alerts' }),
  health: (p) => p.getByTestId('engine-health'),
  'time-and-sales': (p) => p.getByRole('table', { name: 'Time and sales' }),
  settings: (p) => p.getByRole('tablist'),
};

async function quoteOf(ticket: Page): Promise<{ bid: number; ask: number }> {
  await expect.poll(async () => ticket.getByLabel('Quote').innerText(), { timeout: 20_000 }).toMatch(/Bid\s+\d+\.\d+\s+Ask\s+\d+\.\d+/);
  const match = /Bid\s+(\d+\.\d+)\s+Ask\s+(\d+\.\d+)/.exec(await ticket.getByLabel('Quote').innerText());
  return { bid: Number(match?.[1]), ask: Number(match?.[2]) };
}

describe.skipIf(!HAS_LEAN_DATA)(`the workstation's windows on a replay of IBM and SPY, 2013-10-07 (${NO_DATA_REASON})`, () => {
  beforeAll(async () => {
    host = await startHostProcess(['--feed', 'replay', '--dir', LEAN_DIR, '--symbols', 'IBM,SPY', '--date', '2013-10-07', '--speed', '60', '--from', '10:00']);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: FULL_HD });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('opens every window kind with its content, at 1920×1080, and saves a screenshot of each', async () => {
    for (const kind of WINDOW_KINDS) {
      const page = await openWindow(kind, kind === 'launcher' || kind === 'settings' ? undefined : 'IBM');
      await MAIN_ELEMENT[kind](page).first().waitFor({ state: 'visible', timeout: 30_000 });
      // Paper trading is unmistakable in every window.
      if (kind !== 'launcher') await expect.poll(async () => page.getByTestId('mode-banner').innerText(), { timeout: 10_000 }).toMatch(/^PAPER TRADING/);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${kind}.png`) });
      await page.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('refuses an invalid setting next to its field, applies a valid one at once, and locks nothing by accident', async () => {
    const settings = await openWindow('settings');
    await settings.getByRole('tab', { name: 'Risk' }).click();
    const quantity = settings.getByLabel(/^Max order quantity/);
    await quantity.fill('0');
    const field = settings.locator('[data-field="risk.maxOrderQuantity"]');
    await expect.poll(async () => field.getByRole('alert').innerText(), { timeout: 5_000 }).toMatch(/at least 1/);
    expect(await settings.getByRole('button', { name: 'Apply', exact: true }).isDisabled()).toBe(true);
    await quantity.fill('5000');
    await settings.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect.poll(async () => settings.getByText('Saved').count(), { timeout: 5_000 }).toBeGreaterThan(0);
    // The ticket takes the new limit: 6 000 shares is refused by risk.
    const ticket = await openWindow('ticket', 'IBM', { width: 420, height: 900 });
    await quoteOf(ticket);
    await ticket.getByLabel('Quantity').fill('6000');
    await ticket.getByLabel('Order type').selectOption('market');
    await ticket.getByRole('button', { name: 'Buy', exact: true }).click();
    // Above the notional threshold: a second press confirms, then risk refuses with the reason.
    await expect.poll(async () => ticket.getByRole('status').innerText(), { timeout: 5_000 }).toMatch(/Press Buy again/);
    await ticket.getByRole('button', { name: 'Buy', exact: true }).click();
    await expect.poll(async () => ticket.getByRole('status').innerText(), { timeout: 10_000 }).toMatch(/^Rejected: .*5,?000/);
    await ticket.close();
    await settings.close();
  });

  it('sizes an order from dollar risk and the stop, previews it, and modifies and cancels it from the blotter', async () => {
    const ticket = await openWindow('ticket', 'IBM', { width: 420, height: 900 });
    const orders = await openWindow('orders');
    const { bid } = await quoteOf(ticket);
    const entry = Math.round((bid - 2) * 100) / 100;
    const stop = Math.round((entry - 0.37) * 100) / 100;
    await ticket.getByLabel('Order type').selectOption('limit');
    await ticket.getByLabel('Limit price').fill(entry.toFixed(2));
    await ticket.getByLabel('Stop loss').fill(stop.toFixed(2));
    await ticket.getByLabel('Risk (USD)').fill('100');
    await ticket.getByRole('button', { name: 'Size from risk' }).click();
    // floor(100 / 0.37) = 270 shares, risking $99.90.
    await expect.poll(async () => ticket.getByLabel('Quantity').inputValue()).toBe('270');
    expect(await ticket.getByTestId('r-sizing').innerText()).toBe('270 sh risk 99.90 at 0.37/sh');
    expect(await ticket.getByTestId('order-preview').innerText()).toBe(`Buy 270 IBM limit ${entry.toFixed(2)}, day · oto: stop loss ${stop.toFixed(2)} · $${(entry * 270).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} · risks $99.90`);
    // About $48 000: above the $25 000 confirmation threshold, so the first press asks and the second sends.
    await ticket.getByRole('button', { name: 'Buy', exact: true }).click();
    await expect.poll(async () => ticket.getByRole('status').innerText(), { timeout: 5_000 }).toMatch(/^Order value \$[\d,.]+ is above the \$25,000.00 confirmation threshold\. Press Buy again to send anyway\.$/);
    await ticket.getByRole('button', { name: 'Buy', exact: true }).click();
    await expect.poll(async () => ticket.getByRole('status').innerText(), { timeout: 10_000 }).toMatch(/^Buy 270 IBM limit [\d.]+: working$/);

    // Modify the resting entry from the blotter: 200 shares, 5 cents higher.
    const row = orders.getByRole('table', { name: 'Orders' }).locator('tr[data-status="new"][data-order-id]').filter({ hasText: '270' }).first();
    await row.waitFor({ timeout: 10_000 });
    const clientOrderId = (await row.getByRole('button', { name: /^Modify order / }).getAttribute('aria-label'))?.replace('Modify order ', '') ?? '';
    await row.getByRole('button', { name: /^Modify order / }).click();
    await orders.getByLabel('New quantity').fill('200');
    await orders.getByLabel('New limit price').fill((entry + 0.05).toFixed(2));
    await orders.getByRole('button', { name: 'Send', exact: true }).click();
    const table = orders.getByRole('table', { name: 'Orders' });
    await expect.poll(async () => table.locator('tr[data-status="replaced"]').count(), { timeout: 10_000 }).toBe(1);
    const replacement = table.locator('tr[data-status="new"]').filter({ hasText: (entry + 0.05).toFixed(2) });
    await expect.poll(async () => replacement.count(), { timeout: 10_000 }).toBe(1);
    expect(await replacement.innerText()).toMatch(/\b200\b/);
    expect(clientOrderId).not.toBe('');

    // Cancel it inline.
    await replacement.getByRole('button', { name: /^Cancel order / }).click();
    await expect.poll(async () => table.locator('tr[data-status="new"]').filter({ hasText: (entry + 0.05).toFixed(2) }).count(), { timeout: 10_000 }).toBe(0);
    await ticket.close();
    await orders.close();
  });

  it('a screener change takes effect and its alert fills the linked ticket with entry, stop, target and an R-sized quantity', async () => {
    const settings = await openWindow('settings');
    await settings.getByRole('tab', { name: 'Strategies' }).click();
    // Make VWAP reclaim fire on the first reclaim: one bar below VWAP, any volume.
    const instance = settings.locator('[data-screener="vwap-reclaim"]');
    await instance.getByLabel(/^Min bars below/).fill('1');
    await instance.getByLabel(/^Min volume ratio/).fill('0');
    await instance.getByLabel(/^Max alerts per symbol per day/).fill('100');
    await instance.getByLabel(/^Cooldown between alerts/).fill('0');
    await settings.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect.poll(async () => settings.getByText('Saved').count(), { timeout: 5_000 }).toBeGreaterThan(0);

    const alerts = await openWindow('alerts');
    const ticket = await openWindow('ticket', 'SPY', { width: 420, height: 900 });
    const trade = alerts.getByRole('button', { name: /^Trade VWAP reclaim/ }).first();
    await trade.waitFor({ timeout: 120_000 });
    const row = alerts.locator('tr').filter({ has: trade });
    const [entry, stop, target] = (await row.locator('td.num').innerText()).split(' / ').map(Number) as [number, number, number];
    const symbol = await row.getAttribute('data-symbol');
    await trade.click();
    await expect.poll(async () => ticket.getByLabel('Symbol').inputValue(), { timeout: 10_000 }).toBe(symbol);
    expect(Number(await ticket.getByLabel('Limit price').inputValue())).toBeCloseTo(entry, 2);
    expect(Number(await ticket.getByLabel('Stop loss').inputValue())).toBeCloseTo(stop, 2);
    expect(Number(await ticket.getByLabel('Take profit').inputValue())).toBeCloseTo(target, 2);
    // Risk per trade $100 (the default) over the stop distance.
    const expected = Math.floor(100 / (Math.round(Math.abs(entry - stop) * 10_000) / 10_000) + 1e-9);
    expect(Number(await ticket.getByLabel('Quantity').inputValue())).toBe(Math.min(expected, 5_000));
    expect(await ticket.getByTestId('order-preview').innerText()).toMatch(new RegExp(`^Buy ${Math.min(expected, 5_000).toLocaleString('en-US')} ${symbol} limit .* · bracket: take profit`));
    await alerts.close();
    await ticket.close();
    await settings.close();
  });

  it('saves a layout, and restores its windows with their link colour and chart timeframe', async () => {
    for (const page of context.pages()) await page.close();
    const launcher = await openWindow('launcher');
    const popupPromise = context.waitForEvent('page');
    await launcher.getByRole('button', { name: 'Open Chart' }).click();
    const chart = await popupPromise;
    chart.on('pageerror', (e) => pageErrors.push(`chart popup: ${e.message}`));
    await chart.getByTestId('chart').waitFor();
    await chart.getByLabel('Link group').selectOption('red');
    await chart.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: '5m', exact: true }).click();
    await launcher.getByLabel('Layout name').fill('Morning');
    await launcher.getByRole('button', { name: 'Save layout' }).click();
    await expect.poll(async () => launcher.getByRole('status').innerText(), { timeout: 10_000 }).toMatch(/^Saved layout “Morning” with 1 windows$/);
    await chart.close();

    const restoredPromise = context.waitForEvent('page');
    await launcher.getByRole('button', { name: 'Restore layout Morning' }).click();
    const restored = await restoredPromise;
    await restored.waitForLoadState();
    const url = new URL(restored.url());
    expect(Object.fromEntries(['window', 'group', 'timeframe'].map((k) => [k, url.searchParams.get(k)]))).toEqual({ window: 'chart', group: 'red', timeframe: '5m' });
    await expect.poll(async () => restored.getByTestId('chart').getAttribute('data-timeframe'), { timeout: 10_000 }).toBe('5m');
    expect(await restored.getByLabel('Link group').inputValue()).toBe('red');
    await restored.close();

    // The command palette opens any window kind.
    const palettePromise = context.waitForEvent('page');
    await launcher.keyboard.press('Control+k');
    await launcher.getByRole('combobox').fill('Open Fills');
    await launcher.keyboard.press('Enter');
    const fills = await palettePromise;
    await fills.getByRole('table', { name: 'Fills' }).waitFor({ timeout: 10_000 });
    await fills.close();
    await launcher.close();
    expect(pageErrors).toEqual([]);
  });
});
