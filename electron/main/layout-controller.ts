/**
 * Layouts in the Electron app: saves the open windows as a layout in the engine, replaces the
 * open windows with a saved layout, opens the layout of the current monitor arrangement at
 * launch (falling back to the default windows when the engine does not answer in time), and
 * moves windows off displays that were unplugged. Electron's `screen` and the window manager are
 * injected; the layout math is `shared/layouts.ts` and `layout-capture.ts`.
 */
import { LayoutError, restoreLayout, type DisplayInfo, type Layout, type Rect, type WindowLayout } from '../../shared/layouts';
import type { CommandOf, CommandResult, CommandType, EngineEvent, WindowParams } from '../../shared/protocol';
import { captureLayout, relocation, windowToOpen, type CapturedWindow } from './layout-capture';
import type { OpenOptions, OpenWindow } from './window-manager';

/** How long main waits for the engine's layouts at launch before opening the default windows, ms. */
export const LAUNCH_LAYOUTS_TIMEOUT_MS = 3_000;

/** The part of Electron's `screen` the controller uses (DIP px). */
export interface ScreenLike {
  getAllDisplays(): readonly DisplayInfo[];
  getDisplayMatching(rect: Rect): DisplayInfo;
}

/** What the controller needs from the window manager. */
export interface LayoutWindows {
  list(): readonly OpenWindow[];
  open(params: WindowParams, options?: OpenOptions): string;
}

/** What the layout controller needs (Electron's `screen`, the window manager, main's engine client, timers). */
export interface LayoutControllerDeps {
  readonly windows: LayoutWindows;
  readonly screen: ScreenLike;
  /** Main's engine client. */
  readonly engine: { request<K extends CommandType>(command: CommandOf<K>): Promise<CommandResult<K>> };
  /** ms since epoch. */
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  log: { info(message: string): void; warn(message: string): void };
  /** Told whenever the engine's list of layouts changes (e.g. to rebuild the menu). */
  onLayoutsChanged?(layouts: readonly Layout[]): void;
}

/** Saves, applies and restores window layouts, and keeps windows on displays that exist. */
export class LayoutController {
  private current: readonly Layout[] = [];
  private received = false;
  private readonly waiters = new Set<() => void>();
  private displays: readonly DisplayInfo[] = [];

  constructor(private readonly deps: LayoutControllerDeps) {}

  /** The saved layouts as the engine last sent them (all arrangements). */
  get layouts(): readonly Layout[] {
    return this.current;
  }

  /** Takes the events the engine sends main; `layouts` events replace the list. */
  handleEvents(events: readonly EngineEvent[]): void {
    for (const event of events) {
      if (event.type !== 'layouts') continue;
      this.current = event.layouts;
      this.received = true;
      for (const wake of [...this.waiters]) wake();
      this.deps.onLayoutsChanged?.(this.current);
    }
  }

