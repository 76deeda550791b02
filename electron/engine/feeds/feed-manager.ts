/**
 * The live market-data feed: one primary provider and an optional backup, kept connected,
 * fresh and honest.
 *
 * - **Subscriptions** are reference-counted by owner (the engine's symbol list, each window):
 *   a symbol is streamed while any owner holds it; under a plan's symbol limit (IEX 30) the
 *   symbols windows show go first, and the rest are reported as over the limit.
 * - **Reconnects** use capped exponential backoff with full jitter (`exponential-backoff`,
 *   0.5 s doubling to 30 s); a terminal failure (bad keys, feed not in the plan) stops retrying
 *   and says what to do. After a reconnect every symbol is subscribed again and the engine is
 *   told the interval that may lack data ({@link MarketDataSink.onGap}) so it repairs those
 *   minutes from REST history.
 * - **Freshness**: each symbol's usual interval between messages and its spread are tracked
 *   (EWMA); a symbol whose last message is older than `max(minStaleMs, mean + staleMultiple ×
 *   σ)` is stale (before 20 intervals are known: after `noDataMs`). In the regular session every
 *   symbol is judged; in pre-market and after hours, where quiet symbols are normal, only those
 *   whose own rate is known. When every streamed symbol has been silent for twice its limit in
 *   the regular session, the connection is silent, not the market: it is recycled.
 * - **Failover**: when the primary is down or silent for `failoverAfterMs`, the backup is
 *   connected and its data flows; when the primary has been live and fresh for
 *   `failbackAfterMs`, it takes over again. Only the active provider's data passes; after a switch
 *   a symbol's messages at or before the last one already delivered are skipped (no double
 *   counting), and the switch interval is reported as a gap to repair.
 * - **Latency**: exchange timestamp → received and received → engine done, p50/p99 over the
 *   last minute, per provider.
 */
import { backOff } from 'exponential-backoff';
import { percentileOfSorted } from '../stats/percentile';
import type { FeedHealth, ProviderHealth, Symbol } from '../../../shared/domain';
import { SessionCursor } from '../market/session-clock';
import type { MarketDataFeed, MarketDataSink, SymbolFeedStatus } from './market-data-feed';
import type { ProviderStream, ProviderStreamListener } from './provider-stream';
import { eventSymbol, eventTime, type MarketEvent } from './stream-events';

export interface FeedManagerOptions {
  /** Symbols the engine builds series for, held by the owner `engine`, most important first. */
  readonly symbols: readonly Symbol[];
  readonly primary: (listener: ProviderStreamListener) => ProviderStream;
  readonly backup?: (listener: ProviderStreamListener) => ProviderStream;
  /** Clock, ms since epoch (wall clock; tests replaying recorded data pass the replay's). */
  readonly now?: () => number;
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly freshness?: { readonly minStaleMs?: number; readonly staleMultiple?: number; readonly noDataMs?: number; readonly checkEveryMs?: number };
  readonly failover?: { readonly afterMs?: number; readonly failbackAfterMs?: number };
  /** Previous session closes, USD (from the provider's REST snapshot), when known. */
  readonly previousCloses?: ReadonlyMap<Symbol, number>;
}

interface SymbolState {
  /** Clock time of the last accepted message, ms. */
  lastAt: number;
  /** EWMA of the interval between messages and of its square (for its spread), ms and ms². */
  interval: number | null;
  intervalSquare: number;
  /** Intervals observed (the estimate is trusted from 20 on). */
  samples: number;
  stale: boolean;
  halt: string | null;
  luld: { limitUp: number; limitDown: number } | null;
  /** Exchange time of the last message delivered to the engine (de-duplication across a switch). */
  lastDelivered: number;
}

/**
 * The latest latency samples of a provider in fixed rings (no allocation per message): clock
 * time, exchange → received and received → engine done, ms. Percentiles are taken over the
 * samples of the last minute among the latest {@link LATENCY_SAMPLES}.
 */
