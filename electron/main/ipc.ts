/**
 * The only place in main that touches `ipcMain`: handlers for the workstation's channels that
 * only run for trusted senders (see {@link isTrustedSender}); everything else is logged and dropped.
 */
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import type { IpcChannel } from '../../shared/ipc-channels';
import { isTrustedSender } from './sender-check';

export interface TrustContext {
  knownWindowIds(): ReadonlySet<number>;
  readonly rendererUrl: string;
  warn(message: string): void;
}

/** Registers `handler` for `channel`; it runs only for messages from trusted senders. */
export function handleFromWindows(
  channel: IpcChannel,
  trust: TrustContext,
  handler: (sender: WebContents, payload: unknown) => void,
): () => void {
  const listener = (event: IpcMainEvent, payload: unknown): void => {
    const frame = event.senderFrame;
    const trusted =
      frame !== null &&
      isTrustedSender(
        { webContentsId: event.sender.id, isMainFrame: frame === event.sender.mainFrame, frameUrl: frame.url },
        trust.knownWindowIds(),
        trust.rendererUrl,
      );
    if (!trusted) {
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

/** Sends `payload` to a window on `channel`, unless it is gone. */
export function sendToWindow(contents: WebContents, channel: IpcChannel, payload: unknown): void {
  if (!contents.isDestroyed()) contents.send(channel, payload);
}
