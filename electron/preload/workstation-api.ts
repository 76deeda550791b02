/**
 * The API a window gets as `window.workstation` (see `shared/preload-api.ts`), built on the
 * typed IPC wrapper. Listeners are removed by the very function that was added, so a dispose
 * always works. Main parses every payload; this side only shapes them.
 */
import { IPC_CHANNELS, IPC_INVOKE_CHANNELS } from '../../shared/ipc-channels';
import type {
  ConnectionSettings,
  ConnectionsApi,
  ConnectionsResult,
  ConnectionsState,
  KeyProvider,
  WindowStateReport,
  WorkstationPreloadApi,
} from '../../shared/preload-api';
import type { ServerMessage, WindowParams } from '../../shared/protocol';
import { IPC_ACK_EVERY } from '../../shared/outbox';
import { ipc } from './ipc';

/** Settings → Data & Brokers over the invoke channels; answers never hold a key or secret. */
function connectionsApi(): ConnectionsApi {
  return {
    get: () => ipc.invoke(IPC_INVOKE_CHANNELS.connectionsGet, null) as Promise<ConnectionsState>,
    update: (settings: ConnectionSettings) => ipc.invoke(IPC_INVOKE_CHANNELS.connectionsUpdate, settings) as Promise<ConnectionsResult>,
    storeKey: (provider: KeyProvider, keyId: string, secret: string | null, acceptWeakProtection: boolean) =>
      ipc.invoke(IPC_INVOKE_CHANNELS.connectionsStoreKey, { provider, keyId, secret, acceptWeakProtection }) as Promise<ConnectionsResult>,
    clearKey: (provider: KeyProvider) => ipc.invoke(IPC_INVOKE_CHANNELS.connectionsClearKey, { provider }) as Promise<ConnectionsResult>,
  };
}

/** Builds `window.workstation`. */
export function exposeWorkstationApi(): WorkstationPreloadApi {
  // Every message this page handled, acknowledged to main every IPC_ACK_EVERY: a page that stops
  // handling them (hung, or busy for seconds) stops acknowledging, and main holds what it sends.
  let handled = 0;
  ipc.on(IPC_CHANNELS.message, () => {
    handled++;
    if (handled % IPC_ACK_EVERY === 0) ipc.send(IPC_CHANNELS.received, handled);
  });
  // Main gave up on this page: it hears at once how far the page got (it may have caught up).
  ipc.on(IPC_CHANNELS.connection, (connected) => {
    if (connected === false) ipc.send(IPC_CHANNELS.received, handled);
  });
  return {
    send: (request: unknown) => ipc.send(IPC_CHANNELS.request, request),
    onMessage: (listener: (message: ServerMessage) => void) => {
      const remove = ipc.on(IPC_CHANNELS.message, (payload) => listener(payload as ServerMessage));
      return remove;
    },
    ready: () => {
      // Main counts from zero when it hears `ready` (a reloaded page starts afresh): so does this.
      handled = 0;
      ipc.send(IPC_CHANNELS.ready, null);
    },
    onConnection: (listener: (connected: boolean) => void) => ipc.on(IPC_CHANNELS.connection, (payload) => listener(payload === true)),
    openWindow: (params: WindowParams) => ipc.send(IPC_CHANNELS.openWindow, params),
    reportState: (state: WindowStateReport) => ipc.send(IPC_CHANNELS.reportState, state),
    saveLayout: (name: string) => ipc.send(IPC_CHANNELS.saveLayout, name),
    applyLayout: (name: string) => ipc.send(IPC_CHANNELS.applyLayout, name),
    connections: connectionsApi(),
  };
}