class LatencyWindow {
  private readonly at = new Float64Array(LATENCY_SAMPLES);
  private readonly receive = new Float64Array(LATENCY_SAMPLES);
  private readonly engine = new Float64Array(LATENCY_SAMPLES);
  private next = 0;
  private filled = 0;

  add(at: number, receive: number, engine: number): void {
    this.at[this.next] = at;
    this.receive[this.next] = receive;
    this.engine[this.next] = engine;
    this.next = (this.next + 1) % LATENCY_SAMPLES;
    this.filled = Math.min(this.filled + 1, LATENCY_SAMPLES);
  }

  /** p50 and p99 of both latencies over the minute before `now`. */
  summary(now: number): ProviderHealth['latency'] {
    const receive: number[] = [];
    const engine: number[] = [];
    for (let i = 0; i < this.filled; i++) {
      if ((this.at[i] as number) < now - 60_000) continue;
      receive.push(this.receive[i] as number);
      engine.push(this.engine[i] as number);
    }
    receive.sort((a, b) => a - b);
    engine.sort((a, b) => a - b);
    return { receiveP50: percentileOfSorted(receive, 0.5), receiveP99: percentileOfSorted(receive, 0.99), engineP50: percentileOfSorted(engine, 0.5), engineP99: percentileOfSorted(engine, 0.99) };
  }
}

const LATENCY_SAMPLES = 4_096;
/** Intervals seen before a symbol's own rate sets its stale limit. */
const TRUSTED_INTERVALS = 20;

type Role = 'primary' | 'backup';

interface Slot {
  readonly role: Role;
  readonly stream: ProviderStream;
  reconnects: number;
  /** A reconnect loop is running. */
  looping: boolean;
  /** Clock time the slot last went live; null while not live. */
  liveSince: number | null;
  /** Clock time it last stopped being live. */
  downSince: number | null;
  /** Exchange time of the last event it delivered (gap start after a drop). */
  lastEventTime: number | null;
  /** Per symbol, the exchange time up to which the previous provider delivered: skipped after a switch. */
  watermarks: Map<Symbol, number> | null;
  /** Activated while not live: report the gap when it comes up. */
  gapPendingFrom: number | null;
  readonly latency: LatencyWindow;
}

export class FeedManager implements MarketDataFeed {
  readonly live = true;
  readonly symbols: readonly Symbol[];
  private readonly now: () => number;
  private readonly owners = new Map<string, Set<Symbol>>();
  private readonly states = new Map<Symbol, SymbolState>();
  private readonly primary: Slot;
  private readonly backup: Slot | null;
  private active: Role = 'primary';
  private sink: MarketDataSink | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly sessions = new SessionCursor();
  private readonly minStaleMs: number;
  private readonly staleMultiple: number;
  private readonly noDataMs: number;
  private readonly failoverAfterMs: number;
  private readonly failbackAfterMs: number;
  private startedAt = 0;

  constructor(private readonly options: FeedManagerOptions) {
    this.symbols = options.symbols;
    this.now = options.now ?? Date.now;
    this.minStaleMs = options.freshness?.minStaleMs ?? 2_000;
    this.staleMultiple = options.freshness?.staleMultiple ?? 6;
    this.noDataMs = options.freshness?.noDataMs ?? 15_000;
    this.failoverAfterMs = options.failover?.afterMs ?? 5_000;
    this.failbackAfterMs = options.failover?.failbackAfterMs ?? 15_000;
    this.primary = this.slot('primary', options.primary);
    this.backup = options.backup ? this.slot('backup', options.backup) : null;
    this.owners.set('engine', new Set(options.symbols));
  }

