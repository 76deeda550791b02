/**
 * API keys of Settings → Data & Brokers: checked, encrypted with Electron's `safeStorage` and
 * kept base64 in `keys.json` in the user-data folder (owner-only permissions). A window only ever
 * learns a {@link KeyStatus} (stored or not, and the last 4 characters of the key id); keys and
 * secrets are decrypted only to build the engine worker's config, and never logged.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { KeyProvider, KeyStatus, SecretProtection } from '../../shared/preload-api';
import { writeFileAtomic } from './atomic-file';

/** File name of the encrypted keys in the user-data folder. */
export const KEYS_FILE = 'keys.json';

/** Longest key or secret accepted, characters. Real ones are 20–40. */
export const MAX_KEY_LENGTH = 256;

/** The part of Electron's `safeStorage` the key store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: the password store `safeStorage` picked. */
  getSelectedStorageBackend(): string;
}

/**
 * How well `safeStorage` protects secrets here: `unavailable` when it cannot encrypt; on Linux
 * `basic_text` when it fell back to its hard-coded password (`basic_text`, or `unknown`, which
 * Electron reports before it has picked); otherwise `os` (Keychain, DPAPI, libsecret, kwallet).
 * Call after the app is ready.
 * @param platform `process.platform`.
 */
export function secretProtection(safeStorage: SafeStorageLike, platform: NodeJS.Platform): SecretProtection {
  if (!safeStorage.isEncryptionAvailable()) return 'unavailable';
  if (platform !== 'linux') return 'os';
  const backend = safeStorage.getSelectedStorageBackend();
  return backend === 'basic_text' || backend === 'unknown' ? 'basic_text' : 'os';
}

/** Decrypted keys, for the engine config only. */
export interface DecryptedKeys {
  readonly alpaca?: { readonly keyId: string; readonly secretKey: string };
  readonly polygon?: { readonly apiKey: string };
}

/** A refused key operation; `message` is written for the trader, `field` names the form input. */
export interface KeyRefusal {
  readonly ok: false;
  readonly message: string;
  readonly field?: string;
}

/** Outcome of {@link KeyStore.store}. */
export type KeyOutcome = { readonly ok: true } | KeyRefusal;

const storedKeySchema = z.object({
  /** Last 4 characters of the key id, shown to the trader. */
  hint: z.string().max(4),
  /** `safeStorage.encryptString(keyId)`, base64. */
  keyId: z.string().min(1).max(4_096),
  /** `safeStorage.encryptString(secret)`, base64 (Alpaca only). */
  secret: z.string().min(1).max(4_096).optional(),
});
type StoredKey = z.infer<typeof storedKeySchema>;

const keysFileSchema = z.object({
  version: z.literal(1),
  keys: z.object({ alpaca: storedKeySchema.optional(), polygon: storedKeySchema.optional() }),
});
type KeysFile = z.infer<typeof keysFileSchema>;

/** Names used in messages, per field. */
const LABELS = { alpacaKeyId: 'Alpaca key ID', alpacaSecret: 'Alpaca secret key', polygon: 'Polygon API key' } as const;

/** The usual shapes; a key that does not match is still stored (vendors change formats), with a note in the log. */
const USUAL_SHAPES = {
  alpacaKeyId: /^(?:PK|AK)[A-Z0-9]{18}$/,
  alpacaSecret: /^[A-Za-z0-9]{40}$/,
  polygon: /^[A-Za-z0-9]{32}$/,
} as const;

/**
 * A key or secret as typed, trimmed; refused when it is not a string, empty, longer than
 * {@link MAX_KEY_LENGTH}, or holds spaces or characters outside printable ASCII.
 */
function checkKey(value: unknown, label: string, field: string): { ok: true; value: string } | KeyRefusal {
  if (typeof value !== 'string') return { ok: false, message: `Enter the ${label}.`, field };
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, message: `Enter the ${label}.`, field };
  if (trimmed.length > MAX_KEY_LENGTH) return { ok: false, message: `The ${label} is too long: paste only the key.`, field };
  if (!/^[\x21-\x7e]+$/.test(trimmed)) return { ok: false, message: `The ${label} must not contain spaces or special characters.`, field };
  return { ok: true, value: trimmed };
}

/** Encrypted API keys in `keys.json`; see the module comment. */
export class KeyStore {
  /**
   * @param path of `keys.json`.
   * @param platform `process.platform`.
   * @param log never given a key or secret.
   */
  constructor(
    private readonly path: string,
    private readonly safeStorage: SafeStorageLike,
    private readonly platform: NodeJS.Platform,
    private readonly log: { info(message: string): void; warn(message: string): void },
  ) {}

  /** How well secrets are protected on this machine. */
  protection(): SecretProtection {
    return secretProtection(this.safeStorage, this.platform);
  }

  /** What a window may know of each provider's key. */
  status(): KeyStatus[] {
    const { keys } = this.readFile();
    return (['alpaca', 'polygon'] as const).map((provider) => {
      const stored = keys[provider];
      return { provider, stored: stored !== undefined, hint: stored ? stored.hint : null };
    });
  }

