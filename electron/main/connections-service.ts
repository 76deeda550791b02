/**
 * Settings → Data & Brokers behind the `connections` IPC channels: parses what a window sends
 * (untrusted), keeps the connection settings (`connection-settings.ts`) and keys (`key-store.ts`),
 * answers with {@link ConnectionsState} (key status only, never a key or secret), and after any
 * change asks for the engine to restart with the new config.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { ConnectionSettings, ConnectionsResult, ConnectionsState, KeyProvider } from '../../shared/preload-api';
import { CONNECTIONS_FILE, connectionSettingsSchema, readConnectionSettings, writeConnectionSettings } from './connection-settings';
import { KEYS_FILE, KeyStore, type DecryptedKeys, type SafeStorageLike } from './key-store';

const providerSchema = z.enum(['alpaca', 'polygon']);

/** `storeKey` payload; strings are bounded here and checked in detail by the key store. */
const storeKeySchema = z.object({
  provider: providerSchema,
  keyId: z.string().max(10_000),
  secret: z.string().max(10_000).nullable(),
  acceptWeakProtection: z.boolean(),
});

const clearKeySchema = z.object({ provider: providerSchema });

const PROVIDER_NAMES: Readonly<Record<KeyProvider, string>> = { alpaca: 'Alpaca', polygon: 'Polygon' };

/** Where the connection files live, Electron's `safeStorage`, the log and the restart hook. */
export interface ConnectionsServiceDeps {
  /** The user-data folder (holds `connections.json` and `keys.json`). */
  readonly dir: string;
  readonly safeStorage: SafeStorageLike;
  /** `process.platform`. */
  readonly platform: NodeJS.Platform;
  /** Never given a key or secret. */
  readonly log: { info(message: string): void; warn(message: string): void };
  /** Called after the settings or keys changed, to restart the engine with them. */
  onChanged(): void;
}

/** The main-process side of `ConnectionsApi`: every method takes a window's untrusted payload. */
export class ConnectionsService {
  private readonly keys: KeyStore;
  private readonly settingsPath: string;

  constructor(private readonly deps: ConnectionsServiceDeps) {
    this.keys = new KeyStore(join(deps.dir, KEYS_FILE), deps.safeStorage, deps.platform, deps.log);
    this.settingsPath = join(deps.dir, CONNECTIONS_FILE);
  }

  /** The saved settings (defaults when none or invalid). */
  settings(): ConnectionSettings {
    return readConnectionSettings(this.settingsPath, (message) => this.deps.log.warn(message));
  }

  /** The stored keys, decrypted: for the engine config only, never for a window. */
  decryptedKeys(): DecryptedKeys {
    return this.keys.decrypted();
  }

  /** What Settings → Data & Brokers shows. */
  get(): ConnectionsState {
    return { settings: this.settings(), keys: this.keys.status(), protection: this.keys.protection() };
  }

  /**
   * Validates and saves connection settings from a window, then restarts the engine. Refused
   * when a field is invalid, the backup repeats the primary or backs up the simulated market,
   * or a chosen provider or broker has no stored key.
   */
  update(payload: unknown): ConnectionsResult {
    const parsed = connectionSettingsSchema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || undefined;
      return { ok: false, message: `Invalid connection settings${field ? ` (${field})` : ''}.`, ...(field ? { field } : {}) };
    }
    const settings = parsed.data;
    const refusal = this.crossCheck(settings);
    if (refusal) return refusal;
    return this.change(() => {
      writeConnectionSettings(this.settingsPath, settings);
      this.deps.log.info(
        `Connections saved: data ${settings.dataPrimary}${settings.dataBackup !== 'none' ? ` (backup ${settings.dataBackup})` : ''}, Alpaca feed ${settings.alpacaFeed}, broker ${settings.broker}${settings.broker === 'alpaca' ? ` (${settings.alpacaEnvironment})` : ''}`,
      );
      return null;
    });
  }

  /** Checks, encrypts and stores a key from a window (see {@link KeyStore.store}), then restarts the engine. */
  storeKey(payload: unknown): ConnectionsResult {
    const parsed = storeKeySchema.safeParse(payload);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.map(String).join('.') || undefined;
      return { ok: false, message: 'Invalid key details.', ...(field ? { field } : {}) };
    }
    const { provider, keyId, secret, acceptWeakProtection } = parsed.data;
    return this.change(() => {
      const outcome = this.keys.store(provider, keyId, secret, acceptWeakProtection);
      return outcome.ok ? null : { ok: false, message: outcome.message, ...(outcome.field ? { field: outcome.field } : {}) };
    });
  }

  /**
   * Forgets a provider's key; choices that needed it go back to the simulated market, no backup
   * or the paper broker. Then restarts the engine.
   */
  clearKey(payload: unknown): ConnectionsResult {
    const parsed = clearKeySchema.safeParse(payload);
    if (!parsed.success) return { ok: false, message: 'Unknown provider.', field: 'provider' };
    const { provider } = parsed.data;
    return this.change(() => {
      this.keys.clear(provider);
      const before = this.settings();
      const after: ConnectionSettings = {
        ...before,
        dataPrimary: before.dataPrimary === provider ? 'simulated' : before.dataPrimary,
        dataBackup: before.dataBackup === provider || before.dataPrimary === provider ? 'none' : before.dataBackup,
        broker: provider === 'alpaca' ? 'paper' : before.broker,
      };
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        writeConnectionSettings(this.settingsPath, after);
        this.deps.log.info(`Connections reset to ${after.dataPrimary} data and the ${after.broker} broker: the ${provider} key was removed`);
      }
      return null;
    });
  }

  /** Runs `apply`; on success restarts the engine and answers the new state; a thrown error becomes a refusal. */
  private change(apply: () => ConnectionsResult | null): ConnectionsResult {
    let refused: ConnectionsResult | null;
    try {
      refused = apply();
    } catch (error) {
      this.deps.log.warn(`Could not save the connection settings: ${(error as Error).message}`);
      return { ok: false, message: 'The settings could not be saved; see the log.' };
    }
    if (refused) return refused;
    this.deps.onChanged();
    return { ok: true, state: this.get() };
  }

  private crossCheck(settings: ConnectionSettings): ConnectionsResult | null {
    if (settings.dataPrimary === 'simulated' && settings.dataBackup !== 'none') {
      return { ok: false, field: 'dataBackup', message: 'The simulated market needs no backup provider.' };
    }
    if (settings.dataBackup !== 'none' && settings.dataBackup === settings.dataPrimary) {
      return { ok: false, field: 'dataBackup', message: 'Pick a backup provider other than the primary.' };
    }
    const needs: Array<[KeyProvider, string]> = [];
    if (settings.dataPrimary !== 'simulated') needs.push([settings.dataPrimary, 'dataPrimary']);
    if (settings.dataBackup !== 'none') needs.push([settings.dataBackup, 'dataBackup']);
    if (settings.broker === 'alpaca') needs.push(['alpaca', 'broker']);
    for (const [provider, field] of needs) {
      if (!this.keys.has(provider)) return { ok: false, field, message: `Store your ${PROVIDER_NAMES[provider]} keys first.` };
    }
    return null;
  }
}
