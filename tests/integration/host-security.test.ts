/**
 * The headless host's front door, and the engine's logs:
 * - every page and every WebSocket needs the host's token; a WebSocket also the host's Origin;
 * - pages carry the host's Content-Security-Policy (which allows the WebSocket back) and not the
 *   Electron renderer's <meta> policy (which allows no network);
 * - the CLI listens on loopback unless `--host` says otherwise, and then prints a warning;
 * - with Alpaca and Polygon keys that their servers refuse, nothing the engine logs or sends to a
 *   window holds a key.
 * (tests/integration/host.test.ts covers a wrong token and a foreign Origin on the WebSocket.)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../electron/host/host-server';
import { startAlpacaRestDouble } from '../doubles/alpaca-rest-double';
import { startAlpacaStreamDouble } from '../doubles/alpaca-stream-double';
import { startAlpacaTradingDouble } from '../doubles/alpaca-trading-double';
import { startPolygonStreamDouble } from '../doubles/polygon-stream-double';
import { exchangeTime } from '../doubles/recorded-stream';
import { cleanupAfterEach } from '../support/cleanups';
import { startHostProcess } from '../support/host-process';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON, REPO_ROOT } from '../support/shared-data';
import { openWsSession } from '../support/ws-session';

const WORKER = join(REPO_ROOT, 'out', 'engine', 'worker.cjs');
const RENDERER = join(REPO_ROOT, 'out', 'renderer');
const CLI = join(REPO_ROOT, 'out', 'host', 'cli.cjs');
const BUILT = existsSync(WORKER) && existsSync(join(RENDERER, 'index.html')) && existsSync(CLI);
const cleanups = cleanupAfterEach();

describe.skipIf(!BUILT)('headless host: token and origin (needs npm run build)', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost({
      host: '127.0.0.1',
      port: 0,
      rendererDir: RENDERER,
      workerPath: WORKER,
      engine: { dataDir: mkdtempSync(join(tmpdir(), 'tw-host-sec-')), feed: { kind: 'simulated' } },
      log: () => undefined,
    });
  });
  afterAll(async () => host?.close());

  const base = (): string => `http://127.0.0.1:${host.port}`;

  it.each(['/', '/index.html', '/?window=chart&symbol=AAPL', '/?token=', '/?token=wrong-token', '/index.html?token=x'])('refuses the page %s: no valid token', async (path) => {
    const response = await fetch(`${base()}${path}`);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toMatch(/<div id="root">/);
  });

  it('serves the page with the token, under the host policy only (the Electron <meta> policy stripped)', async () => {
    const response = await fetch(`${base()}/?token=${host.token}&window=chart`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\*/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).toMatch(/<div id="root">/);
    expect(html).not.toMatch(/http-equiv="Content-Security-Policy"/i);
    // The built page does carry the Electron policy: the host removed it.
    expect(readFileSync(join(RENDERER, 'index.html'), 'utf8')).toMatch(/http-equiv="Content-Security-Policy"/);
  });

  it('serves the public app bundle (scripts, styles) with the same headers', async () => {
    const asset = readdirSync(join(RENDERER, 'assets')).find((name) => name.endsWith('.js'));
    const response = await fetch(`${base()}/assets/${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a WebSocket without a token, with an empty or wrong one, or from another origin', async () => {
    const upgrade = (path: string, headers: Record<string, string> = {}): Promise<number> =>
      new Promise((resolve, reject) => {
        const url = new URL(path, base());
        import('node:http').then(({ request }) => {
          const req = request(url, { headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers } });
          req.on('upgrade', (res, socket) => {
            socket.destroy();
            resolve(res.statusCode ?? 0);
          });
          req.on('response', (res) => resolve(res.statusCode ?? 0));
          req.on('error', reject);
          req.end();
        }, reject);
      });
    expect(await upgrade('/ws')).toBe(401);
    expect(await upgrade('/ws?token=')).toBe(401);
    expect(await upgrade(`/ws?token=${host.token}x`)).toBe(401);
    expect(await upgrade(`/ws?token=${host.token}`, { Origin: 'http://localhost.evil.example' })).toBe(403);
    expect(await upgrade(`/ws?token=${host.token}`, { Origin: `http://localhost:${host.port}` })).toBe(403);
    expect(await upgrade(`/ws?token=${host.token}`, { Origin: 'null' })).toBe(403);
    expect(await upgrade(`/other?token=${host.token}`)).toBe(404);
    await expect(openWsSession(`${base()}/`, '')).rejects.toThrow('HTTP 401');
    const ok = await openWsSession(`${base()}/`, host.token, { Origin: base() });
    ok.close();
  });
});

