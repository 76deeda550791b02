/**
 * Runs the configured screener instances over closed bars: one screener per instance and
 * symbol, alerts rate-limited per instance and symbol (max per day, cooldown). A new
 * configuration replaces the instances at once; instances whose configuration did not change
 * keep their state and limits.
 */
import { randomUUID } from 'node:crypto';
import type { Alert, ScreenerConfig, Symbol } from '../../../shared/domain';
import { AlertLimiter } from '../alerts/alert-limiter';
import { SessionCursor } from '../market/session-clock';
import { GapAndGo } from './gap-and-go';
import type { ScreenerBarContext, SymbolScreener } from './screener';
import { VwapReclaim } from './vwap-reclaim';

const TITLES: Readonly<Record<ScreenerConfig['kind'], string>> = { 'gap-and-go': 'Gap & Go', 'vwap-reclaim': 'VWAP reclaim' };

interface Instance {
  readonly config: ScreenerConfig;
  readonly key: string;
  readonly perSymbol: Map<Symbol, SymbolScreener>;
}

function createScreener(config: ScreenerConfig): SymbolScreener {
  return config.kind === 'gap-and-go' ? new GapAndGo(config.params) : new VwapReclaim(config.params);
}

export class ScreenerRunner {
  private instances: Instance[] = [];
  private readonly limiter = new AlertLimiter();
  private readonly sessions = new SessionCursor();

  constructor(configs: readonly ScreenerConfig[]) {
    this.configure(configs);
  }

  /** Applies a new configuration without a restart. */
  configure(configs: readonly ScreenerConfig[]): void {
    const previous = new Map(this.instances.map((i) => [i.config.id, i]));
    this.instances = configs
      .filter((c) => c.enabled)
      .map((config) => {
        const key = JSON.stringify(config);
        const kept = previous.get(config.id);
        return kept && kept.key === key ? kept : { config, key, perSymbol: new Map() };
      });
  }

  /** Evaluates every instance that screens the bar's symbol; returns the alerts to raise. */
  onBar(ctx: ScreenerBarContext): Alert[] {
    const symbol = ctx.bar.symbol;
    const alerts: Alert[] = [];
    for (const instance of this.instances) {
      const { config } = instance;
      if (config.symbols.length > 0 && !config.symbols.includes(symbol)) continue;
      let screener = instance.perSymbol.get(symbol);
      if (!screener) {
        screener = createScreener(config);
        instance.perSymbol.set(symbol, screener);
      }
      const hit = screener.onBar(ctx);
      if (!hit) continue;
      const time = ctx.bar.openTime + 60_000;
      if (!this.limiter.allow(`${config.id}:${symbol}`, time, this.sessions.at(ctx.bar.openTime).date, config.maxAlertsPerDay, config.cooldownMinutes * 60_000)) {
        continue;
      }
      alerts.push({
        id: randomUUID(),
        time,
        source: 'screener',
        kind: config.kind,
        instanceId: config.id,
        symbol,
        severity: 'info',
        title: `${TITLES[config.kind]} ${symbol}`,
        message: hit.message,
        values: hit.values,
        suggestion: hit.suggestion,
        barTime: ctx.bar.openTime,
      });
    }
    return alerts;
  }
}
