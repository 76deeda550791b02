/** {@link WorkstationClient} over Electron IPC, through the preload's `window.workstation`. */
import type { WorkstationPreloadApi } from '../../shared/preload-api';
import type { CommandOf, CommandResult, CommandType, Dispose, EngineEvent, WindowParams, WorkstationClient } from '../../shared/protocol';
import { RequestTracker } from './request-tracker';

export class IpcClient implements WorkstationClient {
  private readonly tracker: RequestTracker;
  private readonly removeListener: Dispose;

  constructor(private readonly api: WorkstationPreloadApi) {
    this.tracker = new RequestTracker((request) => {
      api.send(request);
      return true;
    });
    this.removeListener = api.onMessage((message) => this.tracker.receive(message));
    this.tracker.setConnected(true);
    api.ready();
  }

  request<K extends CommandType>(command: CommandOf<K>): Promise<CommandResult<K>> {
    return this.tracker.request(command);
  }

  onEvents(listener: (events: readonly EngineEvent[]) => void): Dispose {
    return this.tracker.onEvents(listener);
  }

  onConnectionChange(listener: (connected: boolean) => void): Dispose {
    return this.tracker.onConnectionChange(listener);
  }

  openWindow(params: WindowParams): void {
    this.api.openWindow(params);
  }

  close(): void {
    this.removeListener();
    this.tracker.setConnected(false);
  }
}
