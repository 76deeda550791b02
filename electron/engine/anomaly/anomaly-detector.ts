/**
 * Market anomalies of one symbol, each an alert with its severity and the numbers behind it:
 *
 * - price spike: a 1-minute log return whose z-score against the last `windowBars` returns is
 *   at least `priceSpikeZ` (critical at 1.5× the threshold);
 * - volume spike: bar volume at least `volumeSpikeMultiple` × the average of the last bars;
 * - spread blow-out: NBBO spread at least `spreadMultiple` × the symbol's normal spread (an EMA
 *   of its regular-session spreads) and at least 3 ticks;
 * - crossed market: bid above ask;
 * - stale symbol: no quote or trade for `staleSeconds` of feed time in the regular session.
 *
 * Alerts of one kind for one symbol are at least `cooldownMinutes` apart. Return and volume
 * statistics restart with each session segment (pre-market, regular, after-hours of each date),
 * so an overnight gap or the opening volume is not scored against a quieter segment.
 */
import { randomUUID } from 'node:crypto';
import type { Alert, AlertSeverity, AnomalySettings, Bar, Quote, Symbol } from '../../../shared/domain';
import { tickSize } from '../../../shared/price';
import { AlertLimiter } from '../alerts/alert-limiter';
import { SessionCursor } from '../market/session-clock';
import { RollingStats } from './rolling-stats';

/** Quotes before the normal spread is trusted. */
const SPREAD_WARMUP = 100;
const SPREAD_EMA_ALPHA = 0.02;

export class AnomalyDetector {
  private returns: RollingStats;
  private volumes: RollingStats;
  private lastClose: number | null = null;
  /** Date and session of the bars in the rolling windows. */
  private segment = '';
  private normalSpread: number | null = null;
  private spreadSamples = 0;
  private lastUpdate: number | null = null;
  private stale = false;
  private readonly limiter = new AlertLimiter();
  private readonly sessions = new SessionCursor();

  constructor(
    readonly symbol: Symbol,
    private settings: AnomalySettings,
  ) {
    this.returns = new RollingStats(settings.windowBars);
    this.volumes = new RollingStats(settings.windowBars);
  }

  /** New thresholds; the rolling windows restart when their length changes. */
  configure(settings: AnomalySettings): void {
    if (settings.windowBars !== this.settings.windowBars) {
      this.returns = new RollingStats(settings.windowBars);
      this.volumes = new RollingStats(settings.windowBars);
    }
    this.settings = settings;
  }

  /** A closed 1-minute bar. */
  onBar(bar: Bar): Alert[] {
    this.touch(bar.openTime + 60_000);
    const segment = `${this.sessions.at(bar.openTime).date} ${bar.session}`;
    if (segment !== this.segment) {
      this.segment = segment;
      this.returns = new RollingStats(this.settings.windowBars);
      this.volumes = new RollingStats(this.settings.windowBars);
      this.lastClose = null;
    }
    if (!this.settings.enabled) return [];
    const alerts: Alert[] = [];
    const s = this.settings;
    const time = bar.openTime + 60_000;
    const warm = this.returns.size >= Math.max(5, Math.floor(s.windowBars / 2));
    if (this.lastClose !== null && this.lastClose > 0 && bar.close > 0) {
      const r = Math.log(bar.close / this.lastClose);
      const std = this.returns.std;
      if (warm && std > 0) {
        const z = (r - this.returns.mean) / std;
        if (Math.abs(z) >= s.priceSpikeZ) {
          const move = ((bar.close - this.lastClose) / this.lastClose) * 100;
          alerts.push(...this.alert('price-spike', time, bar.openTime, Math.abs(z) >= 1.5 * s.priceSpikeZ ? 'critical' : 'warning',
            `Price spike ${this.symbol}`,
            `${this.symbol} moved ${move >= 0 ? '+' : ''}${move.toFixed(2)}% in one minute to $${bar.close.toFixed(2)}, z-score ${z.toFixed(1)} against the last ${this.returns.size} minutes.`,
            { zScore: z, returnPercent: move, close: bar.close, previousClose: this.lastClose }));
        }
      }
      this.returns.push(r);
    }
    this.lastClose = bar.close;
    const averageVolume = this.volumes.mean;
    if (warm && averageVolume > 0 && bar.volume >= s.volumeSpikeMultiple * averageVolume) {
      const multiple = bar.volume / averageVolume;
      alerts.push(...this.alert('volume-spike', time, bar.openTime, 'info', `Volume spike ${this.symbol}`,
        `${this.symbol} traded ${bar.volume.toLocaleString('en-US')} shares in one minute, ${multiple.toFixed(1)}× its recent average.`,
        { volume: bar.volume, averageVolume, multiple }));
    }
    this.volumes.push(bar.volume);
    return alerts;
  }

