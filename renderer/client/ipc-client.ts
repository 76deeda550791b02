/** {@link WorkstationClient} over Electron IPC, through the preload's `window.workstation`. */
import type { WorkstationPreloadApi } from '../../shared/preload-api';
import type { Dispose, WindowParams, WorkstationClient } from '../../shared/protocol';
import { TrackedClient } from './request-tracker';

export class IpcClient extends TrackedClient implements WorkstationClient {
  private readonly removeListener: Dispose;

  constructor(private readonly api: WorkstationPreloadApi) {
    super((request) => {
      api.send(request);
      return true;
    });
    this.removeListener = api.onMessage((message) => this.tracker.receive(message));
    this.tracker.setConnected(true);
    api.ready();
  }

  openWindow(params: WindowParams): void {
    this.api.openWindow(params);
  }

  close(): void {
    this.removeListener();
    this.tracker.setConnected(false);
  }
}
