/**
 * Electron IPC channel names: the only channels preload and main use. Payloads are
 * {@link ClientRequest} (window → main → engine) and {@link ServerMessage} (engine → window).
 */
export const IPC_CHANNELS = {
  /** Window → main: a request for the engine (untrusted; validated by the engine). */
  request: 'workstation:request',
  /** Main → window: a reply or a batch of events. */
  message: 'workstation:message',
  /** Window → main: the window's listeners are in place; held messages may flow. */
  ready: 'workstation:ready',
  /** Window → main: open another workstation window. */
  openWindow: 'workstation:open-window',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];