  private slot(role: Role, make: (listener: ProviderStreamListener) => ProviderStream): Slot {
    const holder: { slot: Slot | null } = { slot: null };
    const stream = make({
      onEvent: (event, receivedAt, receivedMono) => holder.slot && this.onEvent(holder.slot, event, receivedAt, receivedMono),
      onState: () => holder.slot && this.onState(holder.slot),
      // A symbol no owner holds is counted as dropped (`unknown_symbol`), not passed on and lost.
      wants: (symbol) => this.states.has(symbol),
    });
    holder.slot = { role, stream, reconnects: 0, looping: false, liveSince: null, downSince: null, lastEventTime: null, watermarks: null, gapPendingFrom: null, latency: new LatencyWindow() };
    return holder.slot;
  }

  previousClose(symbol: Symbol): number | null {
    return this.options.previousCloses?.get(symbol) ?? null;
  }

  start(sink: MarketDataSink): void {
    this.sink = sink;
    this.startedAt = this.now();
    for (const symbol of this.symbols) this.states.set(symbol, { lastAt: 0, interval: null, intervalSquare: 0, samples: 0, stale: false, halt: null, luld: null, lastDelivered: 0 });
    this.applySubscriptions();
    void this.connectLoop(this.primary);
    this.timer = setInterval(() => this.tick(), this.options.freshness?.checkEveryMs ?? 250);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.primary.stream.close();
    this.backup?.stream.close();
  }

  /** Holds `symbols` for `owner` (a window, a screener); replaces what the owner held before. */
  retain(owner: string, symbols: readonly Symbol[]): void {
    this.owners.set(owner, new Set(symbols.filter((s) => this.states.has(s) || this.symbols.includes(s))));
    this.applySubscriptions();
  }

  /** Releases everything `owner` held. */
  release(owner: string): void {
    if (this.owners.delete(owner)) this.applySubscriptions();
  }

  /**
   * Symbols held by at least one owner: those a window shows first (the trader is looking at
   * them), then the rest of the engine's list. Under a plan's symbol limit the first ones stream.
   */
  wanted(): Symbol[] {
    const out = new Set<Symbol>();
    for (const [owner, held] of this.owners) if (owner !== 'engine') for (const s of held) out.add(s);
    for (const s of this.owners.get('engine') ?? []) out.add(s);
    return [...out];
  }

  private applySubscriptions(): void {
    const wanted = this.wanted();
    this.primary.stream.setSymbols(wanted);
    this.backup?.stream.setSymbols(wanted);
  }

  /** Connects `slot` and keeps reconnecting it (backoff) until it is live, stopped or failed for good. */
  private async connectLoop(slot: Slot): Promise<void> {
    if (slot.looping || this.stopped) return;
    slot.looping = true;
    try {
      await backOff(
        async () => {
          if (this.stopped || (slot.role === 'backup' && !this.backupNeeded())) return;
          await slot.stream.connect();
        },
        {
          numOfAttempts: Number.MAX_SAFE_INTEGER,
          startingDelay: this.options.reconnect?.initialMs ?? 500,
          maxDelay: this.options.reconnect?.maxMs ?? 30_000,
          jitter: 'full',
          delayFirstAttempt: slot.reconnects > 0,
          retry: (error: unknown) => {
            if (this.stopped || (error as { terminal?: boolean }).terminal === true) return false;
            slot.reconnects++;
            return !(slot.role === 'backup' && !this.backupNeeded());
          },
        },
      );
    } catch {
      // terminal: the slot's state says why
    } finally {
      slot.looping = false;
    }
  }

  private backupNeeded(): boolean {
    return this.backup !== null && this.active === 'backup';
  }

  private onState(slot: Slot): void {
    const state = slot.stream.state;
    const now = this.now();
    if (state === 'live') {
      slot.liveSince = now;
      const down = slot.downSince;
      slot.downSince = null;
      if (this.active === slot.role) {
        // Back after a drop while it was the active source, or first up after a switch: what was missed is a gap.
        const from = slot.gapPendingFrom ?? (down !== null ? slot.lastEventTime : null);
        slot.gapPendingFrom = null;
        if (from !== null) this.reportGap(from, now);
      }
    } else {
      const wasLive = slot.liveSince !== null;
      if (wasLive || slot.downSince === null) slot.downSince = now;
      slot.liveSince = null;
      if (state === 'disconnected' && !this.stopped) {
        if (wasLive) slot.reconnects++;
        void this.connectLoop(slot);
      }
    }
    this.sink?.onHealth(this.health());
  }

