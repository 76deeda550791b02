/**
 * Spawns the engine worker with the current {@link EngineConfig} and restarts it when the config
 * changes (Settings → Data & Brokers). A restart is an ordered shutdown of the running worker
 * (`{ type: 'shutdown' }`: the engine stops, the database closes); the supervisor's restart
 * logic then spawns a new worker, which is created with the new config, and resubscribes every
 * window. A worker still starting is shut down once it is running, so the database is never
 * closed under a starting engine.
 */
import type { EngineConfig } from '../../shared/engine-config';
import { workerSpawner, type EngineSupervisorOptions, type NodeWorkerLike } from '../../shared/engine-supervisor';

interface Spawned {
  readonly worker: NodeWorkerLike;
  /** Config version it was created with. */
  readonly version: number;
  running: boolean;
  shuttingDown: boolean;
}

/** The supervisor's `spawn` with a config that can change; see the module comment. */
export class RestartableEngine {
  private current: EngineConfig;
  /** Asks for an ordered restart; wire it to the supervisor's `restart()` (default: a shutdown message, then the crash path). */
  requestRestart: (worker: NodeWorkerLike) => void = (worker) => worker.postMessage({ type: 'shutdown' });
  private version = 0;
  private spawned: Spawned | null = null;

  /**
   * @param create starts a worker for a config, e.g. `(config) => new Worker(path, { workerData: config })`.
   * @param initial the config of the first worker.
   */
  constructor(
    private readonly create: (config: EngineConfig) => NodeWorkerLike,
    initial: EngineConfig,
  ) {
    this.current = initial;
  }

  /** The config the next worker is created with. */
  get config(): EngineConfig {
    return this.current;
  }

  /** The supervisor's `spawn`: a worker with the current config. */
  readonly spawn: EngineSupervisorOptions['spawn'] = (callbacks) => {
    let spawned: Spawned | null = null;
    const onExit = (code: number): void => {
      if (this.spawned === spawned) this.spawned = null;
      callbacks.onExit(code);
    };
    const worker = this.create(this.current);
    spawned = { worker, version: this.version, running: false, shuttingDown: false };
    this.spawned = spawned;
    workerSpawner(() => worker)({ ...callbacks, onExit });
    return worker;
  };

  /** Tell it the supervisor reported the engine running (`onStateChange('running')`). */
  onRunning(): void {
    if (!this.spawned) return;
    this.spawned.running = true;
    this.shutDownIfStale();
  }

  /** Uses `config` from now on, restarting a running worker that has an older one. */
  setConfig(config: EngineConfig): void {
    this.current = config;
    this.version++;
    this.shutDownIfStale();
  }

  private shutDownIfStale(): void {
    const spawned = this.spawned;
    if (!spawned || !spawned.running || spawned.shuttingDown || spawned.version === this.version) return;
    spawned.shuttingDown = true;
    this.requestRestart(spawned.worker);
  }
}
