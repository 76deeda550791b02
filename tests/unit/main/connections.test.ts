import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONNECTIONS_FILE, DEFAULT_CONNECTION_SETTINGS } from '../../../electron/main/connection-settings';
import { ConnectionsService } from '../../../electron/main/connections-service';
import { KEYS_FILE, secretProtection } from '../../../electron/main/key-store';
import type { ConnectionSettings } from '../../../shared/preload-api';
import { resetElectronMock, safeStorage } from '../../support/electron-mock';

const KEY_ID = 'PKTESTKEYID000004321';
const SECRET = 'Sx9fQ2mZk7LwP4tR8vB1nC6hD3jE5gA0yU2iO7wq';
const POLYGON_KEY = 'Pq7Zr2Lm9Ks4Tn8Wv1Xy6Ba3Cd5Ef0Gh';

function service(platform: NodeJS.Platform = 'linux') {
  const dir = resetElectronMock();
  const logs: string[] = [];
  let restarts = 0;
  const connections = new ConnectionsService({
    dir,
    safeStorage,
    platform,
    log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`) },
    onChanged: () => restarts++,
  });
  return { dir, logs, connections, restarts: () => restarts };
}

const ALPACA_ON: ConnectionSettings = { dataPrimary: 'alpaca', dataBackup: 'none', alpacaFeed: 'sip', broker: 'alpaca', alpacaEnvironment: 'live' };

describe('secretProtection', () => {
  beforeEach(() => void resetElectronMock());
  it.each([
    ['gnome_libsecret', 'linux', 'os'],
    ['kwallet5', 'linux', 'os'],
    ['basic_text', 'linux', 'basic_text'],
    ['unknown', 'linux', 'basic_text'],
    ['basic_text', 'darwin', 'os'],
    ['basic_text', 'win32', 'os'],
  ] as const)('backend %s on %s → %s', (backend, platform, expected) => {
    safeStorage.backend = backend;
    expect(secretProtection(safeStorage, platform)).toBe(expected);
  });
  it('unavailable when safeStorage cannot encrypt', () => {
    safeStorage.available = false;
    expect(secretProtection(safeStorage, 'darwin')).toBe('unavailable');
  });
});

describe('ConnectionsService: settings', () => {
  it('starts from the defaults with no key stored', () => {
    const { connections } = service();
    expect(connections.get()).toEqual({
      settings: DEFAULT_CONNECTION_SETTINGS,
      keys: [
        { provider: 'alpaca', stored: false, hint: null },
        { provider: 'polygon', stored: false, hint: null },
      ],
      protection: 'os',
    });
  });

  it('validates and saves settings to connections.json, then restarts the engine', () => {
    const { connections, dir, restarts } = service();
    expect(connections.storeKey({ provider: 'alpaca', keyId: KEY_ID, secret: SECRET, acceptWeakProtection: false }).ok).toBe(true);
    const result = connections.update(ALPACA_ON);
    expect(result).toEqual({ ok: true, state: expect.objectContaining({ settings: ALPACA_ON }) });
    expect(restarts()).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, CONNECTIONS_FILE), 'utf8'))).toEqual({ version: 1, settings: ALPACA_ON });
    expect(connections.settings()).toEqual(ALPACA_ON);
  });

  it.each([
    [{ ...DEFAULT_CONNECTION_SETTINGS, broker: 'ib' }, 'broker'],
    [{ ...DEFAULT_CONNECTION_SETTINGS, extra: 1 }, undefined],
    ['nonsense', undefined],
    [{ ...DEFAULT_CONNECTION_SETTINGS, dataBackup: 'polygon' }, 'dataBackup'],
    [{ ...DEFAULT_CONNECTION_SETTINGS, dataPrimary: 'polygon' }, 'dataPrimary'],
    [{ ...DEFAULT_CONNECTION_SETTINGS, broker: 'alpaca' }, 'broker'],
  ])('refuses %j', (payload, field) => {
    const { connections, restarts } = service();
    const result = connections.update(payload);
    expect(result.ok).toBe(false);
    if (field && !result.ok) expect(result.field).toBe(field);
    expect(restarts()).toBe(0);
  });

  it('refuses a backup that repeats the primary', () => {
    const { connections } = service();
    connections.storeKey({ provider: 'polygon', keyId: POLYGON_KEY, secret: null, acceptWeakProtection: false });
    expect(connections.update({ ...DEFAULT_CONNECTION_SETTINGS, dataPrimary: 'polygon', dataBackup: 'polygon' })).toMatchObject({ ok: false, field: 'dataBackup' });
  });

  it('logs a bad connections.json and uses the defaults', () => {
    const { connections, dir, logs } = service();
    writeFileSync(join(dir, CONNECTIONS_FILE), JSON.stringify({ version: 1, settings: { ...DEFAULT_CONNECTION_SETTINGS, broker: 'ib' } }));
    expect(connections.get().settings).toEqual(DEFAULT_CONNECTION_SETTINGS);
    expect(logs.some((m) => m.startsWith('warn') && m.includes('broker'))).toBe(true);
    writeFileSync(join(dir, CONNECTIONS_FILE), '{not json');
    expect(connections.settings()).toEqual(DEFAULT_CONNECTION_SETTINGS);
  });
});

describe('ConnectionsService: keys', () => {
  it('encrypts keys with safeStorage into keys.json (owner-only), shows a window only the status and last 4', () => {
    const { connections, dir } = service();
    const result = connections.storeKey({ provider: 'alpaca', keyId: `  ${KEY_ID}\n`, secret: SECRET, acceptWeakProtection: false });
    expect(result).toMatchObject({ ok: true, state: { keys: [{ provider: 'alpaca', stored: true, hint: '4321' }, { provider: 'polygon', stored: false, hint: null }] } });
    const file = readFileSync(join(dir, KEYS_FILE), 'utf8');
    expect(file).not.toContain(KEY_ID);
    expect(file).not.toContain(SECRET);
    if (process.platform !== 'win32') expect(statSync(join(dir, KEYS_FILE)).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(connections.get())).not.toContain(KEY_ID);
    expect(connections.decryptedKeys()).toEqual({ alpaca: { keyId: KEY_ID, secretKey: SECRET } });
  });

  it('refuses to store a key when safeStorage cannot encrypt', () => {
    const { connections, dir } = service();
    safeStorage.available = false;
    expect(connections.storeKey({ provider: 'polygon', keyId: POLYGON_KEY, secret: null, acceptWeakProtection: true })).toMatchObject({ ok: false, field: 'protection' });
    expect(() => readFileSync(join(dir, KEYS_FILE))).toThrow();
    expect(connections.get().protection).toBe('unavailable');
  });

  it('with only basic_text protection, refuses unless the trader accepted the weak protection', () => {
    const { connections } = service('linux');
    safeStorage.backend = 'basic_text';
    expect(connections.get().protection).toBe('basic_text');
    expect(connections.storeKey({ provider: 'polygon', keyId: POLYGON_KEY, secret: null, acceptWeakProtection: false })).toMatchObject({ ok: false, field: 'acceptWeakProtection' });
    expect(connections.get().keys[1]).toEqual({ provider: 'polygon', stored: false, hint: null });
    expect(connections.storeKey({ provider: 'polygon', keyId: POLYGON_KEY, secret: null, acceptWeakProtection: true })).toMatchObject({ ok: true });
    expect(connections.decryptedKeys()).toEqual({ polygon: { apiKey: POLYGON_KEY } });
  });

  it.each([
    [{ provider: 'alpaca', keyId: '   ', secret: SECRET, acceptWeakProtection: false }, 'keyId'],
    [{ provider: 'alpaca', keyId: 'PK12345 67890', secret: SECRET, acceptWeakProtection: false }, 'keyId'],
    [{ provider: 'alpaca', keyId: KEY_ID, secret: '', acceptWeakProtection: false }, 'secret'],
    [{ provider: 'alpaca', keyId: KEY_ID, secret: null, acceptWeakProtection: false }, 'secret'],
    [{ provider: 'alpaca', keyId: KEY_ID, secret: 'x'.repeat(300), acceptWeakProtection: false }, 'secret'],
    [{ provider: 'polygon', keyId: 'key\u0000zero', secret: null, acceptWeakProtection: false }, 'keyId'],
    [{ provider: 'schwab', keyId: KEY_ID, secret: SECRET, acceptWeakProtection: false }, 'provider'],
    [{ provider: 'polygon', keyId: POLYGON_KEY, secret: null }, 'acceptWeakProtection'],
  ])('refuses bad key input %#', (payload, field) => {
    const { connections, restarts } = service();
    expect(connections.storeKey(payload)).toMatchObject({ ok: false, field });
    expect(restarts()).toBe(0);
  });

  it('is lenient about unusual but plausible key shapes', () => {
    const { connections, logs } = service();
    expect(connections.storeKey({ provider: 'alpaca', keyId: 'CKNEWFORMAT123', secret: 'short-secret', acceptWeakProtection: false }).ok).toBe(true);
    expect(logs.some((m) => /usual shape/.test(m))).toBe(true);
  });

  it('clearing a key forgets it and moves choices that needed it back to simulated / paper', () => {
    const { connections, restarts } = service();
    connections.storeKey({ provider: 'alpaca', keyId: KEY_ID, secret: SECRET, acceptWeakProtection: false });
    connections.update(ALPACA_ON);
    const result = connections.clearKey({ provider: 'alpaca' });
    expect(result).toMatchObject({ ok: true, state: { settings: { dataPrimary: 'simulated', dataBackup: 'none', broker: 'paper', alpacaFeed: 'sip' } } });
    expect(connections.decryptedKeys()).toEqual({});
    expect(restarts()).toBe(3);
    expect(connections.clearKey({ provider: 'etrade' })).toMatchObject({ ok: false, field: 'provider' });
  });

  it('a key that no longer decrypts is logged and left out of the engine config', () => {
    const { connections, dir, logs } = service();
    connections.storeKey({ provider: 'polygon', keyId: POLYGON_KEY, secret: null, acceptWeakProtection: false });
    const file = JSON.parse(readFileSync(join(dir, KEYS_FILE), 'utf8')) as { keys: { polygon: { keyId: string } } };
    file.keys.polygon.keyId = Buffer.from('garbage').toString('base64');
    writeFileSync(join(dir, KEYS_FILE), JSON.stringify(file));
    expect(connections.decryptedKeys()).toEqual({});
    expect(logs.some((m) => /Could not decrypt the stored polygon key/.test(m))).toBe(true);
  });

  it('never logs a key or secret while storing, updating, refusing and clearing', () => {
    const { connections, logs } = service('linux');
    connections.storeKey({ provider: 'alpaca', keyId: KEY_ID, secret: SECRET, acceptWeakProtection: false });
    connections.storeKey({ provider: 'polygon', keyId: POLYGON_KEY, secret: null, acceptWeakProtection: false });
    connections.storeKey({ provider: 'alpaca', keyId: `${KEY_ID} x`, secret: SECRET, acceptWeakProtection: false });
    connections.storeKey({ provider: 'alpaca', keyId: 'odd-shape', secret: `${SECRET}-odd`, acceptWeakProtection: false });
    safeStorage.backend = 'basic_text';
    connections.storeKey({ provider: 'alpaca', keyId: KEY_ID, secret: SECRET, acceptWeakProtection: false });
    connections.update({ ...ALPACA_ON, dataBackup: 'polygon' });
    connections.decryptedKeys();
    connections.clearKey({ provider: 'polygon' });
    expect(logs.length).toBeGreaterThan(3);
    const all = logs.join('\n');
    for (const secret of [KEY_ID, SECRET, POLYGON_KEY, 'odd-shape', KEY_ID.slice(0, 16), SECRET.slice(4, 30), POLYGON_KEY.slice(0, 28)]) expect(all).not.toContain(secret);
    expect(all).toContain('••••4321');
  });
});