  /** A new NBBO; `regular` tells whether the regular session is open. */
  onQuote(quote: Quote, regular: boolean): Alert[] {
    this.touch(quote.time);
    if (!this.settings.enabled) return [];
    const spread = quote.ask - quote.bid;
    if (quote.bid > quote.ask) {
      return this.alert('crossed-market', quote.time, null, 'warning', `Crossed market ${this.symbol}`,
        `${this.symbol} bid $${quote.bid.toFixed(2)} is above the ask $${quote.ask.toFixed(2)}: quotes may be stale or wrong.`,
        { bid: quote.bid, ask: quote.ask });
    }
    if (!regular || spread <= 0) return [];
    const normal = this.normalSpread;
    let alerts: Alert[] = [];
    if (normal !== null && this.spreadSamples >= SPREAD_WARMUP && spread >= this.settings.spreadMultiple * normal && spread >= 3 * tickSize(quote.bid)) {
      alerts = this.alert('spread-blowout', quote.time, null, 'warning', `Spread blow-out ${this.symbol}`,
        `${this.symbol} spread is $${spread.toFixed(2)}, ${(spread / normal).toFixed(1)}× its normal $${normal.toFixed(3)}: liquidity has thinned.`,
        { spread, normalSpread: normal, multiple: spread / normal, bid: quote.bid, ask: quote.ask });
    }
    this.normalSpread = normal === null ? spread : normal + SPREAD_EMA_ALPHA * (spread - normal);
    this.spreadSamples++;
    return alerts;
  }

  /** A print arrived (keeps the symbol fresh). */
  onTrade(time: number): void {
    this.touch(time);
  }

  /** The feed clock advanced; `regular` tells whether the regular session is open. */
  onClock(time: number, regular: boolean): Alert[] {
    if (!this.settings.enabled || !regular || this.lastUpdate === null || this.stale) return [];
    const silentMs = time - Math.max(this.lastUpdate, this.sessions.at(time).regularOpen);
    if (silentMs < this.settings.staleSeconds * 1000) return [];
    this.stale = true;
    return this.alert('stale-symbol', time, null, 'warning', `Stale ${this.symbol}`,
      `No quote or trade for ${this.symbol} in ${Math.round(silentMs / 1000)} s while the market is open: its prices may be out of date.`,
      { silentSeconds: silentMs / 1000 });
  }

  /** `true` while the symbol is stale. */
  get isStale(): boolean {
    return this.stale;
  }

  private touch(time: number): void {
    if (this.lastUpdate === null || time > this.lastUpdate) this.lastUpdate = time;
    this.stale = false;
  }

  private alert(kind: string, time: number, barTime: number | null, severity: AlertSeverity, title: string, message: string, values: Record<string, number>): Alert[] {
    if (!this.limiter.allow(`${kind}:${this.symbol}`, time, this.sessions.at(time).date, Number.MAX_SAFE_INTEGER, this.settings.cooldownMinutes * 60_000)) return [];
    return [{ id: randomUUID(), time, source: 'anomaly', kind, instanceId: null, symbol: this.symbol, severity, title, message, values, suggestion: null, barTime }];
  }
}
