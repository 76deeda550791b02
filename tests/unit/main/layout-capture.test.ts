import { describe, expect, it } from 'vitest';
import { captureLayout, relocation, windowLayoutOf, windowToOpen, type CapturedWindow } from '../../../electron/main/layout-capture';
import { arrangementKey, layoutsSchema } from '../../../shared/layouts';
import { display } from '../../support/electron-mock';

const LEFT = display(1, 0, 0);
const RIGHT = display(2, 1920, 0);

function captured(overrides: Partial<CapturedWindow> = {}): CapturedWindow {
  return { params: { kind: 'chart' }, report: null, bounds: { x: 10, y: 20, width: 800, height: 600 }, maximized: false, displayId: 1, ...overrides };
}

describe('windowLayoutOf', () => {
  it('takes symbol, group and chart from the latest report over the open parameters', () => {
    const layout = windowLayoutOf(
      captured({
        params: { kind: 'chart', symbol: 'IBM', group: 'red', timeframe: '5m' },
        report: { symbol: 'AAPL', group: 'green', chart: { timeframe: '15m', indicators: ['sma20', 'rsi14'] } },
        bounds: { x: 1930.4, y: 20, width: 800.6, height: 600 },
        maximized: true,
        displayId: 2,
      }),
    );
    expect(layout).toEqual({
      kind: 'chart',
      symbol: 'AAPL',
      group: 'green',
      bounds: { x: 1930, y: 20, width: 801, height: 600 },
      displayId: 2,
      maximized: true,
      chart: { timeframe: '15m', indicators: ['sma20', 'rsi14'] },
    });
  });

  it('falls back to the open parameters before the first report, and stores link colour none as null', () => {
    expect(windowLayoutOf(captured({ params: { kind: 'chart', symbol: 'IBM', timeframe: '1h' } }))).toMatchObject({ symbol: 'IBM', group: 'blue', chart: { timeframe: '1h' } });
    const unlinked = windowLayoutOf(captured({ params: { kind: 'orders' }, report: { symbol: null, group: 'none', chart: { timeframe: '1m' } } }));
    expect(unlinked.group).toBeNull();
    expect(unlinked).not.toHaveProperty('symbol');
    expect(unlinked).not.toHaveProperty('chart');
    expect(unlinked).not.toHaveProperty('maximized');
  });
});

describe('captureLayout', () => {
  it('builds a layout the engine accepts, keyed by the monitor arrangement', () => {
    const layout = captureLayout('  Morning  ', [captured(), captured({ params: { kind: 'ticket' }, displayId: 2, bounds: { x: 2000, y: 0, width: 380, height: 460 } })], [LEFT, RIGHT], 1_700_000_000_000);
    expect(layout.name).toBe('Morning');
    expect(layout.arrangementKey).toBe(arrangementKey([RIGHT, LEFT]));
    expect(layout.savedAt).toBe(1_700_000_000_000);
    expect(layout.windows.map((w) => [w.kind, w.displayId])).toEqual([['chart', 1], ['ticket', 2]]);
    expect(layoutsSchema.safeParse([layout]).success).toBe(true);
  });
});

describe('windowToOpen', () => {
  it('reopens a saved window at its bounds with its symbol, group, timeframe, indicators and maximized state', () => {
    expect(
      windowToOpen({ kind: 'chart', symbol: 'SPY', group: null, bounds: { x: 5, y: 6, width: 700, height: 500 }, displayId: 1, maximized: true, chart: { timeframe: '5m', indicators: ['ema9'] } }),
    ).toEqual({
      params: { kind: 'chart', symbol: 'SPY', group: 'none', timeframe: '5m', bounds: { x: 5, y: 6, width: 700, height: 500 } },
      options: { indicators: ['ema9'], maximized: true },
    });
    expect(windowToOpen({ kind: 'alerts', group: 'red', bounds: { x: 0, y: 0, width: 400, height: 300 }, displayId: 1 })).toEqual({
      params: { kind: 'alerts', group: 'red', bounds: { x: 0, y: 0, width: 400, height: 300 } },
      options: {},
    });
  });
});

describe('relocation', () => {
  const onRight = { x: 2100, y: 100, width: 800, height: 600 };
  it('moves a window whose display was unplugged fully onto one that exists', () => {
    const placement = relocation(onRight, [LEFT, RIGHT], [LEFT]);
    expect(placement).not.toBeNull();
    const { bounds } = placement!;
    expect(placement!.displayId).toBe(1);
    expect(bounds.x).toBeGreaterThanOrEqual(0);
    expect(bounds.x + bounds.width).toBeLessThanOrEqual(1920);
    expect(bounds.y + bounds.height).toBeLessThanOrEqual(1040);
    expect([bounds.width, bounds.height]).toEqual([800, 600]);
  });
  it('leaves windows on displays that remain, even when straddling two', () => {
    expect(relocation({ x: 100, y: 100, width: 800, height: 600 }, [LEFT, RIGHT], [LEFT])).toBeNull();
    expect(relocation({ x: 1500, y: 100, width: 800, height: 600 }, [LEFT, RIGHT], [LEFT, RIGHT])).toBeNull();
    expect(relocation(onRight, [LEFT], [LEFT, RIGHT])).toBeNull();
  });
  it('moves a window no display shows any part of', () => {
    expect(relocation({ x: 5000, y: 5000, width: 400, height: 300 }, [LEFT], [LEFT])?.displayId).toBe(1);
  });
});
