/**
 * Main's own engine client: main registers with the engine supervisor under its own client id
 * (like a window, but in-process) to send commands (e.g. `saveLayout`) and receive events (e.g.
 * the `layouts` topic). Replies are matched to requests by id; every request settles exactly
 * once: with its result, with a {@link WorkstationRequestError}, or when the client closes.
 */
import {
  WorkstationRequestError,
  type CommandOf,
  type CommandResult,
  type CommandType,
  type EngineEvent,
  type ServerMessage,
} from '../../shared/protocol';
import { RESUBSCRIBE_ID } from '../../shared/engine-supervisor';

/** Client id main uses with the engine; window clients are `window-<n>`, so it never clashes. */
export const MAIN_CLIENT_ID = 'main';

/** The part of the engine supervisor the client uses. */
export interface EngineClientTransport {
  connect(clientId: string): void;
  disconnect(clientId: string): void;
  /** Relays `{ id, command }` to the engine; the reply comes back through {@link MainEngineClient.receive}. */
  request(clientId: string, request: unknown): void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** Main's engine client: `request(command)` resolves with the reply's result; events go to `onEvents`. */
export class MainEngineClient {
  /** Client id this client registered with. */
  readonly clientId: string;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private connected = false;

  /**
   * @param transport the supervisor (or a fake in tests).
   * @param onEvents called with every batch of events the engine sends main.
   */
  constructor(
    private readonly transport: EngineClientTransport,
    private readonly onEvents: (events: readonly EngineEvent[]) => void,
    clientId: string = MAIN_CLIENT_ID,
  ) {
    this.clientId = clientId;
  }

  /** Registers with the supervisor; call once, before {@link request}. */
  connect(): void {
    if (this.connected) return;
    this.connected = true;
    this.transport.connect(this.clientId);
  }

  /**
   * Sends a command to the engine.
   * @returns the command's result.
   * @throws {WorkstationRequestError} when the engine answers with an error, is unavailable, or
   *   the client is not connected.
   */
  request<K extends CommandType>(command: CommandOf<K>): Promise<CommandResult<K>> {
    if (!this.connected) {
      return Promise.reject(new WorkstationRequestError({ code: 'engine_unavailable', message: 'Main is not connected to the engine' }));
    }
    let id = this.nextId++;
    if (id >= RESUBSCRIBE_ID) id = this.nextId = 1;
    return new Promise<CommandResult<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.transport.request(this.clientId, { id, command });
    });
  }

  /** Takes a message the supervisor delivered for this client. */
  receive(message: ServerMessage): void {
    if (message.type === 'events') {
      this.onEvents(message.events);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new WorkstationRequestError(message.error));
  }

  /** Unregisters; requests still waiting reject with `engine_unavailable`. */
  close(): void {
    if (!this.connected) return;
    this.connected = false;
    this.transport.disconnect(this.clientId);
    const error = new WorkstationRequestError({ code: 'engine_unavailable', message: 'Main closed its engine connection' });
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
