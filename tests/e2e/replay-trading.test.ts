/**
 * The whole product in a real browser: the headless host replays IBM 2013-10-07 from 10:00 ET
 * at 60×; Chromium opens the chart, ticket, orders and watchlist windows; the trader rests a
 * limit buy, takes a marketable one, watches the P&L move, and flattens.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON } from '../support/shared-data';
import { E2E_OUTPUT_DIR, launchChromium } from '../support/browser';
import { startHostProcess, type HostProcess } from '../support/host-process';

let host: HostProcess;
let browser: Browser;
const pages: Record<string, Page> = {};
const pageErrors: string[] = [];

async function openWindow(kind: string, symbol?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(`${kind}: ${e.message}`));
  await page.goto(host.windowUrl(kind, symbol));
  pages[kind] = page;
  return page;
}

async function quoteOf(ticket: Page): Promise<{ bid: number; ask: number }> {
  await expect.poll(async () => ticket.getByLabel('Quote').innerText(), { timeout: 20_000 }).toMatch(/Bid\s+\d+\.\d+\s+Ask\s+\d+\.\d+/);
  const text = await ticket.getByLabel('Quote').innerText();
  const match = /Bid\s+(\d+\.\d+)\s+Ask\s+(\d+\.\d+)/.exec(text);
  return { bid: Number(match?.[1]), ask: Number(match?.[2]) };
}

async function sendFromTicket(ticket: Page, side: 'Buy' | 'Sell', type: 'limit' | 'market', limitPrice?: number): Promise<string> {
  await ticket.getByLabel('Order type').selectOption(type);
  if (limitPrice !== undefined) await ticket.getByLabel('Limit price').fill(limitPrice.toFixed(2));
  const status = ticket.getByRole('status');
  const before = await status.innerText();
  await ticket.getByRole('button', { name: side, exact: true }).click();
  await expect.poll(async () => status.innerText(), { timeout: 10_000 }).not.toBe(before);
  await expect.poll(async () => status.innerText(), { timeout: 10_000 }).not.toBe('Sending…');
  return status.innerText();
}

/** The IBM position row's values, read in one go so they belong to the same render. */
async function positionRow(positions: Page): Promise<Record<string, number>> {
  const row = positions.getByRole('table', { name: 'Positions' }).locator('tr[data-symbol="IBM"]');
  return row.evaluate((tr) =>
    Object.fromEntries([...tr.querySelectorAll('td[data-column]')].map((td) => [td.getAttribute('data-column'), Number(td.getAttribute('data-value'))])),
  );
}

async function positionValue(positions: Page, column: string): Promise<number> {
  return (await positionRow(positions))[column] ?? NaN;
}

