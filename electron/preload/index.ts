/**
 * Preload of every workstation window: exposes one narrow, typed API on `window.workstation`
 * through `contextBridge`. The renderer never sees `ipcRenderer`.
 */
import { contextBridge } from 'electron';
import { exposeWorkstationApi } from './workstation-api';

contextBridge.exposeInMainWorld('workstation', exposeWorkstationApi());