  private onEvent(slot: Slot, event: MarketEvent, receivedAt: number, receivedMono: number): void {
    if (slot.role !== this.active || !this.sink) return;
    const symbol = eventSymbol(event);
    const state = this.states.get(symbol);
    if (!state) return;
    const exchangeTime = eventTime(event);
    const now = this.now();
    // Freshness: the symbol's usual interval (and its spread), and it is fresh again.
    if (state.lastAt > 0) {
      const gap = Math.max(0, now - state.lastAt);
      if (state.interval === null) {
        state.interval = gap;
        state.intervalSquare = gap * gap;
      } else {
        state.interval = state.interval * 0.95 + gap * 0.05;
        state.intervalSquare = state.intervalSquare * 0.95 + gap * gap * 0.05;
      }
      state.samples++;
    }
    state.lastAt = now;
    if (state.stale) {
      state.stale = false;
      this.notifyStatus(symbol, state);
    }
    switch (event.kind) {
      case 'status':
        state.halt = event.status.halted ? event.status.message : null;
        this.notifyStatus(symbol, state);
        return;
      case 'luld':
        state.luld = { limitUp: event.band.limitUp, limitDown: event.band.limitDown };
        this.notifyStatus(symbol, state);
        return;
      case 'bar':
        return; // bars are built from the trades; gaps are repaired from REST history
      default:
        break;
    }
    // After a switch of provider, what the previous one already delivered is not delivered twice.
    const mark = slot.watermarks?.get(symbol);
    if (mark !== undefined && exchangeTime <= mark) return;
    slot.lastEventTime = Math.max(slot.lastEventTime ?? 0, exchangeTime);
    state.lastDelivered = Math.max(state.lastDelivered, exchangeTime);
    if (event.kind === 'quote') this.sink.onQuote(event.quote);
    else this.sink.onTrade(event.trade);
    slot.latency.add(now, Math.max(0, receivedAt - exchangeTime), performance.now() - receivedMono);
  }

  private notifyStatus(symbol: Symbol, state: SymbolState): void {
    this.sink?.onSymbolStatus?.(symbol, { stale: state.stale, halt: state.halt, luld: state.luld });
  }

  /** Freshness, silence, failover; and the clock for the engine. */
  private tick(): void {
    if (!this.sink || this.stopped) return;
    const now = this.now();
    this.sink.onClock(now);
    const session = this.sessions.kindAt(now);
    const activeSlot = this.active === 'primary' ? this.primary : (this.backup as Slot);
    const streamed = new Set(activeSlot.stream.state === 'live' ? activeSlot.stream.symbols : []);
    let silentCount = 0;
    for (const [symbol, state] of this.states) {
      if (!streamed.has(symbol)) continue;
      const limit = this.staleLimit(state);
      const since = state.lastAt > 0 ? state.lastAt : (activeSlot.liveSince ?? now);
      const age = now - since;
      // In the regular session every symbol is expected to trade; before and after it, quiet
      // symbols are normal, so only those whose own rate is known are judged.
      const judged = session === 'regular' || (session !== 'closed' && state.samples >= TRUSTED_INTERVALS);
      const stale = judged && age > limit;
      if (session === 'regular' && age > 2 * limit) silentCount++;
      if (stale !== state.stale) {
        state.stale = stale;
        this.notifyStatus(symbol, state);
      }
    }
    // Every streamed symbol silent for twice its limit in the regular session: the connection is, not the market.
    if (streamed.size > 0 && silentCount === streamed.size && activeSlot.stream.state === 'live') {
      activeSlot.stream.recycle(`${activeSlot.stream.label}: no data from any symbol at its usual rate: reconnecting`);
    }
    this.failover(now);
  }

