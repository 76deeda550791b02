/**
 * Keeps the engine worker running for the Electron main process and the headless host alike:
 * spawns it, relays window messages, restarts it with capped exponential backoff when it dies,
 * answers requests lost in a crash with an error, and resubscribes every window after a restart
 * so each gets fresh snapshots.
 *
 * Runtime facilities (the Worker class, timers) are injected, so this module runs anywhere and
 * is tested without threads.
 */
import type { ServerMessage } from './protocol';
import type { LogLevel, WorkerInbound, WorkerOutbound } from './worker-protocol';

/** The part of a worker thread the supervisor uses. */
export interface EngineWorkerHandle {
  postMessage(message: WorkerInbound): void;
  terminate(): Promise<number> | void;
}

/** Callbacks the spawned worker must wire to the supervisor. */
export interface EngineWorkerCallbacks {
  onMessage(message: WorkerOutbound): void;
  /** The thread exited (crash or shutdown) with this exit code. */
  onExit(code: number): void;
  /** An uncaught error in the worker. */
  onError(error: Error): void;
}

export interface EngineSupervisorOptions {
  spawn(callbacks: EngineWorkerCallbacks): EngineWorkerHandle;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  now(): number;
  log(level: LogLevel, message: string): void;
  /** Called for every message to a window. */
  deliver(clientId: string, message: ServerMessage): void;
  /** Told when the engine goes down or comes back, e.g. to alert the trader. */
  onStateChange?(state: EngineState, detail: string): void;
  /** Backoff schedule; defaults suit a desktop app. */
  readonly restart?: Partial<RestartPolicy>;
}

export type EngineState = 'starting' | 'running' | 'restarting' | 'stopped';

/** Capped exponential backoff: delay = min(max, initial × 2^(n−1)); n resets after `stableMs` up. */
export interface RestartPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly stableMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 200, maxDelayMs: 10_000, stableMs: 60_000 };

/** Delay before restart number `attempt` (1-based), ms. */
export function restartDelay(attempt: number, policy: RestartPolicy): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

interface ClientState {
  /** Topics the engine confirmed for this window; resubscribed after a restart. */
  readonly topics: Set<string>;
  /** Requests sent to the current worker and not yet answered, with the topics they (un)subscribe. */
  readonly pending: Map<number, TopicChange | null>;
  /** (Un)subscribe requests the worker died before answering: sent again once, same id, after the restart. */
  readonly retry: Map<number, TopicChange>;
}

interface TopicChange {
  readonly subscribe: boolean;
  readonly topics: readonly string[];
  /** The window's request as sent; (un)subscribing is idempotent, so it is safe to send again. */
  readonly request: unknown;
  /** Already sent again after a crash: a second crash answers it (it may be what crashes the worker). */
  retried: boolean;
}

export class EngineSupervisor {
  private worker: EngineWorkerHandle | null = null;
  private state: EngineState = 'stopped';
  private readonly clients = new Map<string, ClientState>();
  private readonly policy: RestartPolicy;
  private attempts = 0;
  private startedAt = 0;
  private restartTimer: unknown = null;
  private generation = 0;
  private stopping: Promise<void> | null = null;
  /** An ordered restart was asked for (a new config): the next exit respawns at once, without backoff. */
  private restartRequested = false;
  private resolveStopped: (() => void) | null = null;

  constructor(private readonly options: EngineSupervisorOptions) {
    this.policy = { ...DEFAULT_RESTART_POLICY, ...options.restart };
  }

  /** Current state of the engine. */
  get engineState(): EngineState {
    return this.state;
  }

  /** Spawns the worker. */
  start(): void {
    if (this.worker) return;
    this.spawn();
  }

  /** Registers a window. */
  connect(clientId: string): void {
    this.clients.set(clientId, { topics: new Set(), pending: new Map(), retry: new Map() });
    this.post({ type: 'connect', clientId });
  }

  /** Forgets a window. */
  disconnect(clientId: string): void {
    this.clients.delete(clientId);
    this.post({ type: 'disconnect', clientId });
  }

