import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, ServerMessage } from '../../shared/protocol';
import { EngineSupervisor, workerSpawner } from '../../shared/engine-supervisor';
import { startHost, type RunningHost } from '../../electron/host/host-server';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON, REPO_ROOT } from '../support/shared-data';
import { openWsSession } from '../support/ws-session';

const WORKER = join(REPO_ROOT, 'out', 'engine', 'worker.cjs');
const RENDERER = join(REPO_ROOT, 'out', 'renderer');
const BUILT = existsSync(WORKER);

describe.skipIf(!HAS_LEAN_DATA || !BUILT)(`headless host over WebSocket (${NO_DATA_REASON}; needs npm run build)`, () => {
  let host: RunningHost;
  const logs: string[] = [];

  beforeAll(async () => {
    host = await startHost({
      host: '127.0.0.1',
      port: 0,
      rendererDir: RENDERER,
      workerPath: WORKER,
      engine: {
        dataDir: mkdtempSync(join(tmpdir(), 'tw-host-')),
        feed: { kind: 'replay', dir: LEAN_DIR, symbols: ['IBM'], date: '2013-10-07', speed: 60, from: '10:00' },
      },
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
  });
  afterAll(async () => host?.close());

  const base = (): string => `http://127.0.0.1:${host.port}/`;

  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${base()}?token=${host.token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(await response.text()).toMatch(/<div id="root">/);
  });

  it('refuses a connection without the token, or from another origin', async () => {
    await expect(openWsSession(base(), 'wrong-token')).rejects.toThrow('HTTP 401');
    await expect(openWsSession(base(), host.token, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const ok = await openWsSession(base(), host.token, { Origin: `http://127.0.0.1:${host.port}` });
    ok.close();
  });

  it('validates every command and answers with the bad field; unreadable frames are dropped', async () => {
    const s = await openWsSession(base(), host.token);
    s.sendRaw('{not json');
    const reply = await s.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: -1, type: 'market', timeInForce: 'gtd' } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_command', field: 'command.order.timeInForce' } });
    const rejected = await s.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: -1, type: 'market', timeInForce: 'day' } });
    expect(rejected).toMatchObject({ ok: false, error: { code: 'order_rejected', field: 'quantity' } });
    s.close();
  });

  it('streams a bar snapshot and live bars, and fills a market order against the replayed NBBO', async () => {
    const s = await openWsSession(base(), host.token);
    expect((await s.request({ type: 'subscribe', topics: ['bars:IBM:1m', 'quotes:IBM', 'orders'] })).ok).toBe(true);
    const history = await s.waitFor((e): e is Extract<EngineEvent, { type: 'barHistory' }> => e.type === 'barHistory');
    expect(history.bars.length).toBeGreaterThan(50); // IBM traded in 76 minutes between 04:00 and 10:00
    await s.waitFor((e) => e.type === 'bar');
    const ticker = await s.waitFor((e): e is Extract<EngineEvent, { type: 'ticker' }> => e.type === 'ticker' && e.ticker.ask !== null);
    const reply = await s.request({ type: 'placeOrder', order: { symbol: 'IBM', side: 'buy', quantity: 10, type: 'market', timeInForce: 'day' } });
    expect(reply).toMatchObject({ ok: true, result: { order: { status: 'filled', filledQuantity: 10 } } });
    expect(Math.abs((reply.ok ? (reply.result as { order: { averageFillPrice: number } }).order.averageFillPrice : 0) - (ticker.ticker.ask ?? 0))).toBeLessThan(1);
    await s.waitFor((e) => e.type === 'fill');
    s.close();
  });
});

describe.skipIf(!HAS_LEAN_DATA || !BUILT)('engine worker under the supervisor (real thread)', () => {
  it('restarts after the worker dies and resubscribes the window, which gets a fresh snapshot', async () => {
    const workers: Worker[] = [];
    const delivered: ServerMessage[] = [];
    const supervisor = new EngineSupervisor({
      spawn: workerSpawner(() => {
        const w = new Worker(WORKER, {
          workerData: {
            dataDir: mkdtempSync(join(tmpdir(), 'tw-sup-')),
            feed: { kind: 'replay', dir: LEAN_DIR, symbols: ['IBM'], date: '2013-10-07', speed: 1, from: '11:00' },
          },
        });
        workers.push(w);
        return w;
      }),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
      now: Date.now,
      log: () => undefined,
      deliver: (_clientId, message) => delivered.push(message),
      restart: { initialDelayMs: 50 },
    });
    supervisor.start();
    supervisor.connect('w1');
    supervisor.request('w1', { id: 1, command: { type: 'subscribe', topics: ['bars:IBM:1m'] } });
    const histories = (): number => delivered.filter((m) => m.type === 'events' && m.events.some((e) => e.type === 'barHistory')).length;
    await expect.poll(histories, { timeout: 20_000 }).toBe(1);
    await workers[0]!.terminate();
    await expect.poll(() => workers.length, { timeout: 20_000 }).toBe(2);
    await expect.poll(histories, { timeout: 20_000 }).toBe(2);
    await supervisor.stop();
  });
});
