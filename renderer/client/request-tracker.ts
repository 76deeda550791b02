/**
 * Matches replies to requests for a {@link WorkstationClient} over any transport: each request
 * gets the next id and exactly one settlement (its reply, or an error when the connection drops).
 */
import {
  type CommandOf,
  type CommandResult,
  type CommandType,
  type Dispose,
  type EngineEvent,
  type Reply,
  type ServerMessage,
  WorkstationRequestError,
} from '../../shared/protocol';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class RequestTracker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(events: readonly EngineEvent[]) => void>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  private connected = false;

  constructor(private readonly send: (request: { id: number; command: unknown }) => boolean) {}

  /** Sends a command; rejects with {@link WorkstationRequestError} on an error reply or when not connected. */
  request<K extends CommandType>(command: CommandOf<K>): Promise<CommandResult<K>> {
    const id = this.nextId++;
    return new Promise<CommandResult<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      if (!this.send({ id, command })) {
        this.pending.delete(id);
        reject(new WorkstationRequestError({ code: 'engine_unavailable', message: 'Not connected to the engine' }));
      }
    });
  }

  /** Handles one message from the engine. */
  receive(message: ServerMessage): void {
    if (message.type === 'reply') {
      this.settle(message);
      return;
    }
    for (const listener of this.eventListeners) listener(message.events);
  }

  onEvents(listener: (events: readonly EngineEvent[]) => void): Dispose {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onConnectionChange(listener: (connected: boolean) => void): Dispose {
    this.connectionListeners.add(listener);
    listener(this.connected);
    return () => this.connectionListeners.delete(listener);
  }

  /** The transport came up or went down; going down fails every pending request. */
  setConnected(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    if (!connected) this.failAll('The connection to the engine was lost; check the blotter before sending again');
    for (const listener of this.connectionListeners) listener(connected);
  }

  /** Fails every pending request (connection closed). */
  failAll(message: string): void {
    for (const pending of this.pending.values()) pending.reject(new WorkstationRequestError({ code: 'engine_unavailable', message }));
    this.pending.clear();
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new WorkstationRequestError(reply.error));
  }
}

/** Base of the transports: requests and listeners go through a {@link RequestTracker}. */
export abstract class TrackedClient {
  protected readonly tracker: RequestTracker;

  constructor(send: (request: { id: number; command: unknown }) => boolean) {
    this.tracker = new RequestTracker(send);
  }

  request<K extends CommandType>(command: CommandOf<K>): Promise<CommandResult<K>> {
    return this.tracker.request(command);
  }

  onEvents(listener: (events: readonly EngineEvent[]) => void): Dispose {
    return this.tracker.onEvents(listener);
  }

  onConnectionChange(listener: (connected: boolean) => void): Dispose {
    return this.tracker.onConnectionChange(listener);
  }
}