/** Runs the CLI until it prints its address or exits; returns what it printed. */
function runCli(args: readonly string[]): Promise<{ stdout: string; stderr: string; stop: () => void }> {
  const child = spawn(process.execPath, [CLI, '--data-dir', mkdtempSync(join(tmpdir(), 'tw-host-cli-')), ...args], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host did not start:\n${stdout}${stderr}`));
    }, 30_000);
    const stop = (): void => {
      child.kill('SIGTERM');
    };
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/listening at/.test(stdout)) {
        clearTimeout(timer);
        resolve({ stdout, stderr, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${stdout}${stderr}`));
    });
  });
}

describe.skipIf(!BUILT)('headless host CLI: loopback unless --host (needs npm run build)', () => {
  it('listens on 127.0.0.1 by default, unreachable on the other interfaces, without a warning', async () => {
    const host = await runCli([]);
    cleanups.push(async () => host.stop());
    const match = /listening at http:\/\/127\.0\.0\.1:(\d+)\/\?token=[\w-]{20,}/.exec(host.stdout);
    expect(match).not.toBeNull();
    expect(host.stderr).not.toMatch(/WARNING/);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (external) await expect(fetch(`http://${external.address}:${match?.[1]}/`)).rejects.toThrow();
  });

  it('listens beyond loopback only with --host, and then warns', async () => {
    const host = await runCli(['--host', '0.0.0.0']);
    cleanups.push(async () => host.stop());
    expect(host.stderr).toMatch(/WARNING: listening on 0\.0\.0\.0, beyond this computer/);
  });
});

describe.skipIf(!BUILT || !HAS_LEAN_DATA)(`engine logs never hold a key (needs npm run build; ${NO_DATA_REASON})`, () => {
  const KEY_ID = 'PKHOSTSEC00000005678';
  const SECRET = 'Hs7Gk2Lq9Wz4Xc1Vb6Nm3Pt8Ry5Eu0Io2Aj7Df';
  const POLYGON_KEY = 'Pk3Lm8Nq1Rs6Tv9Wx2Yz5Ab7Cd0Ef4Gh';
  const DATE = '2013-10-07';

  it('with keys the vendors refuse, neither the logs, the output nor the windows see them', async () => {
    const from = exchangeTime(DATE, '09:30');
    const common = { symbols: ['IBM'], date: DATE, fromMs: from, toMs: from + 10 * 60_000, speed: 5, timeShiftMs: 'now' as const };
    // The servers know other keys: every connection fails authentication, and is logged.
    const alpaca = await startAlpacaStreamDouble({ keyId: 'PKOTHER', secretKey: 'other-secret', ...common });
    cleanups.push(() => alpaca.close());
    const polygon = await startPolygonStreamDouble({ apiKey: 'other-polygon-key', ...common });
    cleanups.push(() => polygon.close());
    const trading = await startAlpacaTradingDouble({ keyId: 'PKOTHER', secretKey: 'other-secret', symbols: ['IBM'], now: () => Date.now() });
    cleanups.push(() => trading.close());
    const rest = await startAlpacaRestDouble({ leanDir: LEAN_DIR, keyId: 'PKOTHER', secretKey: 'other-secret' });
    cleanups.push(() => rest.close());
    const host = await startHostProcess(['--feed', 'alpaca', '--backup-feed', 'polygon', '--symbols', 'IBM', '--broker', 'alpaca'], 60_000, {
      APCA_API_KEY_ID: KEY_ID,
      APCA_API_SECRET_KEY: SECRET,
      APCA_API_STREAM_URL: alpaca.url,
      APCA_API_DATA_URL: rest.url,
      APCA_API_BASE_URL: trading.url,
      APCA_API_TRADING_STREAM_URL: trading.streamUrl,
      POLYGON_API_KEY: POLYGON_KEY,
      POLYGON_WS_URL: polygon.url,
    });
    cleanups.push(() => host.stop());
    let output = '';
    host.child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    host.child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const token = new URL(host.url).searchParams.get('token') ?? '';
    const session = await openWsSession(host.url, token);
    cleanups.push(() => session.close());
    await session.request({ type: 'subscribe', topics: ['health', 'alerts', 'quotes:IBM', 'orders'] });
    const logFile = join(host.dataDir, 'logs', 'host.log');
    const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    // Both feeds and the broker have been refused and said so.
    await session.waitFor(() => /stream error: auth failed/.test(log()) && /Could not backfill IBM/.test(log()) && session.events.some((e) => e.type === 'health'), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await host.stop();

    const everything = [log(), output, JSON.stringify(session.events)].join('\n');
    expect(log().length).toBeGreaterThan(0);
    for (const secret of [SECRET, POLYGON_KEY]) expect(everything).not.toContain(secret);
    // Nor the key id (the half of Alpaca's pair that is not secret) in the log or the output.
    expect(`${log()}\n${output}`).not.toContain(KEY_ID);
  });
});
