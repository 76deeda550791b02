/**
 * {@link WorkstationClient} over Electron IPC, through the preload's `window.workstation`. It
 * also forwards this window's state (symbol, link colour, chart settings) to main, which keeps
 * the latest for saving layouts.
 */
import type { WorkstationPreloadApi } from '../../shared/preload-api';
import type { Dispose, WindowParams, WorkstationClient } from '../../shared/protocol';
import { forwardWindowState } from '../window-state';
import { TrackedClient } from './request-tracker';

export class IpcClient extends TrackedClient implements WorkstationClient {
  private readonly removeListener: Dispose;
  private readonly removeConnectionListener: Dispose;
  private readonly stopForwarding: Dispose;

  constructor(private readonly api: WorkstationPreloadApi) {
    super((request) => {
      api.send(request);
      return true;
    });
    this.removeListener = api.onMessage((message) => this.tracker.receive(message));
    // Main closes the engine session of a window that stopped reading, and reopens it: the
    // store resubscribes on reconnection and gets snapshots.
    this.removeConnectionListener = api.onConnection((connected) => this.tracker.setConnected(connected));
    this.tracker.setConnected(true);
    api.ready();
    this.stopForwarding = forwardWindowState((state) => api.reportState(state));
  }

  openWindow(params: WindowParams): void {
    this.api.openWindow(params);
  }

  close(): void {
    this.stopForwarding();
    this.removeListener();
    this.removeConnectionListener();
    this.tracker.setConnected(false);
  }
}
