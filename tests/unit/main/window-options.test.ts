import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZES, browserWindowOptions, rendererQuery } from '../../../electron/main/window-options';

describe('browserWindowOptions', () => {
  it('locks every window down', () => {
    const options = browserWindowOptions({ kind: 'chart' }, '/app/preload.cjs');
    expect(options.webPreferences).toEqual(
      expect.objectContaining({ preload: '/app/preload.cjs', sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false }),
    );
    expect(options.show).toBe(false);
  });

  it('opens at the default size of its kind, placed by the OS, without bounds', () => {
    const options = browserWindowOptions({ kind: 'ticket' }, '/p');
    expect(options).toMatchObject(DEFAULT_WINDOW_SIZES.ticket);
    expect(options).not.toHaveProperty('x');
    expect(options).not.toHaveProperty('y');
  });

  it('opens exactly at the given bounds (a restored layout), also on a display left of the primary', () => {
    expect(browserWindowOptions({ kind: 'chart', bounds: { x: -1900, y: 40, width: 1000, height: 640 } }, '/p')).toMatchObject({ x: -1900, y: 40, width: 1000, height: 640 });
  });

  it('titles a window with its symbol', () => {
    expect(browserWindowOptions({ kind: 'chart', symbol: 'IBM' }, '/p').title).toBe('Chart — IBM');
  });
});

describe('rendererQuery', () => {
  it('passes kind, symbol, group, timeframe and the indicators as a comma list', () => {
    expect(rendererQuery({ kind: 'chart', symbol: 'IBM', group: 'red', timeframe: '15m' }, ['sma20', 'rsi14'])).toEqual({
      window: 'chart',
      symbol: 'IBM',
      group: 'red',
      timeframe: '15m',
      indicators: 'sma20,rsi14',
    });
    expect(rendererQuery({ kind: 'orders' })).toEqual({ window: 'orders' });
    // An empty list is kept: a chart saved with no overlays reopens with none, not the defaults.
    expect(rendererQuery({ kind: 'chart' }, [])).toEqual({ window: 'chart', indicators: '' });
  });
});
