/**
 * Group commit: the engine's database commits without an fsync each time (synchronous=NORMAL)
 * and syncs the WAL once before acknowledging what it wrote. A reply about an order is never
 * sent before its records are synced; a failing sync refuses new orders, as a failing write does.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../../shared/protocol';
import { Engine } from '../../../electron/engine/engine';
import { DurabilityBarrier, openDatabase, type SqliteDatabase } from '../../../electron/engine/store/database';
import { sessionTimes } from '../../../electron/engine/market/session-clock';
import { FakeFeed } from '../../support/fake-feed';
import { tempDbPath } from '../../support/trading-desk';

const T0 = sessionTimes('2013-10-07').regularOpen + 3_600_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.restoreAllMocks();
});

function database(synchronous: 'NORMAL' | 'FULL'): SqliteDatabase {
  const db = openDatabase({ path: tempDbPath(), synchronous });
  cleanups.push(() => db.close());
  return db;
}

const order = { symbol: 'IBM', side: 'buy', quantity: 10, type: 'market', timeInForce: 'day' };

describe('DurabilityBarrier', () => {
  it('syncs the WAL only when rows changed since the last sync', () => {
    const db = database('NORMAL');
    const barrier = new DurabilityBarrier(db);
    cleanups.unshift(() => barrier.close());
    expect(barrier.sync()).toBe(false);
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('k', 'v', 1);
    expect(barrier.sync()).toBe(true);
    expect(barrier.sync()).toBe(false);
    db.prepare('UPDATE settings SET value = ? WHERE key = ?').run('w', 'k');
    expect(barrier.sync()).toBe(true);
  });

  it('has nothing to do when every commit is already synced (FULL)', () => {
    const db = database('FULL');
    const barrier = new DurabilityBarrier(db);
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('k', 'v', 1);
    expect(barrier.sync()).toBe(false);
  });
});

describe('the engine acknowledges only what is on disk', () => {
  function engineOn(db: SqliteDatabase) {
    const feed = new FakeFeed(['IBM'], false);
    const engine = new Engine({ feed, db, logger: quiet, now: () => T0 });
    engine.start();
    cleanups.unshift(() => engine.stop());
    const log: string[] = [];
    const messages: ServerMessage[] = [];
    engine.connect('w1', (m) => {
      messages.push(m);
      log.push(m.type === 'reply' ? `reply ${m.id}` : m.type);
    });
    feed.quote('IBM', 100, 100.02, T0);
    return { engine, log, messages };
  }

  it("syncs an order's record before it goes to the broker, and everything written before the reply", () => {
    const db = database('NORMAL');
    const { engine, log } = engineOn(db);
    const original = DurabilityBarrier.prototype.sync;
    const synced: boolean[] = [];
    vi.spyOn(DurabilityBarrier.prototype, 'sync').mockImplementation(function (this: DurabilityBarrier) {
      const did = original.call(this);
      synced.push(did);
      if (did) log.push(`sync ${db.prepare('SELECT COUNT(*) FROM orders').pluck().get() as number}`);
      return did;
    });
    engine.handleRequest('w1', { id: 1, command: { type: 'placeOrder', order } });
    // The first real sync happens with the order's row written, and before the reply.
    expect(log[0]).toBe('sync 1');
    expect(log.indexOf('sync 1')).toBeLessThan(log.indexOf('reply 1'));
    // Only writes cost a sync: at most one for the record before the broker and one for what
    // the broker's answer wrote.
    expect(synced.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(synced.filter(Boolean).length).toBeLessThanOrEqual(2);
    // A frame's events (e.g. a fill that arrives later) are synced before they are sent too.
    log.length = 0;
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('k', 'v', 1);
    engine.flush();
    expect(log[0]).toMatch(/^sync/);
  });

  it('refuses new orders when the sync fails, with the reason, and alerts the trader', () => {
    const db = database('NORMAL');
    const { engine, messages } = engineOn(db);
    engine.handleRequest('w1', { id: 1, command: { type: 'subscribe', topics: ['alerts'] } });
    vi.spyOn(DurabilityBarrier.prototype, 'sync').mockImplementation(() => {
      throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    });
    engine.handleRequest('w1', { id: 2, command: { type: 'placeOrder', order } });
    engine.handleRequest('w1', { id: 3, command: { type: 'placeOrder', order } });
    const reply = messages.find((m) => m.type === 'reply' && m.id === 3);
    expect(reply).toMatchObject({ ok: false, error: { code: 'order_rejected', message: expect.stringMatching(/could not be saved \(EIO: i\/o error, fsync\)/) } });
    engine.flush();
    const alerts = messages.flatMap((m) => (m.type === 'events' ? m.events : [])).filter((e) => e.type === 'alert');
    expect(alerts.some((e) => e.type === 'alert' && /Database cannot be written/.test(e.alert.title))).toBe(true);
  });
});
