/**
 * The only place in the preload that touches `ipcRenderer`: send on, invoke, and listen to the
 * workstation's channels, with listeners that can always be removed.
 */
import { ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IpcChannel, IpcInvokeChannel } from '../../shared/ipc-channels';

export const ipc = {
  /** Sends `payload` to main on a fire-and-forget channel. */
  send(channel: IpcChannel, payload: unknown): void {
    ipcRenderer.send(channel, payload);
  },
  /** Sends `payload` to main on a request/response channel; resolves with main's answer. */
  invoke(channel: IpcInvokeChannel, payload: unknown): Promise<unknown> {
    return ipcRenderer.invoke(channel, payload) as Promise<unknown>;
  },
  /** Adds a listener; returns the function that removes exactly that listener. */
  on(channel: IpcChannel, listener: (payload: unknown) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};