  /**
   * Opens the windows of the layout saved for the current monitor arrangement (else the most
   * recently saved one, placed on the displays that exist), or `defaults` when there is none or
   * the engine's layouts do not arrive within `timeoutMs`. Subscribes main to topic `layouts`.
   * @returns the name of the layout opened, or null for the defaults.
   */
  async openAtLaunch(defaults: readonly WindowParams[], timeoutMs = LAUNCH_LAYOUTS_TIMEOUT_MS): Promise<string | null> {
    this.displays = this.deps.screen.getAllDisplays();
    const subscribed = this.deps.engine.request({ type: 'subscribe', topics: ['layouts'] }).then(
      () => true,
      (error: unknown) => {
        this.deps.log.warn(`Could not subscribe to layouts: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      },
    );
    const layouts = await this.firstLayouts(subscribed, timeoutMs);
    const restored = layouts && layouts.length > 0 && this.displays.length > 0 ? restoreLayout(layouts, this.displays) : null;
    if (restored && restored.windows.length > 0) {
      this.openWindows(restored.windows);
      this.deps.log.info(
        `Opened layout "${restored.layout.name}" (${restored.windows.length} windows${restored.sameArrangement ? '' : ', saved on another monitor arrangement'})`,
      );
      return restored.layout.name;
    }
    if (!layouts) this.deps.log.warn('The engine sent no layouts in time; opening the default windows');
    for (const params of defaults) this.deps.windows.open(params);
    return null;
  }

  /**
   * The layout named `name` of the open windows on the current monitor arrangement.
   * @throws {LayoutError} when no window is open.
   */
  capture(name: string): Layout {
    const open = this.deps.windows.list();
    if (open.length === 0) throw new LayoutError('Open a window before saving a layout.', 'windows');
    const windows: CapturedWindow[] = open.map(({ window, params, report }) => {
      const bounds = window.getNormalBounds();
      return { params, report, bounds, maximized: window.isMaximized(), displayId: this.deps.screen.getDisplayMatching(bounds).id };
    });
    return captureLayout(name, windows, this.deps.screen.getAllDisplays(), this.deps.now());
  }

  /**
   * Saves the open windows as layout `name` in the engine (replacing one of the same name).
   * @returns the engine's list of layouts after the save.
   * @throws {LayoutError} when no window is open; {@link WorkstationRequestError} when the engine refuses.
   */
  async save(name: string): Promise<readonly Layout[]> {
    const layout = this.capture(name);
    const { layouts } = await this.deps.engine.request({ type: 'saveLayout', layout });
    this.deps.log.info(`Saved layout "${layout.name}" (${layout.windows.length} windows)`);
    return layouts;
  }

  /**
   * Closes the open windows and opens layout `name` (ignoring case), placed on the displays that
   * exist now. The new windows open before the old ones close, so the app never has zero windows.
   * @throws {LayoutError} when there is no such layout or it has no windows.
   */
  apply(name: string): void {
    const wanted = name.trim().toLowerCase();
    const layout = this.current.find((l) => l.name.toLowerCase() === wanted);
    if (!layout) throw new LayoutError(`There is no layout named "${name.trim()}".`, 'name');
    this.replaceWith([layout]);
  }

  /**
   * Replaces the open windows with the layout saved for the current monitor arrangement (else
   * the most recently saved one).
   * @returns its name, or null when no layout is saved.
   * @throws {LayoutError} when that layout has no windows.
   */
  restoreForArrangement(): string | null {
    return this.current.length === 0 ? null : this.replaceWith(this.current);
  }

  /** After a display was added, removed or changed: moves windows whose display is gone fully onto one that exists. */
  onDisplaysChanged(): void {
    const previous = this.displays;
    const current = this.deps.screen.getAllDisplays();
    this.displays = current;
    for (const { window, clientId } of this.deps.windows.list()) {
      const placement = relocation(window.getNormalBounds(), previous, current);
      if (!placement) continue;
      const maximized = window.isMaximized();
      if (maximized) window.unmaximize();
      window.setBounds(placement.bounds);
      if (maximized) window.maximize();
      this.deps.log.info(`Moved ${clientId} onto display ${placement.displayId}: its display is gone`);
    }
  }

  /** Opens the layout {@link restoreLayout} picks of `candidates` (not empty), then closes the windows open before. */
  private replaceWith(candidates: readonly Layout[]): string {
    const displays = this.deps.screen.getAllDisplays();
    if (displays.length === 0) throw new LayoutError('No display is connected.');
    this.displays = displays;
    const restored = restoreLayout(candidates, displays);
    if (!restored || restored.windows.length === 0) {
      throw new LayoutError(`The layout "${restored?.layout.name ?? ''}" has no windows.`, 'name');
    }
    const old = this.deps.windows.list();
    this.openWindows(restored.windows);
    for (const { window } of old) window.close();
    this.deps.log.info(`Opened layout "${restored.layout.name}" (${restored.windows.length} windows)`);
    return restored.layout.name;
  }

  private openWindows(windows: readonly WindowLayout[]): void {
    for (const saved of windows) {
      const { params, options } = windowToOpen(saved);
      this.deps.windows.open(params, options);
    }
  }

  /** The first `layouts` list, or null when it does not come within `timeoutMs` or the subscribe fails. */
  private firstLayouts(subscribed: Promise<boolean>, timeoutMs: number): Promise<readonly Layout[] | null> {
    if (this.received) return Promise.resolve(this.current);
    return new Promise((resolve) => {
      let done = false;
      const finish = (layouts: readonly Layout[] | null): void => {
        if (done) return;
        done = true;
        this.waiters.delete(wake);
        this.deps.clearTimer(timer);
        resolve(layouts);
      };
      const wake = (): void => finish(this.current);
      this.waiters.add(wake);
      const timer = this.deps.setTimer(() => finish(null), timeoutMs);
      void subscribed.then((ok) => {
        if (!ok) finish(null);
      });
    });
  }
}