  /** Makes `slot` the source of data; `from`: exchange time from which data may be missing. */
  private activate(slot: Slot, from: number, now: number): void {
    this.active = slot.role;
    slot.watermarks = new Map([...this.states].map(([symbol, state]) => [symbol, state.lastDelivered]));
    if (slot.stream.state === 'live') this.reportGap(from, now);
    else slot.gapPendingFrom = from;
    this.sink?.onHealth(this.health());
  }

  /**
   * How long a symbol may go without a message before it is stale, ms: its usual interval plus
   * `staleMultiple` standard deviations (bursty symbols get room), at least `minStaleMs`;
   * `noDataMs` before its first message.
   */
  private staleLimit(state: SymbolState): number {
    if (state.interval === null || state.samples < TRUSTED_INTERVALS) return this.noDataMs;
    const spread = Math.sqrt(Math.max(0, state.intervalSquare - state.interval * state.interval));
    return Math.max(this.minStaleMs, state.interval + this.staleMultiple * spread);
  }

  private failover(now: number): void {
    const backup = this.backup;
    if (!backup) return;
    const primaryHealthy = this.primary.liveSince !== null && now - this.primary.liveSince >= this.failbackAfterMs;
    const primaryDown = this.primary.downSince !== null && now - this.primary.downSince >= this.failoverAfterMs;
    if (this.active === 'primary' && (primaryDown || this.primary.stream.state === 'failed')) {
      this.activate(backup, this.primary.lastEventTime ?? this.startedAt, now);
      if (backup.stream.state !== 'live') {
        backup.downSince = now;
        void this.connectLoop(backup);
      }
      return;
    }
    if (this.active === 'backup' && primaryHealthy) {
      const from = backup.lastEventTime ?? now;
      this.activate(this.primary, from, now);
      backup.stream.close();
    }
  }

  private reportGap(from: number, to: number): void {
    if (to <= from) return;
    this.sink?.onGap?.(this.wanted(), from, to);
  }

  health(): FeedHealth {
    const slots = this.backup ? [this.primary, this.backup] : [this.primary];
    const now = this.now();
    const providers: ProviderHealth[] = slots.map((slot) => {
      return {
        name: slot.stream.name,
        label: slot.stream.label,
        role: slot.role,
        active: slot.role === this.active,
        state: slot.stream.state,
        messages: slot.stream.messages,
        dropped: slot.stream.validator.dropped(),
        reconnects: slot.reconnects,
        lastMessageAt: slot.stream.lastFrameAt || null,
        latency: slot.latency.summary(now),
        overLimit: slot.stream.overLimit,
        detail: slot.stream.detail,
      };
    });
    const active = providers.find((p) => p.active) ?? providers[0];
    const dropped: Record<string, number> = {};
    for (const p of providers) for (const [reason, n] of Object.entries(p.dropped)) dropped[reason] = (dropped[reason] ?? 0) + n;
    const stale = [...this.states].filter(([, s]) => s.stale).map(([symbol]) => symbol);
    const state = active?.state === 'live' ? 'live' : active?.state === 'failed' ? 'error' : 'connecting';
    return {
      provider: active?.name ?? 'alpaca',
      providers,
      staleSymbols: stale,
      state,
      symbols: this.symbols,
      messages: providers.reduce((n, p) => n + p.messages, 0),
      dropped,
      clock: now,
      speed: null,
      detail: active ? `${active.label}${active.role === 'backup' ? ' (backup)' : ''}: ${active.state}${active.detail ? ` — ${active.detail}` : ''}` : null,
    };
  }

  /** For tests and the health window: each symbol's freshness and halt. */
  symbolStatus(symbol: Symbol): SymbolFeedStatus | null {
    const state = this.states.get(symbol);
    return state ? { stale: state.stale, halt: state.halt } : null;
  }
}
