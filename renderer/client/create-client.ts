/** Picks the transport: Electron's preload API when present, else the host's WebSocket. */
import type { WorkstationPreloadApi } from '../../shared/preload-api';
import type { WorkstationClient } from '../../shared/protocol';
import { IpcClient } from './ipc-client';
import { WebSocketClient } from './websocket-client';

declare global {
  interface Window {
    readonly workstation?: WorkstationPreloadApi;
  }
}

export function createClient(location: Location): WorkstationClient {
  return window.workstation ? new IpcClient(window.workstation) : new WebSocketClient({ pageUrl: new URL(location.href) });
}
