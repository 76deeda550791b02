/**
 * Recording a live session and replaying it: the engine records every quote and trade it gets
 * from the live feed (Alpaca stream double replaying the recorded IBM session), and a replay of
 * that recording through the ReplayFeed builds the same bars. Retention deletes old ticks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, quietLogger } from '../support/cleanups';
import type { Bar, Quote, Trade } from '../../shared/domain';
import type { EngineEvent, ServerMessage } from '../../shared/protocol';
import { SymbolBars } from '../../electron/engine/bars/symbol-bars';
import { Engine } from '../../electron/engine/engine';
import { AlpacaStream } from '../../electron/engine/feeds/alpaca-stream';
import { FeedManager } from '../../electron/engine/feeds/feed-manager';
import { ReplayFeed } from '../../electron/engine/feeds/replay-feed';
import { openDatabase } from '../../electron/engine/store/database';
import { RECORDINGS_FILE, TickRecorder } from '../../electron/engine/store/tick-recorder';
import { startAlpacaStreamDouble } from '../doubles/alpaca-stream-double';
import { exchangeTime } from '../doubles/recorded-stream';
import { waitFor } from '../support/wait-for';
import { HAS_LEAN_DATA } from '../support/shared-data';

const DATE = '2013-10-07';
const cleanups = cleanupAfterEach();

const ohlcv = (b: Bar): number[] => [b.openTime, b.open, b.high, b.low, b.close, b.volume];

describe.skipIf(!HAS_LEAN_DATA)('recording live data', () => {
  it('records every quote and trade of a live session; its replay builds the same 1-minute bars', async () => {
    const from = exchangeTime(DATE, '10:00');
    const double = await startAlpacaStreamDouble({ keyId: 'k', secretKey: 's', symbols: ['IBM'], date: DATE, fromMs: from, toMs: from + 5 * 60_000, speed: 'max', startPaused: true });
    cleanups.push(() => double.close());
    // A clock held at the start: bars close on the prints' own times, as in the replay. (At full
    // speed the double's replay clock runs ahead of delivery and would close minutes early.)
    const now = (): number => from;
    const feed = new FeedManager({
      symbols: ['IBM'],
      now,
      // Replayed at full speed the replay clock runs ahead of delivery: freshness is not under test here.
      freshness: { minStaleMs: 3_600_000, noDataMs: 3_600_000 },
      primary: (listener) => new AlpacaStream({ keyId: 'k', secretKey: 's', baseUrl: double.url, feed: 'sip' }, listener, { validator: { now } }),
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'tw-rec-'));
    const db = openDatabase({ path: join(dataDir, 'workstation.db') });
    const engine = new Engine({ feed, db, logger: quietLogger, now, recordingPath: join(dataDir, RECORDINGS_FILE) });
    let stopped = false;
    cleanups.push(() => db.close());
    cleanups.push(() => stopped || engine.stop());
    await engine.start();
    const messages: ServerMessage[] = [];
    engine.connect('w', (m) => messages.push(m));
    engine.handleRequest('w', { id: 1, command: { type: 'updateSettings', settings: { recording: { enabled: true } } } });
    engine.handleRequest('w', { id: 2, command: { type: 'subscribe', topics: ['health'] } });
    await waitFor('connected', () => feed.health().state === 'live', 20_000);
    // The double only streams to subscribed connections: start it once our subscription is in.
    await waitFor('subscribed', () => double.received.some((r) => (r.message as { action?: string }).action === 'subscribe'), 20_000);
    double.resume();
    await double.whenFinished();
    const sent = double.events.filter((e) => e.kind !== 'bar').length;
    // Every message is accepted or counted as dropped (none are, on this recording).
    await waitFor('every tick delivered', () => feed.health().messages + Object.values(feed.health().dropped).reduce((a, b) => a + b, 0) >= sent, 20_000);
    expect(feed.health().dropped).toEqual({});
    engine.flush();
    const replayed = new Map<number, Bar>();
    const replayedSeries = new SymbolBars('IBM', (tf, bar) => tf === '1m' && replayed.set(bar.openTime, bar), { timeframes: ['1m'] });
    // What the engine built live: read back through its own history.
    engine.handleRequest('w', { id: 3, command: { type: 'subscribe', topics: ['bars:IBM:1m'] } });
    engine.flush();
    const history = messages.flatMap((m) => (m.type === 'events' ? m.events : [])).find((e): e is Extract<EngineEvent, { type: 'barHistory' }> => e.type === 'barHistory');
    const liveBars = (history?.bars ?? []).map((b) => b.bar);
    // The health event reports the recording and its size.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    engine.flush();
    const health = messages.flatMap((m) => (m.type === 'events' ? m.events : [])).filter((e) => e.type === 'health').at(-1);
    expect(health?.type === 'health' && health.recording).toMatchObject({ enabled: true, retentionDays: 30 });
    expect(health?.type === 'health' ? (health.recording?.bytes ?? 0) : 0).toBeGreaterThan(0);
    engine.stop();
    stopped = true;

    // Replay the recording at full speed and build bars from it.
    const replay = new ReplayFeed({ dir: '.', recording: join(dataDir, RECORDINGS_FILE), symbols: ['IBM'], date: DATE, speed: 'max' });
    const trades: Trade[] = [];
    const quotes: Quote[] = [];
    await new Promise<void>((resolve) => {
      replay.start({
        onQuote: (q) => quotes.push(q),
        onTrade: (t) => {
          trades.push(t);
          replayedSeries.addTrade(t);
        },
        onClock: () => undefined,
        onHealth: (h) => h.state === 'ended' && resolve(),
      });
    });
    replay.stop();
    replayedSeries.finish();
    expect(trades.length + quotes.length).toBe(sent);
    const closedLive = liveBars.filter((b) => b.openTime < from + 4 * 60_000);
    expect(closedLive.length).toBeGreaterThanOrEqual(3);
    expect(closedLive.map(ohlcv)).toEqual(closedLive.map((b) => ohlcv(replayed.get(b.openTime) as Bar)));
  });

  it('writes a full batch after the message that filled it, never inside it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tw-rec-')), RECORDINGS_FILE);
    const recorder = new TickRecorder({ path, retentionDays: () => 30, flushMs: 60_000, maxBatch: 100 });
    cleanups.push(() => recorder.close());
    const time = Date.UTC(2026, 10, 2, 15);
    for (let i = 0; i < 250; i++) recorder.recordTrade({ symbol: 'IBM', price: 100, size: 100, exchange: 'N', conditions: 1, time: time + i });
    // Still queued while the frame is processed…
    expect(recorder.stats().ticks).toBe(0);
    // …and written as soon as the event loop turns (one batch of everything queued so far).
    await new Promise((resolve) => setImmediate(resolve));
    expect(recorder.stats().ticks).toBe(250);
  });

  it('retention deletes ticks older than the setting and gives the space back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tw-rec-')), RECORDINGS_FILE);
    let wall = Date.UTC(2026, 10, 2);
    const recorder = new TickRecorder({ path, retentionDays: () => 30, now: () => wall, flushMs: 60_000 });
    cleanups.push(() => recorder.close());
    for (let i = 0; i < 20_000; i++) recorder.recordTrade({ symbol: 'IBM', price: 100 + (i % 7) / 100, size: 100, exchange: 'N', conditions: 1, time: wall - 40 * 86_400_000 + i });
    recorder.flush(); // chunks are written every 200 ms in real use
    for (let i = 0; i < 1_000; i++) recorder.recordTrade({ symbol: 'IBM', price: 100, size: 100, exchange: 'N', conditions: 1, time: wall - 86_400_000 + i });
    recorder.flush();
    const before = recorder.stats();
    expect(before.ticks).toBe(21_000);
    wall += 1_000;
    expect(recorder.prune()).toBe(20_000);
    const after = recorder.stats();
    expect(after.ticks).toBe(1_000);
    expect(after.oldest).toBe(Date.UTC(2026, 10, 1));
    expect(after.bytes).toBeLessThan(before.bytes);
  });
});
