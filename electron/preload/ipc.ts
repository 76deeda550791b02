/**
 * The only place in the preload that touches `ipcRenderer`: send on, and listen to, the
 * workstation's channels, with listeners that can always be removed.
 */
import { ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IpcChannel } from '../../shared/ipc-channels';

export const ipc = {
  send(channel: IpcChannel, payload: unknown): void {
    ipcRenderer.send(channel, payload);
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
