/** What the Electron preload exposes on `window.workstation`. */
import type { Dispose, ServerMessage, WindowParams } from './protocol';

export interface WorkstationPreloadApi {
  /** Sends a request (a {@link ClientRequest}) to the engine. */
  send(request: unknown): void;
  /** Receives replies and event batches; returns the dispose. */
  onMessage(listener: (message: ServerMessage) => void): Dispose;
  /** Tells main the window is listening, so messages held for it are released. */
  ready(): void;
  /** Opens another workstation window. */
  openWindow(params: WindowParams): void;
}