describe.skipIf(!HAS_LEAN_DATA)(`trading on a replay of IBM 2013-10-07 in Chromium (${NO_DATA_REASON})`, () => {
  beforeAll(async () => {
    host = await startHostProcess(['--feed', 'replay', '--dir', LEAN_DIR, '--symbols', 'IBM,SPY', '--date', '2013-10-07', '--speed', '60', '--from', '10:00']);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const [kind, page] of Object.entries(pages)) await page.screenshot({ path: join(E2E_OUTPUT_DIR, `${kind}.png`) }).catch(() => undefined);
    await browser?.close();
    await host?.stop();
  });

  it('charts candles, rests and fills orders, marks the position to market and realizes P&L on the exit', async () => {
    const chart = await openWindow('chart', 'IBM');
    const ticket = await openWindow('ticket', 'IBM');
    const orders = await openWindow('orders');
    const positions = await openWindow('positions');
    const watchlist = await openWindow('watchlist');
    const alertsPage = await openWindow('alerts');

    // The chart shows candles: history up to 10:00 plus live bars.
    const chartElement = chart.getByTestId('chart');
    await expect.poll(async () => Number(await chartElement.getAttribute('data-bars')), { timeout: 30_000 }).toBeGreaterThan(50);
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);

    // Switching the timeframe redraws from the 5-minute history, then back to 1 minute.
    await chart.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: '5m', exact: true }).click();
    await expect.poll(async () => chartElement.getAttribute('data-timeframe')).toBe('5m');
    await expect.poll(async () => Number(await chartElement.getAttribute('data-bars')), { timeout: 20_000 }).toBeGreaterThan(15);
    await chart.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: '1m', exact: true }).click();
    await expect.poll(async () => Number(await chartElement.getAttribute('data-bars')), { timeout: 20_000 }).toBeGreaterThan(50);

    // Without extended hours the chart shows only regular-session bars (IBM printed in ~50 pre-market minutes).
    const withExtended = Number(await chartElement.getAttribute('data-bars'));
    await chart.getByLabel('Extended hours').click(); // a setting: the box follows the engine's reply
    await expect.poll(async () => Number(await chartElement.getAttribute('data-bars')), { timeout: 10_000 }).toBeLessThan(withExtended - 30);
    await chart.getByLabel('Extended hours').click();
    await expect.poll(async () => Number(await chartElement.getAttribute('data-bars')), { timeout: 10_000 }).toBeGreaterThanOrEqual(withExtended);

    // The watchlist shows the symbol with a live NBBO.
    await expect.poll(async () => watchlist.getByRole('table', { name: 'Watchlist' }).locator('tr[data-symbol="IBM"]').innerText(), { timeout: 20_000 }).toMatch(/\d+\.\d{2}/);

    // A limit buy well below the market rests as working.
    const { bid } = await quoteOf(ticket);
    const resting = await sendFromTicket(ticket, 'Buy', 'limit', bid - 1);
    expect(resting).toMatch(/^Buy 100 IBM limit \d+\.\d{2}: working$/);
    const workingRow = orders.getByRole('table', { name: 'Orders' }).locator('tr[data-status="new"]');
    await expect.poll(async () => workingRow.count(), { timeout: 10_000 }).toBe(1);

    // A marketable limit buy fills at once.
    const { ask } = await quoteOf(ticket);
    const filled = await sendFromTicket(ticket, 'Buy', 'limit', ask + 0.5);
    const entry = Number(/filled at (\d+\.\d+)/.exec(filled)?.[1]);
    expect(entry).toBeGreaterThan(0);
    expect(entry).toBeLessThanOrEqual(ask + 0.5);
    await expect.poll(async () => positionValue(positions, 'quantity'), { timeout: 10_000 }).toBe(100);

    // Later trades mark the position: unrealized P&L moves and equals (last − entry) × 100.
    const firstMark = await positionValue(positions, 'unrealized');
    await expect.poll(async () => positionValue(positions, 'unrealized'), { timeout: 60_000, interval: 250 }).not.toBe(firstMark);
    const marked = await positionRow(positions);
    expect(marked['average-entry']).toBeCloseTo(entry, 9);
    expect(Math.abs((marked.unrealized as number) - ((marked.last as number) - entry) * 100)).toBeLessThan(1e-6);

    // A market sell flattens; realized P&L is the difference of fill prices times quantity.
    const exit = await sendFromTicket(ticket, 'Sell', 'market');
    const exitPrice = Number(/filled at (\d+\.\d+)/.exec(exit)?.[1]);
    expect(exitPrice).toBeGreaterThan(0);
    await expect.poll(async () => positionValue(positions, 'quantity'), { timeout: 10_000 }).toBe(0);
    const realized = await positionValue(positions, 'realized');
    expect(Math.abs(realized - (exitPrice - entry) * 100)).toBeLessThan(1e-6);

    // The working order is still there and can be canceled from the blotter.
    await orders.getByRole('button', { name: /^Cancel order / }).click();
    await expect.poll(async () => orders.locator('tr[data-status="canceled"]').count(), { timeout: 10_000 }).toBe(1);

    // Picking a symbol in the watchlist loads it in the chart and the ticket.
    await watchlist.getByRole('button', { name: 'Show SPY' }).click();
    await expect.poll(async () => chart.locator('.chart-header strong').innerText(), { timeout: 10_000 }).toBe('SPY');
    await expect.poll(async () => ticket.getByLabel('Symbol').inputValue(), { timeout: 10_000 }).toBe('SPY');
    await expect.poll(async () => Number(await chartElement.getAttribute('data-bars')), { timeout: 20_000 }).toBeGreaterThan(50);
    await watchlist.getByRole('button', { name: 'Show IBM' }).click();
    await expect.poll(async () => chart.locator('.chart-header strong').innerText(), { timeout: 10_000 }).toBe('IBM');

    // A chart in another link colour keeps its symbol when the blue group changes; back in blue it follows again.
    await chart.getByLabel('Link group').selectOption('red');
    await watchlist.getByRole('button', { name: 'Show SPY' }).click();
    await expect.poll(async () => ticket.getByLabel('Symbol').inputValue(), { timeout: 10_000 }).toBe('SPY');
    expect(await chart.locator('.chart-header strong').innerText()).toBe('IBM');
    await chart.getByLabel('Link group').selectOption('blue');
    await expect.poll(async () => chart.locator('.chart-header strong').innerText(), { timeout: 10_000 }).toBe('SPY');
    await watchlist.getByRole('button', { name: 'Show IBM' }).click();
    await expect.poll(async () => chart.locator('.chart-header strong').innerText(), { timeout: 10_000 }).toBe('IBM');

    // Hotkeys: the first press of a key shows what it sends, the second sends it; Escape cancels the symbol's orders.
    await ticket.locator('body').click({ position: { x: 5, y: 5 } });
    await ticket.keyboard.press('F2');
    await expect.poll(async () => ticket.getByTestId('hotkey-status').innerText(), { timeout: 5_000 }).toMatch(/^F2 sends: Buy 100 IBM limit [\d.]+ .*Press F2 again to send\.$/);
    await ticket.keyboard.press('F2');
    await expect.poll(async () => ticket.getByTestId('hotkey-status').innerText(), { timeout: 5_000 }).toMatch(/^F2: sent Buy 100 IBM limit/);
    await ticket.keyboard.press('Escape');
    await ticket.keyboard.press('Escape');
    await expect.poll(async () => ticket.getByTestId('hotkey-status').innerText(), { timeout: 5_000 }).toMatch(/^Escape: sent/);

    // The orders window says which broker fills the orders.
    await expect.poll(async () => orders.getByTestId('broker-status').innerText(), { timeout: 10_000 }).toMatch(/^Paper broker · simulated fills/);

    // The kill switch halts trading; the ticket is then refused with the reason.
    await positions.getByRole('button', { name: 'Kill switch' }).click();
    await expect.poll(async () => positions.getByTestId('risk-state').innerText(), { timeout: 10_000 }).toBe('HALTED');
    expect(await sendFromTicket(ticket, 'Buy', 'market')).toMatch(/^Rejected: Trading is halted: kill switch$/);

    // The alerts window lists what the screeners and anomaly detectors raised during the replay.
    await expect.poll(async () => alertsPage.getByRole('table', { name: 'Alerts' }).locator('tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(0);

    // Time & sales lists the prints, newest first, coloured by where they traded against the NBBO.
    const tns = await openWindow('time-and-sales', 'IBM');
    await expect.poll(async () => Number(await tns.getByRole('table', { name: 'Time and sales' }).getAttribute('data-rows')), { timeout: 20_000 }).toBeGreaterThan(20);
    const sides = await tns.locator('.tns-row').evaluateAll((rows) => rows.map((r) => r.className));
    expect(sides.some((c) => /print-(at|above)-ask/.test(c)) && sides.some((c) => /print-(at|below)-bid/.test(c))).toBe(true);

    // The system health window shows the engine's own figures.
    const healthPage = await openWindow('health');
    await expect.poll(async () => healthPage.getByTestId('engine-health').innerText(), { timeout: 10_000 }).toMatch(/event loop p50 [\d.]+ \/ p99 [\d.]+ ms · CPU \d+ %/);

    expect(pageErrors).toEqual([]);
  });
});