  /** Relays a window's request (untrusted) to the engine. */
  request(clientId: string, request: unknown): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    const id = readId(request);
    const change = topicChangeOf(request);
    if (this.state !== 'running' && this.state !== 'starting') {
      if (this.state === 'restarting' && id !== undefined && change) client.retry.set(id, change);
      else if (id !== undefined) this.options.deliver(clientId, unavailable(id));
      return;
    }
    if (id !== undefined) client.pending.set(id, change);
    this.post({ type: 'request', clientId, request });
  }

  /**
   * Ordered restart (e.g. a new engine config): the worker shuts down in order (the database
   * closes), then a new one is spawned at once; windows stay connected and are resubscribed.
   */
  restart(): void {
    if (this.state === 'stopped' || !this.worker || this.restartRequested) return;
    this.restartRequested = true;
    this.options.log('info', 'Engine restarting with a new configuration');
    this.worker.postMessage({ type: 'shutdown' });
  }

  /**
   * Terminates the worker at once, as a crash would (no orderly shutdown): the restart policy
   * applies. For fault drills only; the headless host exposes it behind `WORKSTATION_TEST_HOOKS=1`.
   */
  kill(): void {
    if (this.state === 'stopped') return;
    void this.worker?.terminate();
  }

  /** Asks the worker to shut down in order, and waits for it (at most `timeoutMs`). */
  stop(timeoutMs = 5_000): Promise<void> {
    if (this.stopping) return this.stopping;
    this.state = 'stopped';
    // Requests waiting for a restart that will not come are answered now.
    for (const [clientId, client] of this.clients) {
      for (const id of client.retry.keys()) this.options.deliver(clientId, unavailable(id));
      client.retry.clear();
    }
    if (this.restartTimer !== null) this.options.clearTimer(this.restartTimer);
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    this.stopping = new Promise<void>((resolve) => {
      this.resolveStopped = resolve;
      const timer = this.options.setTimer(() => {
        void worker.terminate();
        resolve();
      }, timeoutMs);
      const done = this.resolveStopped;
      this.resolveStopped = () => {
        this.options.clearTimer(timer);
        done();
      };
      worker.postMessage({ type: 'shutdown' });
    });
    return this.stopping;
  }

  private spawn(): void {
    const generation = ++this.generation;
    this.state = 'starting';
    this.startedAt = this.options.now();
    this.worker = this.options.spawn({
      onMessage: (message) => {
        if (generation === this.generation) this.onWorkerMessage(message);
      },
      onExit: (code) => {
        if (generation === this.generation) this.onWorkerExit(code);
      },
      onError: (error) => {
        if (generation === this.generation) this.options.log('error', `Engine worker error: ${error.stack ?? error.message}`);
      },
    });
    for (const [clientId, client] of this.clients) {
      this.worker.postMessage({ type: 'connect', clientId });
      if (client.topics.size > 0) {
        const request = { id: RESUBSCRIBE_ID, command: { type: 'subscribe', topics: [...client.topics] } };
        this.worker.postMessage({ type: 'request', clientId, request });
      }
      for (const [id, change] of client.retry) {
        change.retried = true;
        client.pending.set(id, change);
        this.worker.postMessage({ type: 'request', clientId, request: change.request });
      }
      client.retry.clear();
    }
  }

  private onWorkerMessage(message: WorkerOutbound): void {
    switch (message.type) {
      case 'ready':
        this.state = 'running';
        this.options.onStateChange?.('running', 'Engine running');
        return;
      case 'message': {
        const { clientId } = message;
        const reply = message.message;
        if (reply.type === 'reply') {
          if (reply.id === RESUBSCRIBE_ID) return;
          const client = this.clients.get(clientId);
          const change = client?.pending.get(reply.id);
          client?.pending.delete(reply.id);
          if (client && change && reply.ok) {
            for (const topic of change.topics) {
              if (change.subscribe) client.topics.add(topic);
              else client.topics.delete(topic);
            }
          }
        }
        this.options.deliver(clientId, reply);
        return;
      }
      case 'log':
        this.options.log(message.level, message.message);
        return;
      case 'fatal':
        this.options.log('error', `Engine failed: ${message.error.stack ?? message.error.message}`);
        return;
      case 'stopped':
        this.worker = null;
        this.resolveStopped?.();
        return;
    }
  }

  private onWorkerExit(code: number): void {
    this.worker = null;
    const restarting = this.state !== 'stopped';
    for (const [clientId, client] of this.clients) {
      for (const [id, change] of client.pending) {
        // A (un)subscribe in flight is sent again after the restart (the window may already have
        // its snapshot and waits for nothing else); anything else (an order) is never resent.
        if (restarting && change && !change.retried) client.retry.set(id, change);
        else this.options.deliver(clientId, unavailable(id));
      }
      client.pending.clear();
    }
    if (this.state === 'stopped') {
      this.resolveStopped?.();
      return;
    }
    if (this.restartRequested) {
      this.restartRequested = false;
      this.options.onStateChange?.('restarting', 'Engine restarting with a new configuration');
      this.spawn();
      return;
    }
    if (this.options.now() - this.startedAt >= this.policy.stableMs) this.attempts = 0;
    this.attempts++;
    const delay = restartDelay(this.attempts, this.policy);
    this.state = 'restarting';
    const detail = `Engine stopped (exit code ${code}); restarting in ${delay} ms`;
    this.options.log('error', detail);
    this.options.onStateChange?.('restarting', detail);
    this.restartTimer = this.options.setTimer(() => {
      this.restartTimer = null;
      if (this.state === 'restarting') this.spawn();
    }, delay);
  }

  private post(message: WorkerInbound): void {
    this.worker?.postMessage(message);
  }
}

/** Request id the supervisor uses when it resubscribes a window after a restart (replies are not relayed). */
export const RESUBSCRIBE_ID = 2 ** 31 - 1;

function readId(request: unknown): number | undefined {
  const id = typeof request === 'object' && request !== null ? (request as { id?: unknown }).id : undefined;
  return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
}

function topicChangeOf(request: unknown): TopicChange | null {
  const command = typeof request === 'object' && request !== null ? (request as { command?: unknown }).command : undefined;
  if (typeof command !== 'object' || command === null) return null;
  const { type, topics } = command as { type?: unknown; topics?: unknown };
  if ((type !== 'subscribe' && type !== 'unsubscribe') || !Array.isArray(topics)) return null;
  return { subscribe: type === 'subscribe', topics: topics.filter((t): t is string => typeof t === 'string'), request, retried: false };
}

function unavailable(id: number): ServerMessage {
  return {
    type: 'reply',
    id,
    ok: false,
    error: { code: 'engine_unavailable', message: 'The engine restarted before answering; check the blotter before sending again' },
  };
}

/** The part of Node's `worker_threads.Worker` that {@link workerSpawner} uses. */
export interface NodeWorkerLike extends EngineWorkerHandle {
  on(event: 'message', listener: (message: WorkerOutbound) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * A `spawn` for {@link EngineSupervisorOptions} that starts `create()` (e.g.
 * `() => new Worker(path, { workerData: config })`) and wires its events.
 */
export function workerSpawner(create: () => NodeWorkerLike): EngineSupervisorOptions['spawn'] {
  return (callbacks) => {
    const worker = create();
    worker.on('message', callbacks.onMessage);
    worker.on('exit', callbacks.onExit);
    worker.on('error', callbacks.onError);
    return worker;
  };
}
