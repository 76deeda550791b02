/**
 * Electron IPC channel names: the only channels preload and main use. Payloads are
 * {@link ClientRequest} (window → main → engine) and {@link ServerMessage} (engine → window),
 * plus the window-state, layout and connections payloads of `shared/preload-api.ts`. Every
 * payload from a window is untrusted: main checks the sender and parses it with a schema.
 */
export const IPC_CHANNELS = {
  /** Window → main: a request for the engine (untrusted; validated by the engine). */
  request: 'workstation:request',
  /** Main → window: a reply or a batch of events. */
  message: 'workstation:message',
  /** Window → main: the window's listeners are in place; held messages may flow. */
  ready: 'workstation:ready',
  /**
   * Window → main: how many messages the window has handled so far (a count, sent every
   * `IPC_ACK_EVERY`); main holds and coalesces what a window that stopped reading would queue.
   */
  received: 'workstation:received',
  /**
   * Main → window: `false` when main gave up on a window that stopped reading (its engine
   * session is closed), `true` when it reads again (it resubscribes and gets snapshots).
   */
  connection: 'workstation:connection',
  /** Window → main: open another workstation window. */
  openWindow: 'workstation:open-window',
  /** Window → main: the window's symbol, link group and chart settings (a `WindowStateReport`). */
  reportState: 'workstation:report-state',
  /** Window → main: save the open windows as the layout named in the payload (a string). */
  saveLayout: 'workstation:save-layout',
  /** Window → main: replace the open windows with the layout named in the payload (a string). */
  applyLayout: 'workstation:apply-layout',
} as const;

/** A fire-and-forget channel (`ipcRenderer.send` / `ipcMain.on`). */
export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/**
 * Request/response channels (`ipcRenderer.invoke` / `ipcMain.handle`) of Settings → Data &
 * Brokers. Answers carry `ConnectionsState` / `ConnectionsResult` only: never a key or secret.
 */
export const IPC_INVOKE_CHANNELS = {
  /** Payload `null`; answers `ConnectionsState`. */
  connectionsGet: 'workstation:connections:get',
  /** Payload `ConnectionSettings`; answers `ConnectionsResult`. */
  connectionsUpdate: 'workstation:connections:update',
  /** Payload `{ provider, keyId, secret, acceptWeakProtection }`; answers `ConnectionsResult`. */
  connectionsStoreKey: 'workstation:connections:store-key',
  /** Payload `{ provider }`; answers `ConnectionsResult`. */
  connectionsClearKey: 'workstation:connections:clear-key',
} as const;

/** A request/response channel. */
export type IpcInvokeChannel = (typeof IPC_INVOKE_CHANNELS)[keyof typeof IPC_INVOKE_CHANNELS];