  /** `true` when a key for `provider` is stored. */
  has(provider: KeyProvider): boolean {
    return this.readFile().keys[provider] !== undefined;
  }

  /**
   * Checks, encrypts and stores a key, replacing the provider's previous one.
   * @param secret the Alpaca secret key; ignored for Polygon.
   * @param acceptWeakProtection the trader accepted that `basic_text` barely protects it.
   * @returns a refusal when a field is bad, encryption is unavailable, or it is `basic_text` and not accepted.
   */
  store(provider: KeyProvider, keyId: unknown, secret: unknown, acceptWeakProtection: boolean): KeyOutcome {
    const isAlpaca = provider === 'alpaca';
    const id = checkKey(keyId, isAlpaca ? LABELS.alpacaKeyId : LABELS.polygon, 'keyId');
    if (!id.ok) return id;
    const secretKey = isAlpaca ? checkKey(secret, LABELS.alpacaSecret, 'secret') : null;
    if (secretKey && !secretKey.ok) return secretKey;

    const protection = this.protection();
    if (protection === 'unavailable') {
      return {
        ok: false,
        field: 'protection',
        message: 'This computer cannot encrypt secrets, so keys cannot be stored. Set them in the environment instead (APCA_API_KEY_ID, APCA_API_SECRET_KEY, POLYGON_API_KEY).',
      };
    }
    if (protection === 'basic_text' && !acceptWeakProtection) {
      return {
        ok: false,
        field: 'acceptWeakProtection',
        message: 'No system keyring was found, so the key would be protected only weakly (readable by anyone who can read your files). Confirm to store it anyway.',
      };
    }

    this.noteUnusualShape(isAlpaca ? 'alpacaKeyId' : 'polygon', id.value);
    if (secretKey) this.noteUnusualShape('alpacaSecret', secretKey.value);
    let entry: StoredKey;
    try {
      entry = {
        hint: id.value.slice(-4),
        keyId: this.safeStorage.encryptString(id.value).toString('base64'),
        ...(secretKey ? { secret: this.safeStorage.encryptString(secretKey.value).toString('base64') } : {}),
      };
    } catch (error) {
      this.log.warn(`Could not encrypt the ${provider} key: ${(error as Error).message}`);
      return { ok: false, field: 'protection', message: 'The key could not be encrypted; it was not stored.' };
    }
    const file = this.readFile();
    this.writeFile({ version: 1, keys: { ...file.keys, [provider]: entry } });
    this.log.info(`Stored the ${provider} key ••••${entry.hint} (${protection === 'os' ? 'OS-protected' : 'weakly protected, accepted by the trader'})`);
    return { ok: true };
  }

  /** Forgets the provider's key. */
  clear(provider: KeyProvider): void {
    const file = this.readFile();
    if (!file.keys[provider]) return;
    const keys = { ...file.keys };
    delete keys[provider];
    this.writeFile({ version: 1, keys });
    this.log.info(`Removed the stored ${provider} key`);
  }

  /** The stored keys, decrypted, for the engine config; a key that cannot be decrypted is logged and left out. */
  decrypted(): DecryptedKeys {
    const { keys } = this.readFile();
    const alpacaId = keys.alpaca ? this.decrypt('alpaca', keys.alpaca.keyId) : null;
    const alpacaSecret = keys.alpaca?.secret ? this.decrypt('alpaca', keys.alpaca.secret) : null;
    const polygon = keys.polygon ? this.decrypt('polygon', keys.polygon.keyId) : null;
    return {
      ...(alpacaId && alpacaSecret ? { alpaca: { keyId: alpacaId, secretKey: alpacaSecret } } : {}),
      ...(polygon ? { polygon: { apiKey: polygon } } : {}),
    };
  }

  private decrypt(provider: KeyProvider, base64: string): string | null {
    try {
      return this.safeStorage.decryptString(Buffer.from(base64, 'base64'));
    } catch (error) {
      this.log.warn(`Could not decrypt the stored ${provider} key (${(error as Error).message}); store it again in Settings → Data & Brokers`);
      return null;
    }
  }

  private noteUnusualShape(field: keyof typeof USUAL_SHAPES, value: string): void {
    if (!USUAL_SHAPES[field].test(value)) this.log.info(`The ${LABELS[field]} does not have the usual shape; storing it anyway`);
  }

  private readFile(): KeysFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`Could not read ${KEYS_FILE}: ${(error as Error).message}`);
      return { version: 1, keys: {} };
    }
    try {
      const parsed = keysFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: reported below
    }
    this.log.warn(`${KEYS_FILE} is invalid; no keys are used until they are stored again`);
    return { version: 1, keys: {} };
  }

  private writeFile(file: KeysFile): void {
    writeFileAtomic(this.path, `${JSON.stringify(keysFileSchema.parse(file), null, 2)}\n`, 0o600);
  }
}
