import { mulberry32 } from '../../../electron/engine/feeds/simulated-feed';
import { describe, expect, it } from 'vitest';
import {
  arrangementKey,
  deleteLayout,
  type DisplayInfo,
  type Layout,
  LayoutError,
  layoutsSchema,
  MAX_LAYOUT_NAME_LENGTH,
  MAX_LAYOUTS,
  MAX_WINDOWS_PER_LAYOUT,
  MIN_WINDOW_SIZE,
  parseLayouts,
  placeWindow,
  type Rect,
  renameLayout,
  restoreLayout,
  saveLayout,
  type WindowLayout,
} from '../../../shared/layouts';

// ── Fixtures ───────────────────────────────────────────────────────────────────────────────

const TASKBAR = 40;

/** A display whose work area is its bounds less a taskbar at the bottom. */
function display(id: number, x: number, y: number, width: number, height: number, scaleFactor = 1, taskbar = TASKBAR): DisplayInfo {
  return { id, bounds: { x, y, width, height }, workArea: { x, y, width, height: height - taskbar }, scaleFactor };
}

function rect(x: number, y: number, width: number, height: number): Rect {
  return { x, y, width, height };
}

function win(bounds: Rect, displayId: number, extra: Partial<WindowLayout> = {}): WindowLayout {
  return { kind: 'chart', group: 'blue', bounds, displayId, ...extra };
}

