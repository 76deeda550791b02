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
 *   σ)` during a market session is stale (with no data yet: after `noDataMs`). When every
 *   streamed symbol has been silent for twice its limit, the connection is silent, not the
 *   market: it is recycled (closed and reconnected).
 * - **Failover**: when the primary is down or silent for `failoverAfterMs`, the backup is
 *   connected and its data flows; when the primary has been live and fresh for
 *   `failbackAfterMs`, it takes over again. Only the active provider's data passes; after a switch
 *   a symbol's messages at or before the last one already delivered are skipped (no double
 *   counting), and the switch interval is reported as a gap to repair.
 * - **Latency**: exchange timestamp → received and received → engine done, p50/p99 over the
 *   last minute, per provider.
 */
import { backOff } from 'exponential-backoff';
import type { FeedHealth, ProviderHealth, Symbol } from '../../../shared/domain';
import { SessionCursor } from '../market/session-clock';
import type { MarketDataFeed, MarketDataSink, SymbolFeedStatus } from './market-data-feed';
import type { ProviderStream, ProviderStreamListener } from './provider-stream';
import type { MarketEvent } from './stream-events';

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

interface Latencies {
  /** [clock time, receive latency, engine latency] of recent messages. */
  readonly samples: Array<[number, number, number]>;
}

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
  readonly latency: Latencies;
}

const percentile = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null;
};

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
    });
    holder.slot = { role, stream, reconnects: 0, looping: false, liveSince: null, downSince: null, lastEventTime: null, watermarks: null, gapPendingFrom: null, latency: { samples: [] } };
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
    const symbol = event.kind === 'quote' ? event.quote.symbol : event.kind === 'trade' ? event.trade.symbol : event.kind === 'bar' ? event.bar.symbol : event.kind === 'status' ? event.status.symbol : event.band.symbol;
    const state = this.states.get(symbol);
    if (!state) return;
    const exchangeTime = event.kind === 'quote' ? event.quote.time : event.kind === 'trade' ? event.trade.time : event.kind === 'bar' ? event.bar.openTime : event.kind === 'status' ? event.status.time : event.band.time;
    const now = this.now();
    // Freshness: the symbol's usual interval, and it is fresh again.
    if (state.lastAt > 0) {
      const gap = Math.max(0, now - state.lastAt);
      state.interval = state.interval === null ? gap : state.interval * 0.95 + gap * 0.05;
      state.intervalSquare = state.interval === gap && state.samples === 0 ? gap * gap : state.intervalSquare * 0.95 + gap * gap * 0.05;
      state.samples++;
    }
    state.lastAt = now;
    if (state.stale) {
      state.stale = false;
      this.sink.onSymbolStatus?.(symbol, { stale: false, halt: state.halt, luld: state.luld });
    }
    if (event.kind === 'status') {
      state.halt = event.status.halted ? event.status.message : null;
      this.sink.onSymbolStatus?.(symbol, { stale: state.stale, halt: state.halt, luld: state.luld });
      return;
    }
    if (event.kind === 'luld') {
      state.luld = { limitUp: event.band.limitUp, limitDown: event.band.limitDown };
      this.sink.onSymbolStatus?.(symbol, { stale: state.stale, halt: state.halt, luld: state.luld });
      return;
    }
    if (event.kind === 'bar') return; // bars are built from trades; the provider's serve the REST repair
    // After a switch of provider, what the previous one already delivered is not delivered twice.
    const mark = slot.watermarks?.get(symbol);
    if (mark !== undefined && exchangeTime <= mark) return;
    slot.lastEventTime = Math.max(slot.lastEventTime ?? 0, exchangeTime);
    state.lastDelivered = Math.max(state.lastDelivered, exchangeTime);
    if (event.kind === 'quote') this.sink.onQuote(event.quote);
    else this.sink.onTrade(event.trade);
    const samples = slot.latency.samples;
    samples.push([now, Math.max(0, receivedAt - exchangeTime), performance.now() - receivedMono]);
    if (samples.length > 5_000 || (samples[0] && samples[0][0] < now - 60_000)) {
      while (samples.length && ((samples[0] as [number, number, number])[0] < now - 60_000 || samples.length > 5_000)) samples.shift();
    }
  }

  /** Freshness, silence, failover; and the clock for the engine. */
  private tick(): void {
    if (!this.sink || this.stopped) return;
    const now = this.now();
    this.sink.onClock(now);
    const inSession = this.sessions.kindAt(now) !== 'closed';
    const activeSlot = this.active === 'primary' ? this.primary : (this.backup as Slot);
    const streamed = new Set(activeSlot.stream.state === 'live' ? this.wanted().filter((s) => !activeSlot.stream.overLimit.includes(s)) : []);
    let silentCount = 0;
    for (const [symbol, state] of this.states) {
      if (!streamed.has(symbol)) continue;
      const limit = this.staleLimit(state);
      const since = state.lastAt > 0 ? state.lastAt : (activeSlot.liveSince ?? now);
      const age = now - since;
      const stale = inSession && age > limit;
      if (inSession && age > 2 * limit) silentCount++;
      if (stale !== state.stale) {
        state.stale = stale;
        this.sink.onSymbolStatus?.(symbol, { stale, halt: state.halt, luld: state.luld });
      }
    }
    // Every streamed symbol silent for twice its limit at once: the connection is, not the market.
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
    if (state.interval === null || state.samples < 20) return this.noDataMs;
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
    const providers: ProviderHealth[] = slots.map((slot) => {
      const receive = slot.latency.samples.map((s) => s[1]);
      const engine = slot.latency.samples.map((s) => s[2]);
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
        latency: { receiveP50: percentile(receive, 0.5), receiveP99: percentile(receive, 0.99), engineP50: percentile(engine, 0.5), engineP99: percentile(engine, 0.99) },
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
      clock: this.now(),
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
