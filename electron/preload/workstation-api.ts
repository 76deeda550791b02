/**
 * The API a window gets as `window.workstation` (see `shared/preload-api.ts`), built on the
 * typed IPC wrapper. Listeners are removed by the very function that was added, so a dispose
 * always works.
 */
import { IPC_CHANNELS } from '../../shared/ipc-channels';
import type { WorkstationPreloadApi } from '../../shared/preload-api';
import type { ServerMessage, WindowParams } from '../../shared/protocol';
import { ipc } from './ipc';

export function exposeWorkstationApi(): WorkstationPreloadApi {
  return {
    send: (request: unknown) => ipc.send(IPC_CHANNELS.request, request),
    onMessage: (listener: (message: ServerMessage) => void) => {
      const remove = ipc.on(IPC_CHANNELS.message, (payload) => listener(payload as ServerMessage));
      return remove;
    },
    ready: () => ipc.send(IPC_CHANNELS.ready, null),
    openWindow: (params: WindowParams) => ipc.send(IPC_CHANNELS.openWindow, params),
  };
}
