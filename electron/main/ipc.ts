/**
 * The only place in main that touches `ipcMain`: handlers for the workstation's channels that
 * only run for trusted senders (see {@link isTrustedSender}); everything else is logged and dropped
 * (or, for an invoke, refused with an error the window sees).
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { IpcChannel, IpcInvokeChannel } from '../../shared/ipc-channels';
import { isTrustedSender } from './sender-check';

/** What the sender check needs to know about the app's windows. */
export interface TrustContext {
  /** `webContents.id` of every window the window manager created. */
  knownWindowIds(): ReadonlySet<number>;
  /** URL of the renderer's `index.html` (`app://workstation/index.html`). */
  readonly rendererUrl: string;
  warn(message: string): void;
}

/** `true` when `event` comes from the main frame of an app window showing the app's page. */
function isTrustedEvent(event: IpcMainEvent | IpcMainInvokeEvent, trust: TrustContext): boolean {
  const frame = event.senderFrame;
  return (
    frame !== null &&
    isTrustedSender(
      { webContentsId: event.sender.id, isMainFrame: frame === event.sender.mainFrame, frameUrl: frame.url },
      trust.knownWindowIds(),
      trust.rendererUrl,
    )
  );
}

/**
 * Registers `handler` for `channel` (`ipcRenderer.send` messages); it runs only for messages
 * from trusted senders. The payload is untrusted: the handler parses it.
 * @returns the function that removes the handler.
 */
export function handleFromWindows(
  channel: IpcChannel,
  trust: TrustContext,
  handler: (sender: WebContents, payload: unknown) => void,
): () => void {
  const listener = (event: IpcMainEvent, payload: unknown): void => {
    if (!isTrustedEvent(event, trust)) {
      trust.warn(`Refused IPC on ${channel} from an untrusted sender (webContents ${event.sender.id})`);
      return;
    }
    handler(event.sender, payload);
  };
  ipcMain.on(channel, listener);
  return () => {
    ipcMain.removeListener(channel, listener);
  };
}

/**
 * Registers `handler` for the invoke channel `channel` (`ipcRenderer.invoke`), with the same
 * sender check as {@link handleFromWindows}. An untrusted sender's promise rejects with a bare
 * "Refused" error and the handler never runs. The payload is untrusted: the handler parses it.
 * @returns the function that removes the handler.
 */
export function handleInvokeFromWindows(
  channel: IpcInvokeChannel,
  trust: TrustContext,
  handler: (sender: WebContents, payload: unknown) => Promise<unknown>,
): () => void {
  ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => {
    if (!isTrustedEvent(event, trust)) {
      trust.warn(`Refused IPC on ${channel} from an untrusted sender (webContents ${event.sender.id})`);
      return Promise.reject(new Error('Refused'));
    }
    return handler(event.sender, payload);
  });
  return () => {
    ipcMain.removeHandler(channel);
  };
}

/** Sends `payload` to a window on `channel`, unless it is gone. */
export function sendToWindow(contents: WebContents, channel: IpcChannel, payload: unknown): void {
  if (!contents.isDestroyed()) contents.send(channel, payload);
}
