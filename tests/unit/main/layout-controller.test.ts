import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LayoutController, LAUNCH_LAYOUTS_TIMEOUT_MS } from '../../../electron/main/layout-controller';
import { WindowManager } from '../../../electron/main/window-manager';
import { arrangementKey, type DisplayInfo, type Layout } from '../../../shared/layouts';
import type { Command, WindowParams } from '../../../shared/protocol';
import { MockBrowserWindow, display, resetElectronMock, screen } from '../../support/electron-mock';

vi.mock('electron', async () => (await import('../../support/electron-mock')).electronMock);

const LEFT = display(1, 0, 0);
const RIGHT = display(2, 1920, 0);
const DEFAULTS: readonly WindowParams[] = [{ kind: 'watchlist' }, { kind: 'chart' }];

function harness(displays: DisplayInfo[] = [LEFT, RIGHT]) {
  screen.displays = displays;
  const commands: Command[] = [];
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const logs: string[] = [];
  let answer: (command: Command) => Promise<unknown> = (command) =>
    Promise.resolve(command.type === 'saveLayout' ? { layouts: [command.layout] } : { topics: ['layouts'] });
  const manager = new WindowManager({
    createWindow: (options) => new MockBrowserWindow(options) as never,
    openExternal: () => undefined,
    preloadPath: '/app/preload.cjs',
    onOpened: () => undefined,
    onClosed: () => undefined,
    onDropped: () => undefined,
    onResumed: () => undefined,
    warn: (m) => logs.push(m),
  });
  const changes: number[] = [];
  const controller = new LayoutController({
    windows: manager,
    screen,
    engine: { request: (command) => (commands.push(command), answer(command)) as never },
    now: () => 1_700_000_000_000,
    setTimer: (fn, ms) => {
      const timer = { fn, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => void ((handle as { cleared: boolean }).cleared = true),
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
    onLayoutsChanged: (layouts) => changes.push(layouts.length),
  });
  return {
    manager,
    controller,
    commands,
    timers,
    logs,
    changes,
    setAnswer: (fn: typeof answer) => (answer = fn),
    fireTimeout: () => timers.filter((t) => !t.cleared).forEach((t) => t.fn()),
  };
}

function layout(name: string, displays: readonly DisplayInfo[], savedAt: number, windows: Layout['windows']): Layout {
  return { name, arrangementKey: arrangementKey(displays), savedAt, windows };
}

const TWO_SCREENS = layout('Two screens', [LEFT, RIGHT], 2, [
  { kind: 'chart', symbol: 'AAPL', group: 'red', bounds: { x: 1940, y: 10, width: 1000, height: 700 }, displayId: 2, maximized: true, chart: { timeframe: '5m', indicators: ['sma20', 'rsi14'] } },
  { kind: 'ticket', group: null, bounds: { x: 20, y: 30, width: 380, height: 460 }, displayId: 1 },
]);
const LAPTOP = layout('Laptop', [LEFT], 3, [{ kind: 'watchlist', group: 'blue', bounds: { x: 0, y: 0, width: 620, height: 420 }, displayId: 1 }]);

describe('LayoutController', () => {
  beforeEach(() => {
    resetElectronMock();
  });

  it('saves every open window: kind, reported state, normal bounds, maximized, display, arrangement, time', async () => {
    const h = harness();
    h.manager.open({ kind: 'chart', symbol: 'IBM' });
    h.manager.open({ kind: 'orders' });
    const [chart, orders] = MockBrowserWindow.created;
    chart!.setBounds({ x: 2000, y: 50, width: 900, height: 600 });
    chart!.maximize();
    orders!.setBounds({ x: 40, y: 60, width: 1000, height: 480 });
    h.manager.setReport(chart!.webContents as never, { symbol: 'MSFT', group: 'green', chart: { timeframe: '15m', indicators: ['ema9'] } });
    h.manager.setReport(orders!.webContents as never, { symbol: null, group: 'none' });

    const layouts = await h.controller.save('Open');
    expect(h.commands).toHaveLength(1);
    const saved = (h.commands[0] as Extract<Command, { type: 'saveLayout' }>).layout;
    expect(layouts).toEqual([saved]);
    expect(saved).toEqual({
      name: 'Open',
      arrangementKey: arrangementKey([LEFT, RIGHT]),
      savedAt: 1_700_000_000_000,
      windows: [
        { kind: 'chart', symbol: 'MSFT', group: 'green', bounds: { x: 2000, y: 50, width: 900, height: 600 }, displayId: 2, maximized: true, chart: { timeframe: '15m', indicators: ['ema9'] } },
        { kind: 'orders', group: null, bounds: { x: 40, y: 60, width: 1000, height: 480 }, displayId: 1 },
      ],
    });
  });

  it('refuses to save when no window is open', async () => {
    const h = harness();
    await expect(h.controller.save('Empty')).rejects.toMatchObject({ name: 'LayoutError' });
    expect(h.commands).toHaveLength(0);
  });

  it('at launch subscribes to layouts and opens the layout of this arrangement, placed and maximized as saved', async () => {
    const h = harness();
    const opened = h.controller.openAtLaunch(DEFAULTS);
    expect(h.commands).toEqual([{ type: 'subscribe', topics: ['layouts'] }]);
    h.controller.handleEvents([{ type: 'layouts', layouts: [TWO_SCREENS, LAPTOP] }]);
    await expect(opened).resolves.toBe('Two screens');
    expect(h.changes).toEqual([2]);
    const [chart, ticket] = MockBrowserWindow.created;
    expect(MockBrowserWindow.created).toHaveLength(2);
    expect(chart!.options).toMatchObject({ x: 1940, y: 10, width: 1000, height: 700 });
    expect(chart!.loaded?.query).toEqual({ window: 'chart', symbol: 'AAPL', group: 'red', timeframe: '5m', indicators: 'sma20,rsi14' });
    chart!.emit('ready-to-show');
    expect(chart!.maximized && chart!.shown).toBe(true);
    expect(ticket!.loaded?.query).toEqual({ window: 'ticket', group: 'none' });
    expect(h.timers.every((t) => t.cleared)).toBe(true);
  });

  it('at launch on another arrangement, places the most recent layout on the displays that exist', async () => {
    const h = harness([LEFT]);
    const opened = h.controller.openAtLaunch(DEFAULTS);
    h.controller.handleEvents([{ type: 'layouts', layouts: [{ ...TWO_SCREENS, savedAt: 9 }] }]);
    await expect(opened).resolves.toBe('Two screens');
    const chart = MockBrowserWindow.created[0]!;
    const { x, y, width, height } = chart.options as { x: number; y: number; width: number; height: number };
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x + width).toBeLessThanOrEqual(1920);
    expect(y + height).toBeLessThanOrEqual(1040);
  });

  it('at launch opens the default windows when the engine sends no layouts within the timeout', async () => {
    const h = harness();
    const opened = h.controller.openAtLaunch(DEFAULTS);
    expect(h.timers.map((t) => t.ms)).toEqual([LAUNCH_LAYOUTS_TIMEOUT_MS]);
    h.fireTimeout();
    await expect(opened).resolves.toBeNull();
    expect(MockBrowserWindow.created.map((w) => w.loaded?.query.window)).toEqual(['watchlist', 'chart']);
    // A late answer does not open anything more.
    h.controller.handleEvents([{ type: 'layouts', layouts: [TWO_SCREENS] }]);
    expect(MockBrowserWindow.created).toHaveLength(2);
    expect(h.logs.some((m) => /no layouts in time/.test(m))).toBe(true);
  });

  it('at launch opens the defaults at once when the subscribe fails or no layout is saved', async () => {
    const failing = harness();
    failing.setAnswer(() => Promise.reject(new Error('engine down')));
    await expect(failing.controller.openAtLaunch(DEFAULTS)).resolves.toBeNull();
    expect(MockBrowserWindow.created).toHaveLength(2);

    resetElectronMock();
    const empty = harness();
    const opened = empty.controller.openAtLaunch(DEFAULTS);
    empty.controller.handleEvents([{ type: 'layouts', layouts: [] }]);
    await expect(opened).resolves.toBeNull();
    expect(MockBrowserWindow.created).toHaveLength(2);
  });

  it('applies a layout by name: opens its windows, then closes the ones open before', () => {
    const h = harness();
    h.manager.open({ kind: 'alerts' });
    const before = MockBrowserWindow.created[0]!;
    h.controller.handleEvents([{ type: 'layouts', layouts: [TWO_SCREENS, LAPTOP] }]);
    h.controller.apply('  laptop ');
    expect(before.closed).toBe(true);
    expect(MockBrowserWindow.open().map((w) => w.loaded?.query.window)).toEqual(['watchlist']);
    expect(h.manager.count).toBe(1);
    expect(() => h.controller.apply('Nope')).toThrow(/no layout named "Nope"/);
    expect(h.manager.count).toBe(1);
  });

  it('restores the layout of this arrangement from the menu', () => {
    const h = harness([LEFT]);
    expect(h.controller.restoreForArrangement()).toBeNull();
    h.controller.handleEvents([{ type: 'layouts', layouts: [LAPTOP, { ...TWO_SCREENS, savedAt: 99 }] }]);
    expect(h.controller.restoreForArrangement()).toBe('Laptop');
  });

  it('moves windows whose display was unplugged fully onto a display that exists; others stay', async () => {
    const h = harness();
    const opened = h.controller.openAtLaunch(DEFAULTS);
    h.controller.handleEvents([{ type: 'layouts', layouts: [TWO_SCREENS] }]);
    await opened;
    const [chart, ticket] = MockBrowserWindow.created;
    chart!.emit('ready-to-show');
    screen.displays = [LEFT];
    h.controller.onDisplaysChanged();
    expect(chart!.bounds.x + chart!.bounds.width).toBeLessThanOrEqual(1920);
    expect(chart!.bounds.x).toBeGreaterThanOrEqual(0);
    expect(chart!.maximized).toBe(true);
    expect(ticket!.bounds).toEqual({ x: 20, y: 30, width: 380, height: 460 });
    expect(h.logs.some((m) => /onto display 1/.test(m))).toBe(true);
  });
});
