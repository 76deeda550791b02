/**
 * A local double of Alpaca's market-data REST API v2 on 127.0.0.1 (port 0): serves
 * `GET /v2/stocks/{symbol}/bars?timeframe=1Min&start&end&limit&page_token` from the recorded
 * Lean minute bars, checks the key headers (401 `{"message":"…"}` otherwise), answers 422 for
 * bad parameters, and can be told to fail (HTTP 500, 429) or answer slowly.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readLeanMinuteTradeBars } from '../../electron/engine/feeds/lean-data';
import { exchangeDate } from '../../electron/engine/market/session-clock';

export interface AlpacaRestDoubleOptions {
  readonly leanDir: string;
  readonly keyId: string;
  readonly secretKey: string;
}

export interface AlpacaRestDouble {
  readonly url: string;
  /** Requests served, for assertions. */
  readonly requests: string[];
  /** Misbehaviour of the next requests. */
  fail: { status: number; remaining: number } | null;
  delayMs: number;
  close(): Promise<void>;
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

export async function startAlpacaRestDouble(options: AlpacaRestDoubleOptions): Promise<AlpacaRestDouble> {
  const double = { requests: [] as string[], fail: null as AlpacaRestDouble['fail'], delayMs: 0 };

  const answer = (url: URL, headers: Record<string, string | string[] | undefined>): { status: number; body: string } => {
    if (headers['apca-api-key-id'] !== options.keyId || headers['apca-api-secret-key'] !== options.secretKey) {
      return json(401, { message: 'request is not authorized' });
    }
    if (double.fail && double.fail.remaining > 0) {
      double.fail.remaining--;
      return json(double.fail.status, { message: double.fail.status === 429 ? 'too many requests.' : 'internal server error' });
    }
    const match = /^\/v2\/stocks\/([A-Za-z.]+)\/bars$/.exec(url.pathname);
    if (!match) return json(404, { message: 'Not Found' });
    if (url.searchParams.get('timeframe') !== '1Min') return json(422, { message: 'invalid timeframe' });
    const start = Date.parse(url.searchParams.get('start') ?? '');
    const end = Date.parse(url.searchParams.get('end') ?? '');
    const limit = Number(url.searchParams.get('limit') ?? '1000');
    if (!Number.isFinite(start) || !Number.isFinite(end) || !(limit >= 1 && limit <= 10_000)) return json(422, { message: 'invalid start, end or limit' });
    const symbol = (match[1] as string).toUpperCase();
    let bars: ReturnType<typeof readLeanMinuteTradeBars> = [];
    try {
      bars = readLeanMinuteTradeBars(options.leanDir, symbol, exchangeDate(start));
    } catch {
      bars = [];
    }
    const offset = Number(url.searchParams.get('page_token') ?? '0');
    const inRange = bars.filter((b) => b.openTime >= start && b.openTime <= end);
    const page = inRange.slice(offset, offset + limit);
    const next = offset + limit < inRange.length ? String(offset + limit) : null;
    return json(200, {
      bars: page.map((b) => ({ t: new Date(b.openTime).toISOString(), o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume, n: 0, vw: (b.high + b.low + b.close) / 3 })),
      symbol,
      next_page_token: next,
    });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    double.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const reply = answer(url, req.headers);
    setTimeout(() => {
      res.writeHead(reply.status, { 'Content-Type': 'application/json' });
      res.end(reply.body);
    }, double.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return Object.assign(double, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
