/**
 * Fault drill: kill the headless host (engine included) with SIGKILL at a random moment while a
 * window is sending orders, 50 times, restarting on the same database each time. Every order the
 * engine acknowledged must be in the database with at least the state it was acknowledged in,
 * and no order or fill may be duplicated.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../shared/domain';
import { HAS_LEAN_DATA, LEAN_DIR, NO_DATA_REASON, REPO_ROOT } from '../support/shared-data';
import { openWsSession } from '../support/ws-session';

const HOST = join(REPO_ROOT, 'out', 'host', 'cli.cjs');
const TRIALS = 50;

/** mulberry32, for reproducible kill moments. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function startHost(dataDir: string): Promise<{ url: string; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, [HOST, '--feed', 'replay', '--dir', LEAN_DIR, '--symbols', 'IBM', '--date', '2013-10-07', '--speed', '1', '--from', '10:00', '--data-dir', dataDir]);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start: ${output}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /listening at (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1] as string,
        kill: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  });
}

describe.skipIf(!HAS_LEAN_DATA || !existsSync(HOST))(`kill -9 during order entry, ${TRIALS} trials (${NO_DATA_REASON}; needs npm run build)`, () => {
  it('loses no acknowledged order or fill and duplicates none', { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tw-crash-'));
    const next = random(20131007);
    const acknowledged = new Map<string, Order>();
    let sent = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const host = await startHost(dataDir);
      const page = new URL(host.url);
      const session = await openWsSession(`${page.origin}/`, page.searchParams.get('token') ?? '');
      await session.request({ type: 'subscribe', topics: ['quotes:IBM'] });
      await session.waitFor((e) => e.type === 'ticker' && e.ticker.ask !== null);
      const killAfter = 5 + next() * 120;
      const started = Date.now();
      const killed = (async () => {
        await new Promise((r) => setTimeout(r, killAfter));
        await host.kill();
      })();
      // Orders go out back to back until the kill lands; each reply is an acknowledgement.
      for (let i = 0; Date.now() - started < killAfter + 50 && i < 200; i++) {
        const clientOrderId = `drill-${trial}-${i}`;
        const side = i % 2 === 0 ? 'buy' : 'sell';
        sent++;
        const reply = await Promise.race([
          session.request({ type: 'placeOrder', order: { symbol: 'IBM', side, quantity: 1, type: 'limit', limitPrice: side === 'buy' ? 190 : 170, timeInForce: 'day', clientOrderId } }),
          killed.then(() => null),
        ]);
        if (!reply) break;
        if (reply.ok) acknowledged.set(clientOrderId, (reply.result as { order: Order }).order);
      }
      await killed;
      session.close();
    }

    const db = new Database(join(dataDir, 'workstation.db'), { readonly: true });
    const orders = db.prepare<[], { client_order_id: string; status: string; quantity: number; filled_quantity: number; id: string }>('SELECT * FROM orders').all();
    const byClientId = new Map(orders.map((o) => [o.client_order_id, o]));
    const fills = db.prepare<[], { order_id: string; quantity: number }>('SELECT order_id, quantity FROM fills').all();
    db.close();

    expect(acknowledged.size).toBeGreaterThan(TRIALS);
    for (const [clientOrderId, order] of acknowledged) {
      const stored = byClientId.get(clientOrderId);
      expect(stored, `acknowledged order ${clientOrderId} is missing`).toBeDefined();
      if (order.status === 'filled') expect(stored?.status).toBe('filled');
    }
    expect(new Set(orders.map((o) => o.client_order_id)).size).toBe(orders.length);
    const filledById = new Map<string, number>();
    for (const f of fills) filledById.set(f.order_id, (filledById.get(f.order_id) ?? 0) + f.quantity);
    for (const o of orders) {
      expect(filledById.get(o.id) ?? 0, `fills of ${o.client_order_id}`).toBe(o.filled_quantity);
      expect(o.filled_quantity).toBeLessThanOrEqual(o.quantity);
    }
    expect(orders.every((o) => o.status !== 'pending_new' || !acknowledged.has(o.client_order_id))).toBe(true);
    expect(sent).toBeGreaterThanOrEqual(acknowledged.size);
  });
});
