/**
 * The built headless host on a live feed: `--feed alpaca --backup-feed polygon` with the vendors'
 * environment variables pointing at the local stream doubles (recorded IBM session, timestamps
 * shifted to now). With Alpaca down and Polygon up, quotes keep flowing and the health event
 * says which provider is live.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../support/cleanups';
import type { EngineEvent } from '../../shared/protocol';
import { startAlpacaRestDouble } from '../doubles/alpaca-rest-double';
import { startAlpacaStreamDouble } from '../doubles/alpaca-stream-double';
import { startPolygonStreamDouble } from '../doubles/polygon-stream-double';
import { exchangeTime } from '../doubles/recorded-stream';
import { startHostProcess } from '../support/host-process';
import { HAS_LEAN_DATA, LEAN_DIR, REPO_ROOT } from '../support/shared-data';
import { openWsSession } from '../support/ws-session';

const BUILT = existsSync(join(REPO_ROOT, 'out', 'host', 'cli.cjs'));
const DATE = '2013-10-07';
const cleanups = cleanupAfterEach();

type Health = Extract<EngineEvent, { type: 'health' }>;

describe.skipIf(!HAS_LEAN_DATA || !BUILT)('headless host on live feeds (needs npm run build)', () => {
  it('fails over from Alpaca to Polygon: data keeps flowing and the health event names the live provider', async () => {
    const from = exchangeTime(DATE, '09:30');
    const common = { symbols: ['IBM'], date: DATE, fromMs: from, toMs: from + 30 * 60_000, speed: 5, timeShiftMs: 'now' as const };
    const alpaca = await startAlpacaStreamDouble({ keyId: 'PKLIVE', secretKey: 'live-secret', ...common });
    cleanups.push(() => alpaca.close());
    const polygon = await startPolygonStreamDouble({ apiKey: 'polygon-live', ...common });
    cleanups.push(() => polygon.close());
    const rest = await startAlpacaRestDouble({ leanDir: LEAN_DIR, keyId: 'PKLIVE', secretKey: 'live-secret' });
    cleanups.push(() => rest.close());
    const host = await startHostProcess(['--feed', 'alpaca', '--backup-feed', 'polygon', '--alpaca-feed', 'sip', '--symbols', 'IBM', '--broker', 'paper'], 60_000, {
      APCA_API_KEY_ID: 'PKLIVE',
      APCA_API_SECRET_KEY: 'live-secret',
      APCA_API_STREAM_URL: alpaca.url,
      APCA_API_DATA_URL: rest.url,
      POLYGON_API_KEY: 'polygon-live',
      POLYGON_WS_URL: polygon.url,
    });
    cleanups.push(() => host.stop());
    const token = new URL(host.url).searchParams.get('token') ?? '';
    const session = await openWsSession(host.url, token);
    cleanups.push(() => session.close());
    await session.request({ type: 'subscribe', topics: ['health', 'quotes:IBM'] });
    const isLive = (provider: string) => (e: EngineEvent): e is Health => e.type === 'health' && e.feed.provider === provider && e.feed.state === 'live';
    await session.waitFor(isLive('alpaca'), 15_000);
    const tickers = (): number => session.events.filter((e) => e.type === 'ticker').length;
    const before = tickers();
    await session.waitFor(() => tickers() > before + 3, 15_000);

    alpaca.refuseNextUpgrades(503, 10_000);
    alpaca.dropConnections();
    const failed = await session.waitFor(isLive('polygon'), 20_000);
    expect(failed.feed.providers?.map((p) => [p.name, p.role, p.active])).toEqual([
      ['alpaca', 'primary', false],
      ['polygon', 'backup', true],
    ]);
    const during = tickers();
    await session.waitFor(() => tickers() > during + 3, 15_000);
  });
});