function inside(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y
    && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/** Asserts a placement is on an existing display, fully inside its work area, integer and at least the minimum size. */
function expectFullyVisible(placed: { bounds: Rect; displayId: number }, displays: readonly DisplayInfo[]): void {
  const target = displays.find((d) => d.id === placed.displayId);
  expect(target, `display ${placed.displayId} exists`).toBeDefined();
  if (!target) return;
  const b = placed.bounds;
  expect(inside(target.workArea, b), `${JSON.stringify(b)} inside ${JSON.stringify(target.workArea)}`).toBe(true);
  for (const v of [b.x, b.y, b.width, b.height]) expect(Number.isInteger(v)).toBe(true);
  expect(b.width).toBeGreaterThanOrEqual(Math.min(MIN_WINDOW_SIZE.width, Math.floor(target.workArea.width)));
  expect(b.height).toBeGreaterThanOrEqual(Math.min(MIN_WINDOW_SIZE.height, Math.floor(target.workArea.height)));
}

/** Named arrangements, DIP px, Electron screen coordinates (primary at the origin). */
const ARRANGEMENTS: Record<string, DisplayInfo[]> = {
  'one display': [display(1, 0, 0, 1920, 1080)],
  'two side by side': [display(1, 0, 0, 1920, 1080), display(2, 1920, 0, 1920, 1080)],
  'one left of primary (negative x)': [display(1, 0, 0, 1920, 1080), display(2, -2560, -180, 2560, 1440, 1.5)],
  'one above primary (negative y)': [display(1, 0, 0, 1920, 1080), display(2, 0, -1080, 1920, 1080, 1.25)],
  'stacked below': [display(1, 0, 0, 1920, 1080), display(2, 0, 1080, 1920, 1080)],
  'L-shape': [display(1, 0, 0, 1920, 1080), display(2, 1920, 0, 1920, 1080), display(3, 1920, -1080, 1920, 1080, 2)],
  'portrait beside landscape': [display(1, 0, 0, 2560, 1440, 1.5), display(2, 2560, -240, 1080, 1920, 1.25)],
  'four in a row, mixed scale': [
    display(11, -3840, 0, 1920, 1080, 2),
    display(12, -1920, 0, 1920, 1080, 1.5),
    display(13, 0, 0, 1920, 1080, 1),
    display(14, 1920, 0, 1920, 1080, 1.25),
  ],
  'five: row with portrait ends': [
    display(21, -1080, -420, 1080, 1920, 1),
    display(22, 0, 0, 1920, 1080, 1),
    display(23, 1920, 0, 2560, 1440, 1.5),
    display(24, 4480, -420, 1080, 1920, 1.25),
    display(25, 0, -1080, 1920, 1080, 2),
  ],
  'six: 3×2 wall with negative coordinates': [
    display(31, -1920, -1080, 1920, 1080, 1),
    display(32, 0, -1080, 1920, 1080, 1.25),
    display(33, 1920, -1080, 1920, 1080, 1.5),
    display(34, -1920, 0, 1920, 1080, 2),
    display(35, 0, 0, 1920, 1080, 1),
    display(36, 1920, 0, 1920, 1080, 1.25),
  ],
};

const ARRANGEMENT_ROWS = Object.entries(ARRANGEMENTS);

// ── arrangementKey ─────────────────────────────────────────────────────────────────────────

describe('arrangementKey', () => {
  it('formats one sorted WxH@x,y*scale part per display', () => {
    expect(arrangementKey([display(7, 1920, 0, 1920, 1080, 1.25), display(3, 0, 0, 1920, 1080)])).toBe(
      '1920x1080@0,0*1|1920x1080@1920,0*1.25',
    );
    expect(arrangementKey([])).toBe('');
  });

  it.each(ARRANGEMENT_ROWS)('%s: stable under display order and id changes', (_name, displays) => {
    const key = arrangementKey(displays);
    const reversed = [...displays].reverse();
    const renumbered = displays.map((d, i) => ({ ...d, id: 9000 + i * 7 }));
    const rotated = [...displays.slice(1), ...displays.slice(0, 1)];
    expect(arrangementKey(reversed)).toBe(key);
    expect(arrangementKey(renumbered)).toBe(key);
    expect(arrangementKey(rotated)).toBe(key);
  });

  it('ignores the work area (taskbar moved or auto-hidden)', () => {
    const displays = ARRANGEMENTS['two side by side']!;
    const noTaskbar = displays.map((d) => ({ ...d, workArea: d.bounds }));
    expect(arrangementKey(noTaskbar)).toBe(arrangementKey(displays));
  });

  it('gives every named arrangement its own key', () => {
    const keys = ARRANGEMENT_ROWS.map(([, displays]) => arrangementKey(displays));
    expect(new Set(keys).size).toBe(keys.length);
  });

  const base = [display(1, 0, 0, 1920, 1080), display(2, 1920, 0, 1920, 1080)];
  it.each([
    ['a display moved to the left', [display(1, 0, 0, 1920, 1080), display(2, -1920, 0, 1920, 1080)]],
    ['a display moved down', [display(1, 0, 0, 1920, 1080), display(2, 1920, 200, 1920, 1080)]],
    ['a different resolution', [display(1, 0, 0, 1920, 1080), display(2, 1920, 0, 2560, 1440)]],
    ['a different scale factor', [display(1, 0, 0, 1920, 1080), display(2, 1920, 0, 1920, 1080, 1.5)]],
    ['a display rotated to portrait', [display(1, 0, 0, 1920, 1080), display(2, 1920, 0, 1080, 1920)]],
    ['a display unplugged', [display(1, 0, 0, 1920, 1080)]],
    ['a display added', [...base, display(3, 3840, 0, 1920, 1080)]],
  ])('changes for %s', (_name, other) => {
    expect(arrangementKey(other)).not.toBe(arrangementKey(base));
  });
});

// ── placeWindow ────────────────────────────────────────────────────────────────────────────

describe('placeWindow', () => {
  describe.each(ARRANGEMENT_ROWS)('%s', (_name, displays) => {
    it('keeps a window that fits its display exactly where it was', () => {
      for (const d of displays) {
        const bounds = rect(d.workArea.x + 10, d.workArea.y + 20, 640, 400);
        expect(placeWindow(win(bounds, d.id), displays)).toEqual({ bounds, displayId: d.id, moved: false });
      }
    });

    it('keeps a window that fills the work area exactly', () => {
      for (const d of displays) {
        expect(placeWindow(win(d.workArea, d.id), displays)).toEqual({ bounds: d.workArea, displayId: d.id, moved: false });
      }
    });

    it('moves the windows of each unplugged display onto a remaining one, fully visible, same size', () => {
      if (displays.length < 2) return;
      for (const gone of displays) {
        const remaining = displays.filter((d) => d !== gone);
        const bounds = rect(gone.workArea.x + 100, gone.workArea.y + 100, 800, 600);
        const placed = placeWindow(win(bounds, gone.id), remaining);
        expect(placed.displayId).not.toBe(gone.id);
        expect(placed.moved).toBe(true);
        expectFullyVisible(placed, remaining);
        const target = remaining.find((d) => d.id === placed.displayId)!;
        expect(placed.bounds.width).toBe(Math.min(800, target.workArea.width));
        expect(placed.bounds.height).toBe(Math.min(600, target.workArea.height));
      }
    });

    it('pulls a window hanging off any edge of any display back inside', () => {
      for (const d of displays) {
        const wa = d.workArea;
        const offsets: Array<[number, number]> = [[-300, 50], [wa.width - 200, 50], [50, -250], [50, wa.height - 100]];
        for (const [dx, dy] of offsets) {
          const placed = placeWindow(win(rect(wa.x + dx, wa.y + dy, 600, 400), d.id), displays);
          expectFullyVisible(placed, displays);
          expect(placed.bounds.width).toBe(600);
          expect(placed.bounds.height).toBe(400);
        }
      }
    });

    it('gives the same placement whatever the order of the displays', () => {
      const reversed = [...displays].reverse();
      for (const d of displays) {
        const w = win(rect(d.bounds.x - 150, d.bounds.y + d.bounds.height - 120, 900, 700), d.id);
        expect(placeWindow(w, reversed)).toEqual(placeWindow(w, displays));
      }
    });
  });

  const pair = ARRANGEMENTS['two side by side']!;
  const single = ARRANGEMENTS['one display']!;

  it.each([
    ['hanging off the right edge', single, rect(1800, 500, 400, 300), 1, rect(1520, 500, 400, 300), 1],
    ['hanging off the left edge', single, rect(-250, 100, 400, 300), 1, rect(0, 100, 400, 300), 1],
    ['above the top', single, rect(100, -90, 400, 300), 1, rect(100, 0, 400, 300), 1],
    ['under the taskbar', single, rect(100, 1000, 400, 300), 1, rect(100, 740, 400, 300), 1],
    ['straddling two displays, more on the right', pair, rect(1700, 100, 600, 400), 1, rect(1920, 100, 600, 400), 2],
    ['straddling two displays, more on the left', pair, rect(1500, 100, 600, 400), 2, rect(1320, 100, 600, 400), 1],
    ['larger than the work area', single, rect(-100, -100, 3000, 2000), 1, rect(0, 0, 1920, 1040), 1],
    ['wider than the work area only', single, rect(200, 300, 2400, 500), 1, rect(0, 300, 1920, 500), 1],
    ['smaller than the minimum size', single, rect(100, 100, 100, 50), 1, rect(100, 100, 320, 240), 1],
    ['on a display that was unplugged (right)', single, rect(2500, 200, 800, 600), 2, rect(1120, 200, 800, 600), 1],
    ['on a display that was unplugged (left, negative x)', single, rect(-2000, 100, 800, 600), 5, rect(0, 100, 800, 600), 1],
    ['on a display that was unplugged (above, negative y)', single, rect(300, -900, 800, 600), 5, rect(300, 0, 800, 600), 1],
  ])('window %s', (_name, displays, bounds, displayId, expected, expectedDisplay) => {
    const placed = placeWindow(win(bounds, displayId), displays);
    expect(placed.bounds).toEqual(expected);
    expect(placed.displayId).toBe(expectedDisplay);
    expectFullyVisible(placed, displays);
  });

  it('keeps the DIP size of a window moved from a 2× display onto a 1× display', () => {
    const hiDpi = display(2, 1920, 0, 1920, 1080, 2);
    const lowDpi = display(1, 0, 0, 1920, 1080, 1);
    const placed = placeWindow(win(rect(2100, 150, 1000, 700), hiDpi.id), [lowDpi]);
    expect(placed.bounds).toEqual(rect(920, 150, 1000, 700));
  });

  it('shrinks a window moved from a large 1.5× display onto a smaller 1.25× one', () => {
    const big = display(1, 0, 0, 2560, 1440, 1.5);
    const small = display(2, 2560, 0, 1536, 864, 1.25);
    const placed = placeWindow(win(rect(100, 100, 2400, 1200), big.id), [small]);
    expect(placed).toEqual({ bounds: rect(2560, 0, 1536, 824), displayId: 2, moved: true });
  });

  it('narrows a landscape window moved onto a portrait display', () => {
    const portrait = display(2, 1920, -420, 1080, 1920);
    const placed = placeWindow(win(rect(100, 100, 1600, 900), 1), [portrait]);
    expect(placed.bounds.width).toBe(1080);
    expect(placed.bounds.height).toBe(900);
    expectFullyVisible(placed, [portrait]);
  });

  it('uses the work area size when the work area is below the minimum size', () => {
    const tiny = display(1, 0, 0, 300, 220);
    const placed = placeWindow(win(rect(0, 0, 800, 600), 1), [tiny]);
    expect(placed.bounds).toEqual(rect(0, 0, 300, 180));
  });

  it('keeps a window by its position when display ids changed since it was saved', () => {
    const now = [display(101, 0, 0, 1920, 1080), display(102, 1920, 0, 1920, 1080)];
    const bounds = rect(2000, 100, 800, 600);
    expect(placeWindow(win(bounds, 2), now)).toEqual({ bounds, displayId: 102, moved: false });
  });

  it('sends a window entirely off-screen back to its saved display when that still exists', () => {
    // Display 2 was moved from the right of the primary to its left.
    const now = [display(1, 0, 0, 1920, 1080), display(2, -1920, 0, 1920, 1080)];
    const placed = placeWindow(win(rect(2100, 100, 800, 600), 2), now);
    expect(placed.displayId).toBe(2);
    expect(placed.bounds).toEqual(rect(-800, 100, 800, 600));
  });

  it('sends a window entirely off-screen with an unknown display to the nearest display', () => {
    const displays = ARRANGEMENTS['L-shape']!;
    const placed = placeWindow(win(rect(4200, -900, 600, 400), 99), displays);
    expect(placed.displayId).toBe(3);
    expect(placed.bounds).toEqual(rect(3240, -900, 600, 400));
  });

  it('centres a window with unreadable bounds on the primary display', () => {
    const displays = ARRANGEMENTS['one left of primary (negative x)']!;
    const placed = placeWindow(win(rect(Number.NaN, 0, Number.POSITIVE_INFINITY, 400), 2), displays);
    expect(placed.displayId).toBe(1);
    expect(placed.bounds).toEqual(rect(800, 400, 320, 240));
  });

  it('rounds fractional bounds to whole DIP px inside the work area', () => {
    const placed = placeWindow(win(rect(10.4, 20.6, 640.5, 400.2), 1), single);
    expect(placed.bounds).toEqual(rect(10, 21, 641, 400));
    expectFullyVisible(placed, single);
  });

  it('refuses an empty display list', () => {
    expect(() => placeWindow(win(rect(0, 0, 800, 600), 1), [])).toThrow(RangeError);
  });
});

// ── restoreLayout ──────────────────────────────────────────────────────────────────────────

describe('restoreLayout', () => {
  const pair = ARRANGEMENTS['two side by side']!;
  const single = ARRANGEMENTS['one display']!;
  const chartOnRight = win(rect(2000, 100, 1000, 640), 2, { symbol: 'AAPL', group: 'red', maximized: true, chart: { timeframe: '5m', indicators: ['sma20', 'rsi14'] } });
  const ticket = win(rect(100, 100, 380, 460), 1, { kind: 'ticket', group: null });

  function layout(name: string, displays: readonly DisplayInfo[], savedAt: number, windows: readonly WindowLayout[] = [ticket]): Layout {
    return { name, arrangementKey: arrangementKey(displays), windows, savedAt };
  }

  it('returns null when no layout was saved', () => {
    expect(restoreLayout([], pair)).toBeNull();
  });

  it('picks the layout saved on the current arrangement, even when another is newer', () => {
    const layouts = [layout('Desk', pair, 1_000), layout('Laptop', single, 5_000)];
    const restored = restoreLayout(layouts, pair);
    expect(restored?.layout.name).toBe('Desk');
    expect(restored?.sameArrangement).toBe(true);
    expect(restoreLayout(layouts, single)?.layout.name).toBe('Laptop');
  });

  it('recognises the arrangement when Electron renumbered and reordered the displays', () => {
    const renumbered = [{ ...pair[1]!, id: 77 }, { ...pair[0]!, id: 78 }];
    const restored = restoreLayout([layout('Laptop', single, 9_000), layout('Desk', pair, 1_000, [chartOnRight])], renumbered);
    expect(restored?.layout.name).toBe('Desk');
    expect(restored?.windows[0]).toEqual({ ...chartOnRight, displayId: 77 });
  });

  it('picks the most recently saved of several layouts on the current arrangement', () => {
    const layouts = [layout('Open', pair, 1_000), layout('Midday', pair, 3_000), layout('Close', pair, 2_000)];
    expect(restoreLayout(layouts, pair)?.layout.name).toBe('Midday');
  });

  it('breaks a savedAt tie by list order', () => {
    const layouts = [layout('First', pair, 2_000), layout('Second', pair, 2_000)];
    expect(restoreLayout(layouts, pair)?.layout.name).toBe('First');
  });

  it('falls back to the most recent layout of all, placed on the current displays', () => {
    const layouts = [layout('Old', pair, 1_000, [ticket]), layout('Desk', pair, 2_000, [chartOnRight, ticket])];
    const restored = restoreLayout(layouts, single);
    expect(restored?.layout.name).toBe('Desk');
    expect(restored?.sameArrangement).toBe(false);
    expect(restored?.windows).toHaveLength(2);
    for (const w of restored?.windows ?? []) expectFullyVisible(w, single);
    // Everything but the placement is kept.
    expect(restored?.windows[0]).toEqual({ ...chartOnRight, bounds: rect(920, 100, 1000, 640), displayId: 1 });
    expect(restored?.windows[1]).toEqual(ticket);
  });

  it('returns the saved layout unchanged', () => {
    const saved = layout('Desk', pair, 2_000, [chartOnRight]);
    const copy = structuredClone(saved);
    restoreLayout([saved], single);
    expect(saved).toEqual(copy);
  });

  it('refuses an empty display list when there is a layout', () => {
    expect(() => restoreLayout([layout('Desk', pair, 1)], [])).toThrow(RangeError);
  });
});

// ── The layout store ───────────────────────────────────────────────────────────────────────

describe('layout store', () => {
  const key = arrangementKey(ARRANGEMENTS['two side by side']!);
  const make = (name: string, savedAt = 1): Layout => ({ name, arrangementKey: key, windows: [], savedAt });

  function errorOf(fn: () => unknown): LayoutError {
    try {
      fn();
    } catch (error) {
      if (error instanceof LayoutError) return error;
      throw error;
    }
    throw new Error('expected a LayoutError');
  }

  describe('saveLayout', () => {
    it('appends a new name, trimmed, without touching the input list', () => {
      const list = [make('Open')];
      const next = saveLayout(list, make('  Close  '));
      expect(next.map((l) => l.name)).toEqual(['Open', 'Close']);
      expect(list.map((l) => l.name)).toEqual(['Open']);
    });

    it('replaces a layout of the same name in place, ignoring case and spaces', () => {
      const list = [make('Open', 1), make('Midday', 1), make('Close', 1)];
      const next = saveLayout(list, make(' midday ', 9));
      expect(next.map((l) => [l.name, l.savedAt])).toEqual([['Open', 1], ['midday', 9], ['Close', 1]]);
    });

    it.each([
      ['an empty name', '', 'Give the layout a name.'],
      ['a blank name', '   ', 'Give the layout a name.'],
      ['a name that is too long', 'x'.repeat(MAX_LAYOUT_NAME_LENGTH + 1), `A layout name can be at most ${MAX_LAYOUT_NAME_LENGTH} characters.`],
    ])('refuses %s', (_case, name, message) => {
      const error = errorOf(() => saveLayout([], make(name)));
      expect(error.message).toBe(message);
      expect(error.field).toBe('name');
    });

    it('accepts a name of exactly the maximum length', () => {
      expect(saveLayout([], make('x'.repeat(MAX_LAYOUT_NAME_LENGTH)))).toHaveLength(1);
    });

    it('refuses a layout beyond the maximum count, but still replaces an existing one', () => {
      const full = Array.from({ length: MAX_LAYOUTS }, (_, i) => make(`L${i}`));
      expect(errorOf(() => saveLayout(full, make('One more'))).message).toMatch(/at most 100 layouts; delete one first/);
      expect(saveLayout(full, make('L3', 5))[3]?.savedAt).toBe(5);
    });

    it('refuses a layout with too many windows', () => {
      const windows = Array.from({ length: MAX_WINDOWS_PER_LAYOUT + 1 }, () => win(rect(0, 0, 400, 300), 1));
      expect(errorOf(() => saveLayout([], { ...make('Busy'), windows })).field).toBe('windows');
    });
  });

  describe('deleteLayout', () => {
    it('removes the named layout, ignoring case, without touching the input list', () => {
      const list = [make('Open'), make('Close')];
      expect(deleteLayout(list, 'OPEN').map((l) => l.name)).toEqual(['Close']);
      expect(list).toHaveLength(2);
    });

    it('refuses a name that does not exist', () => {
      expect(errorOf(() => deleteLayout([make('Open')], 'Lunch')).message).toBe('There is no layout named "Lunch".');
    });
  });

  describe('renameLayout', () => {
    const list = [make('Open', 3), make('Close', 4)];

    it('renames in place, keeping windows and savedAt', () => {
      const next = renameLayout(list, 'Open', '  Pre-market ');
      expect(next).toEqual([{ ...list[0], name: 'Pre-market' }, list[1]]);
      expect(list[0]?.name).toBe('Open');
    });

    it('allows changing only the case', () => {
      expect(renameLayout(list, 'open', 'OPEN')[0]?.name).toBe('OPEN');
    });

    it.each([
      ['to the name of another layout', 'Open', 'close', 'A layout named "Close" already exists.'],
      ['to an empty name', 'Open', ' ', 'Give the layout a name.'],
      ['a layout that does not exist', 'Lunch', 'Midday', 'There is no layout named "Lunch".'],
    ])('refuses renaming %s', (_case, from, to, message) => {
      const error = errorOf(() => renameLayout(list, from, to));
      expect(error).toBeInstanceOf(LayoutError);
      expect(error.name).toBe('LayoutError');
      expect(error.message).toBe(message);
      expect(error.field).toBe('name');
    });
  });
});

// ── Persisted form ─────────────────────────────────────────────────────────────────────────

describe('parseLayouts / layoutsSchema', () => {
  const good: Layout[] = [
    {
      name: 'Desk',
      arrangementKey: arrangementKey(ARRANGEMENTS['six: 3×2 wall with negative coordinates']!),
      savedAt: 1_760_000_000_000,
      windows: [
        win(rect(-1900, -1000, 1000, 640), 31, { symbol: 'MSFT', maximized: false, chart: { timeframe: '1h', indicators: ['ema9'] } }),
        { kind: 'orders', group: null, bounds: rect(100, 100, 900, 520), displayId: 35 },
        { kind: 'watchlist', group: 'main', bounds: rect(2000, 50, 620, 420), displayId: 36 },
      ],
    },
    { name: 'Empty', arrangementKey: '', savedAt: 0, windows: [] },
  ];

  it('reads back what was written', () => {
    expect(parseLayouts(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(layoutsSchema.safeParse(good).success).toBe(true);
    expect(parseLayouts([])).toEqual([]);
  });

  it('normalizes names and symbols and drops unknown keys', () => {
    const input = [{ ...good[1], name: ' Desk ', future: 1, windows: [{ ...good[0]!.windows[0], symbol: 'msft', extra: true }] }];
    const [layout] = parseLayouts(input);
    expect(layout?.name).toBe('Desk');
    expect(layout?.windows[0]?.symbol).toBe('MSFT');
    expect(layout).not.toHaveProperty('future');
    expect(layout?.windows[0]).not.toHaveProperty('extra');
  });

  type Mutate = (data: Record<string, unknown>[]) => unknown;
  const firstWindow = (data: Record<string, unknown>[]): Record<string, unknown> =>
    (data[0]!.windows as Record<string, unknown>[])[0]!;

  it.each<[string, Mutate, string]>([
    ['a file that is not a list', () => ({ layouts: [] }), ''],
    ['a layout that is not an object', (d) => [d[0], 'Desk'], '1'],
    ['an empty name', (d) => { d[0]!.name = '  '; return d; }, '0.name'],
    ['a missing arrangement key', (d) => { delete d[1]!.arrangementKey; return d; }, '1.arrangementKey'],
    ['savedAt as text', (d) => { d[0]!.savedAt = '2025-10-09'; return d; }, '0.savedAt'],
    ['windows that are not a list', (d) => { d[0]!.windows = {}; return d; }, '0.windows'],
    ['an unknown window kind', (d) => { firstWindow(d).kind = 'scanner'; return d; }, '0.windows.0.kind'],
    ['a negative width', (d) => { (firstWindow(d).bounds as Record<string, unknown>).width = -5; return d; }, '0.windows.0.bounds.width'],
    ['a NaN coordinate (null in JSON)', (d) => { (firstWindow(d).bounds as Record<string, unknown>).x = null; return d; }, '0.windows.0.bounds.x'],
    ['an absurd coordinate', (d) => { (firstWindow(d).bounds as Record<string, unknown>).y = 1e9; return d; }, '0.windows.0.bounds.y'],
    ['missing bounds', (d) => { delete firstWindow(d).bounds; return d; }, '0.windows.0.bounds'],
    ['a fractional display id', (d) => { firstWindow(d).displayId = 1.5; return d; }, '0.windows.0.displayId'],
    ['an empty link group', (d) => { firstWindow(d).group = ''; return d; }, '0.windows.0.group'],
    ['a missing link group', (d) => { delete firstWindow(d).group; return d; }, '0.windows.0.group'],
    ['a bad symbol', (d) => { firstWindow(d).symbol = '12$'; return d; }, '0.windows.0.symbol'],
    ['an unknown timeframe', (d) => { firstWindow(d).chart = { timeframe: '2m' }; return d; }, '0.windows.0.chart.timeframe'],
    ['indicators that are not a list', (d) => { firstWindow(d).chart = { timeframe: '1m', indicators: 'sma20' }; return d; }, '0.windows.0.chart.indicators'],
    ['chart settings on a ticket', (d) => { firstWindow(d).kind = 'ticket'; return d; }, '0.windows.0.chart'],
    ['maximized as text', (d) => { firstWindow(d).maximized = 'yes'; return d; }, '0.windows.0.maximized'],
    ['two layouts of the same name', (d) => { d[1]!.name = 'desk'; return d; }, '1.name'],
  ])('refuses %s, naming the field', (_case, mutate, field) => {
    const data = mutate(JSON.parse(JSON.stringify(good)) as Record<string, unknown>[]);
    let caught: unknown;
    try {
      parseLayouts(data);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LayoutError);
    const error = caught as LayoutError;
    expect(error.field).toBe(field || undefined);
    expect(error.message).toMatch(/^The saved layouts could not be read \(.+\)\.$/);
    if (field) expect(error.message).toContain(field);
    expect(layoutsSchema.safeParse(data).success).toBe(false);
  });

  it('refuses more than the maximum number of layouts', () => {
    const many = Array.from({ length: MAX_LAYOUTS + 1 }, (_, i) => ({ ...good[1], name: `L${i}` }));
    expect(() => parseLayouts(many)).toThrow(LayoutError);
  });
});

// ── Property: any arrangement, any window ──────────────────────────────────────────────────

/**
 * 1–6 displays of common sizes and scale factors, each placed against a side of an earlier one
 * (shifted along it), never overlapping; any one may be the primary, and a taskbar may sit on
 * any edge of each.
 */
function randomArrangement(random: () => number): DisplayInfo[] {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const sizes: ReadonlyArray<readonly [number, number]> = [
    [1920, 1080],
    [2560, 1440],
    [3840, 2160],
    [1280, 1024],
    [1366, 768],
    [1080, 1920],
    [1440, 2560],
  ];
  const count = 1 + Math.floor(random() * 6);
  const bounds: Rect[] = [];
  const scales: number[] = [];
  for (let attempt = 0; bounds.length < count && attempt < 500; attempt++) {
    const [pixelsWide, pixelsHigh] = pick(sizes);
    const scale = pick([1, 1.25, 1.5, 2]);
    const width = Math.round(pixelsWide / scale);
    const height = Math.round(pixelsHigh / scale);
    let candidate: Rect = { x: 0, y: 0, width, height };
    if (bounds.length > 0) {
      const anchor = pick(bounds);
      const side = Math.floor(random() * 4);
      const alongX = anchor.x + Math.floor((random() - 0.5) * anchor.width);
      const alongY = anchor.y + Math.floor((random() - 0.5) * anchor.height);
      candidate = side === 0 ? { x: anchor.x + anchor.width, y: alongY, width, height }
        : side === 1 ? { x: anchor.x - width, y: alongY, width, height }
          : side === 2 ? { x: alongX, y: anchor.y + anchor.height, width, height }
            : { x: alongX, y: anchor.y - height, width, height };
      const overlaps = bounds.some((b) => candidate.x < b.x + b.width && b.x < candidate.x + candidate.width
        && candidate.y < b.y + b.height && b.y < candidate.y + candidate.height);
      if (overlaps) continue;
    }
    bounds.push(candidate);
    scales.push(scale);
  }
  // Any display may be the primary: shift so it sits at the origin.
  const primary = pick(bounds);
  const [ox, oy] = [primary.x, primary.y];
  return bounds.map((b, i) => {
    const moved = { ...b, x: b.x - ox, y: b.y - oy };
    const bar = Math.floor(random() * 4) === 0 ? 0 : 30 + Math.floor(random() * 40);
    const edge = Math.floor(random() * 4);
    const workArea = edge === 0 ? { ...moved, height: moved.height - bar }
      : edge === 1 ? { ...moved, y: moved.y + bar, height: moved.height - bar }
        : edge === 2 ? { ...moved, width: moved.width - bar }
          : { ...moved, x: moved.x + bar, width: moved.width - bar };
    return { id: 1000 + Math.floor(random() * 1_000_000) * 10 + i, bounds: moved, workArea, scaleFactor: scales[i]! };
  });
}

describe('placeWindow on random arrangements (seeded)', () => {
  const random = mulberry32(0x5eed_2025);
  const cases = Array.from({ length: 400 }, (_, i) => {
    const saved = randomArrangement(random);
    // A third of the time a display is unplugged before the restore.
    const unplug = saved.length > 1 && random() < 0.33 ? Math.floor(random() * saved.length) : -1;
    const current = saved.filter((_, j) => j !== unplug);
    const windows = Array.from({ length: 6 }, () => {
      const home = saved[Math.floor(random() * saved.length)]!;
      const wa = home.workArea;
      const displayId = random() < 0.1 ? 424242 : home.id;
      if (random() < 0.4) {
        // Inside its work area, as most saved windows are.
        const width = Math.max(1, Math.floor(random() * wa.width));
        const height = Math.max(1, Math.floor(random() * wa.height));
        return win(rect(wa.x + Math.floor(random() * (wa.width - width)), wa.y + Math.floor(random() * (wa.height - height)), width, height), displayId);
      }
      // Anywhere around it: partly or wholly off-screen, up to far larger than any display.
      const width = 1 + Math.floor(random() * 4000);
      const height = 1 + Math.floor(random() * 3000);
      const spread = random() < 0.25 ? 6000 : 400;
      const x = wa.x + Math.floor((random() - 0.3) * (wa.width + spread));
      const y = wa.y + Math.floor((random() - 0.3) * (wa.height + spread));
      return win(rect(x, y, width, height), displayId);
    });
    return { i, saved, current, windows };
  });

  it('always places every window fully inside the work area of an existing display, at least the minimum size', () => {
    for (const { current, windows } of cases) {
      for (const w of windows) expectFullyVisible(placeWindow(w, current), current);
    }
  });

  it('never moves a window that already fits a work area', () => {
    let checked = 0;
    for (const { current, windows } of cases) {
      for (const w of windows) {
        const fits = current.some((d) => inside(d.workArea, w.bounds))
          && w.bounds.width >= MIN_WINDOW_SIZE.width && w.bounds.height >= MIN_WINDOW_SIZE.height;
        if (!fits) continue;
        checked++;
        expect(placeWindow(w, current)).toMatchObject({ bounds: w.bounds, moved: false });
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('does not depend on the order of the displays', () => {
    for (const { current, windows } of cases) {
      const shuffled = [...current].reverse();
      for (const w of windows) expect(placeWindow(w, shuffled)).toEqual(placeWindow(w, current));
    }
  });

  it('keys each arrangement the same under reordering and new ids', () => {
    for (const { saved } of cases) {
      const renumbered = [...saved].reverse().map((d, j) => ({ ...d, id: j + 1 }));
      expect(arrangementKey(renumbered)).toBe(arrangementKey(saved));
    }
  });

  it('restores every window of a layout fully visible after an unplug', () => {
    expect(cases.filter((c) => c.current.length < c.saved.length).length).toBeGreaterThan(50);
    for (const { i, saved, current, windows } of cases) {
      const layout: Layout = { name: `L${i}`, arrangementKey: arrangementKey(saved), windows, savedAt: i };
      const restored = restoreLayout([layout], current);
      expect(restored?.sameArrangement).toBe(current.length === saved.length);
      for (const w of restored?.windows ?? []) expectFullyVisible(w, current);
    }
  });
});
