/**
 * Messages between the engine worker and its parent (Electron main or the headless host).
 * Each window is a "client" with an id chosen by the parent; the parent relays requests and
 * replies between windows and the worker without reading them.
 */
import type { ServerMessage } from './protocol';

/** Parent → worker. `request` is untrusted and validated by the engine. */
export type WorkerInbound =
  | { readonly type: 'connect'; readonly clientId: string }
  | { readonly type: 'disconnect'; readonly clientId: string }
  | { readonly type: 'request'; readonly clientId: string; readonly request: unknown }
  | { readonly type: 'shutdown' };

export type LogLevel = 'info' | 'warn' | 'error';

/** Worker → parent. */
export type WorkerOutbound =
  | { readonly type: 'ready' }
  | { readonly type: 'message'; readonly clientId: string; readonly message: ServerMessage }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string }
  | { readonly type: 'fatal'; readonly error: { readonly name: string; readonly message: string; readonly stack?: string } }
  | { readonly type: 'stopped' };
