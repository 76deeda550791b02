/**
 * Minute-bar history from Alpaca's market-data REST API v2 (`GET /v2/stocks/{symbol}/bars`,
 * `timeframe=1Min`, RFC-3339 `start`/`end`, `limit` ≤ 10 000, `page_token` pagination, keys in
 * the `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` headers; response
 * `{ bars: [{ t, o, h, l, c, v, n, vw }], symbol, next_page_token }`).
 */
import type { Bar, Symbol } from '../../../shared/domain';
import { SessionCursor } from '../market/session-clock';
import { HistoryError, type BarHistoryProvider } from './bar-history';

export interface AlpacaBarsHistoryOptions {
  /** Market-data REST base, e.g. `https://data.alpaca.markets` (`APCA_API_DATA_URL`). */
  readonly dataUrl: string;
  readonly keyId: string;
  readonly secretKey: string;
  /** `iex` or `sip`. */
  readonly feed: 'iex' | 'sip';
  /** Per-request timeout, ms. */
  readonly timeoutMs?: number;
  /** Pages fetched at most per call (bounds a runaway pagination). */
  readonly maxPages?: number;
}

interface AlpacaBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n?: number;
  vw?: number;
}

export class AlpacaBarsHistory implements BarHistoryProvider {
  readonly name: string;
  private readonly sessions = new SessionCursor();

  constructor(private readonly options: AlpacaBarsHistoryOptions) {
    this.name = `Alpaca ${options.feed}`;
  }

  async minuteBars(symbol: Symbol, from: number, to: number): Promise<Bar[]> {
    const bars: Bar[] = [];
    let pageToken: string | null = null;
    for (let page = 0; page < (this.options.maxPages ?? 50); page++) {
      const url = new URL(`/v2/stocks/${encodeURIComponent(symbol)}/bars`, this.options.dataUrl);
      url.searchParams.set('timeframe', '1Min');
      url.searchParams.set('start', new Date(from).toISOString());
      url.searchParams.set('end', new Date(to).toISOString());
      url.searchParams.set('limit', '10000');
      url.searchParams.set('adjustment', 'raw');
      url.searchParams.set('feed', this.options.feed);
      if (pageToken) url.searchParams.set('page_token', pageToken);
      const body = await this.get(url);
      for (const raw of body.bars ?? []) {
        const bar = this.toBar(symbol, raw);
        if (bar && bar.openTime >= from && bar.openTime < to) bars.push(bar);
      }
      pageToken = body.next_page_token ?? null;
      if (!pageToken) return bars;
    }
    throw new HistoryError(`Alpaca bars for ${symbol}: more than ${this.options.maxPages ?? 50} pages`, null);
  }

  private async get(url: URL): Promise<{ bars?: AlpacaBar[] | null; next_page_token?: string | null }> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { 'APCA-API-KEY-ID': this.options.keyId, 'APCA-API-SECRET-KEY': this.options.secretKey, Accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new HistoryError(`Alpaca bars request failed: ${(error as Error).message}`, null);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the text
      }
      const hint = response.status === 401 || response.status === 403 ? ' (check the API keys)' : response.status === 429 ? ' (rate limited)' : '';
      throw new HistoryError(`Alpaca bars: HTTP ${response.status} ${message}${hint}`, response.status);
    }
    return (await response.json()) as { bars?: AlpacaBar[] | null; next_page_token?: string | null };
  }

  private toBar(symbol: Symbol, raw: AlpacaBar): Bar | null {
    const openTime = Date.parse(raw.t);
    if (!Number.isFinite(openTime) || !(raw.o > 0) || !(raw.h > 0) || !(raw.l > 0) || !(raw.c > 0) || !(raw.v >= 0)) return null;
    const session = this.sessions.kindAt(openTime);
    if (session === 'closed') return null;
    return {
      symbol,
      timeframe: '1m',
      openTime,
      open: raw.o,
      high: raw.h,
      low: raw.l,
      close: raw.c,
      volume: raw.v,
      tradeCount: raw.n ?? 0,
      vwap: raw.vw ?? (raw.h + raw.l + raw.c) / 3,
      session,
    };
  }
}
