/**
 * One symbol's bars in every timeframe (1m, 5m, 15m, 1h, 1d) with their indicators, updated on
 * every print. Each closed bar is reported once with its final values; a forming bar only says
 * it changed, and its provisional indicator values are computed when asked for
 * ({@link SymbolBars.forming}) — once per frame for a watched chart, not once per print.
 *
 * Session VWAP and its bands come from the prints themselves; other indicators from the bars of
 * each timeframe (see `indicators/indicator-set`).
 */
import { TIMEFRAMES, type Bar, type BarIndicators, type Symbol, type Timeframe, type Trade } from '../../../shared/domain';
import type { BarWithIndicators } from '../../../shared/protocol';
import { DEFAULT_INDICATORS, IndicatorSet, type IndicatorContext } from '../indicators/indicator-set';
import { RelativeVolume, type VolumeBar } from '../indicators/relative-volume';
import { SessionVwap } from '../indicators/session-vwap';
import { SessionCursor } from '../market/session-clock';
import { MinuteBarBuilder, type TradeOutcome } from './minute-bar-builder';
import { TimeframeAggregator, combineBars, type BucketSpan } from './timeframe-aggregator';

/** Receives each closed bar with its final indicator values. */
export type SymbolBarsListener = (timeframe: Timeframe, bar: Bar, indicators: BarIndicators) => void;

/** Closed bars kept per symbol and timeframe for snapshots: one 04:00–20:00 session is 960 minutes. */
export const BAR_HISTORY_LIMIT = 2_000;

export interface SymbolBarsOptions {
  /** Indicator specs computed on every timeframe (default: {@link DEFAULT_INDICATORS}). */
  readonly indicators?: readonly string[];
  /** Timeframes to build (default: all). */
  readonly timeframes?: readonly Timeframe[];
  /** Whether the daily bar spans 04:00–20:00 instead of the regular session. */
  readonly dailyIncludesExtendedHours?: boolean;
  /** Sessions averaged by relative volume. */
  readonly relativeVolumeSessions?: number;
  /**
   * A print (or a closed minute) changed the forming bars (read them with
   * {@link SymbolBars.forming}). Called on every print, with nothing built: it must be cheap.
   */
  readonly onFormingChanged?: () => void;
  /**
   * A late print corrected a closed bar of `timeframe`. The indicator values of the series are
   * recomputed when it is next read (so a burst of late prints costs one recomputation):
   * republish the series.
   */
  readonly onCorrection?: (timeframe: Timeframe, corrected: Bar) => void;
}

interface TimeframeState {
  readonly timeframe: Timeframe;
  readonly aggregator: TimeframeAggregator | null;
  indicators: IndicatorSet;
  readonly relativeVolume: RelativeVolume;
  readonly closed: BarWithIndicators[];
  /** What each closed bar's indicators were computed with (kept to recompute after a correction). */
  readonly contexts: IndicatorContext[];
  /** A correction changed a closed bar: indicator values need recomputing before use. */
  stale: boolean;
  /** The forming bar and its provisional indicators as valued at {@link formingSerial}. */
  forming: Bar | null;
  formingIndicators: BarIndicators | null;
  formingSerial: number;
}

export class SymbolBars {
  private readonly builder: MinuteBarBuilder;
  private readonly vwap = new SessionVwap();
  /** Start of the session segment of the latest live print. */
  private vwapSegmentStart = -Infinity;
  private readonly sessions = new SessionCursor();
  private readonly states = new Map<Timeframe, TimeframeState>();
  /** The states of the higher timeframes (those with an aggregator). */
  private readonly aggregated: Array<TimeframeState & { readonly aggregator: TimeframeAggregator }> = [];
  /** Bumped whenever any forming bar may have changed: a cached forming value of an older serial is revalued. */
  private formingSerial = 0;
  private formingMinuteSerial = -1;
  private formingMinute: Bar | null = null;
  /** Start of the minute last seen forming, ms since epoch. */
  private formingOpenTime = Number.NaN;
  /** Minute (ms since epoch ÷ 60 000) of the last {@link advanceTo}: bars close on minute boundaries only. */
  private advancedMinute = Number.NaN;
  private readonly onFormingChanged: () => void;
  private readonly dailyIncludesExtendedHours: boolean;
  private readonly specs: readonly string[];
  private readonly onCorrection: (timeframe: Timeframe, corrected: Bar) => void;

  constructor(
    readonly symbol: Symbol,
    private readonly listener: SymbolBarsListener = () => undefined,
    options: SymbolBarsOptions = {},
  ) {
    this.onFormingChanged = options.onFormingChanged ?? (() => undefined);
    this.dailyIncludesExtendedHours = options.dailyIncludesExtendedHours ?? false;
    const specs = options.indicators ?? DEFAULT_INDICATORS;
    this.specs = specs;
    this.onCorrection = options.onCorrection ?? (() => undefined);
    for (const timeframe of options.timeframes ?? TIMEFRAMES) {
      const state: TimeframeState = {
        timeframe,
        aggregator:
          timeframe === '1m'
            ? null
            : new TimeframeAggregator(
                symbol,
                timeframe,
                (bar) => this.onClosedBar(state, bar),
                this.dailyIncludesExtendedHours,
                (_minute, span) => this.reviseBucket(state, span),
              ),
        indicators: new IndicatorSet(specs),
        relativeVolume: new RelativeVolume(options.relativeVolumeSessions ?? 10),
        closed: [],
        contexts: [],
        stale: false,
        forming: null,
        formingIndicators: null,
        formingSerial: -1,
      };
      this.states.set(timeframe, state);
      if (state.aggregator) this.aggregated.push(state as TimeframeState & { readonly aggregator: TimeframeAggregator });
    }
    this.builder = new MinuteBarBuilder(symbol, {
      onClosed: (minute) => {
        this.formingSerial++;
        const oneMinute = this.states.get('1m');
        if (oneMinute) this.onClosedBar(oneMinute, minute);
        for (const state of this.aggregated) state.aggregator.onMinute(minute);
        this.onFormingChanged();
      },
      onFormingChanged: (openTime, session) => {
        this.formingSerial++;
        // Buckets change only when the forming minute does.
        if (openTime !== this.formingOpenTime) {
          this.formingOpenTime = openTime;
          for (const state of this.aggregated) state.aggregator.onFormingMinute(openTime, session);
        }
        this.onFormingChanged();
      },
      onCorrection: (minute) => this.correctMinute(minute),
    });
  }

  /** Closed bars of `timeframe`, oldest first (at most {@link BAR_HISTORY_LIMIT}). */
  history(timeframe: Timeframe): readonly BarWithIndicators[] {
    const state = this.states.get(timeframe);
    if (!state) return [];
    this.refresh(state);
    return state.closed;
  }

  /** The forming bar of `timeframe` with its provisional indicators, or null. */
  forming(timeframe: Timeframe): BarWithIndicators | null {
    const state = this.states.get(timeframe);
    if (!state) return null;
    this.refresh(state);
    if (state.formingSerial !== this.formingSerial) {
      state.formingSerial = this.formingSerial;
      const minute = this.currentFormingMinute();
      state.forming = state.aggregator ? state.aggregator.formingBar(minute) : minute;
      state.formingIndicators = null;
    }
    if (!state.forming) return null;
    state.formingIndicators ??= state.indicators.preview(state.forming, this.context(state, state.forming, false));
    return { bar: state.forming, indicators: state.formingIndicators };
  }

  /** The forming minute, built once per change however many timeframes read it. */
  private currentFormingMinute(): Bar | null {
    if (this.formingMinuteSerial !== this.formingSerial) {
      this.formingMinuteSerial = this.formingSerial;
      this.formingMinute = this.builder.formingBar;
    }
    return this.formingMinute;
  }

  /** Prints that arrived for an already closed minute. */
  get latePrints(): number {
    return this.builder.latePrints;
  }

  /** Relative volume of the session so far against earlier sessions, on 1m bars. */
  cumulativeRelativeVolume(time: number): number | null {
    const state = this.states.get('1m');
    if (!state) return null;
    return state.relativeVolume.cumulative(this.minuteOfDay(time - (time % 60_000)), this.currentFormingMinute()?.volume ?? 0);
  }

  /**
   * Feeds earlier sessions' 1-minute bars (each session oldest bar first, sessions oldest first)
   * to relative volume on every timeframe, aggregating them as live bars are.
   */
  seedSessions(sessions: ReadonlyArray<readonly Bar[]>): void {
    for (const minutes of sessions) {
      for (const state of this.states.values()) {
        const bars: Bar[] = [];
        if (state.timeframe === '1m') bars.push(...minutes);
        else {
          const aggregator = new TimeframeAggregator(this.symbol, state.timeframe, (bar) => bars.push(bar), this.dailyIncludesExtendedHours);
          for (const minute of minutes) aggregator.onMinute(minute);
          aggregator.finish();
        }
        state.relativeVolume.seedSession(bars.map((bar) => this.volumeBar(bar)));
      }
    }
  }

  /**
   * Restores closed 1-minute bars of the current session (e.g. from the store after a restart):
   * they rebuild every timeframe, the indicators and the session VWAP, and live prints continue
   * after them (a print for a restored minute corrects it rather than duplicating it).
   */
  restoreMinutes(minutes: readonly Bar[]): void {
    // Restored minutes may open buckets the clock has already passed: the next advance must look.
    this.advancedMinute = Number.NaN;
    for (const minute of minutes) {
      const times = this.sessions.at(minute.openTime);
      // A restored bar counts as its volume at its VWAP: exact for the VWAP; σ sees one price per
      // bar, so the bands are narrower until live prints arrive.
      this.vwap.add(minute.vwap, minute.volume, minute.session, minute.session === 'regular' ? times.regularOpen : times.preMarketOpen);
      this.builder.seedClosed(minute);
    }
  }

  /** Adds a print. */
  addTrade(trade: Trade): TradeOutcome {
    this.advanceTo(trade.time);
    const outcome = this.builder.addTrade(trade);
    // Prints in a bar (live or a corrected late one) count in the session VWAP of their segment.
    if (outcome === 'added' || outcome === 'corrected') {
      const times = this.sessions.at(trade.time);
      const session = this.sessions.kindAt(trade.time);
      const segmentStart = session === 'regular' ? times.regularOpen : times.preMarketOpen;
      if (outcome === 'added' || segmentStart === this.vwapSegmentStart) this.vwap.add(trade.price, trade.size, session, segmentStart);
      if (outcome === 'added') this.vwapSegmentStart = segmentStart;
    }
    return outcome;
  }

  /** Closes forming bars whose interval the clock (ms since epoch) has passed. */
  advanceTo(time: number): void {
    const minute = Math.floor(time / 60_000);
    if (minute === this.advancedMinute) return;
    this.advancedMinute = minute;
    this.builder.advanceTo(time);
    for (const state of this.aggregated) state.aggregator.advanceTo(time);
  }

  /** Closes every forming bar at end of data. */
  finish(): void {
    this.builder.finish();
    for (const state of this.aggregated) state.aggregator.finish();
  }


  private minuteOfDay(openTime: number): number {
    const times = this.sessions.at(openTime);
    return 240 + (openTime - times.preMarketOpen) / 60_000;
  }

  private volumeBar(bar: Bar): VolumeBar {
    const daily = (bar.timeframe as Timeframe) === '1d';
    return { date: this.sessions.at(bar.openTime).date, minuteOfDay: daily ? 0 : this.minuteOfDay(bar.openTime), volume: bar.volume };
  }

  private context(state: TimeframeState, bar: Bar, final: boolean): IndicatorContext {
    const volumeBar = this.volumeBar(bar);
    return {
      vwap: this.vwap.snapshot(),
      relativeVolume: final ? state.relativeVolume.update(volumeBar) : state.relativeVolume.preview(volumeBar),
    };
  }

  /** A late print corrected a closed minute: correct it and the buckets holding it, recompute, report. */
  private correctMinute(minute: Bar): void {
    const oneMinute = this.states.get('1m');
    if (!oneMinute) return;
    this.formingSerial++;
    if (this.replaceClosed(oneMinute, minute)) this.onCorrection('1m', minute);
    for (const state of this.aggregated) {
      const span = state.aggregator.bucketSpan(minute);
      if (span) this.reviseBucket(state, span);
    }
  }

  /**
   * Re-aggregates one bucket of a higher timeframe from the closed 1-minute bars (after a late
   * print corrected a minute, or a minute closed late into a bucket already closed): the open
   * bucket's aggregate, or the closed bar, is replaced and reported as a correction.
   */
  private reviseBucket(state: TimeframeState, span: BucketSpan): void {
    const oneMinute = this.states.get('1m');
    if (!oneMinute || !state.aggregator) return;
    this.formingSerial++;
    let aggregate: Bar | null = null;
    for (const { bar } of oneMinute.closed) {
      if (bar.openTime >= span.start && bar.openTime < span.end && (state.timeframe !== '1d' || bar.session === 'regular' || this.dailyIncludesExtendedHours)) {
        aggregate = combineBars(aggregate, bar, state.timeframe, span.start, span.session);
      }
    }
    if (!aggregate) return;
    if (state.aggregator.reviseForming(aggregate)) {
      this.onFormingChanged();
      return;
    }
    const revised: Bar = { ...aggregate, corrected: true };
    if (this.replaceClosed(state, revised)) this.onCorrection(state.timeframe, revised);
  }

  /** Replaces a closed bar of `state`; its indicator values are recomputed on next use. */
  private replaceClosed(state: TimeframeState, bar: Bar): boolean {
    const index = state.closed.findIndex((c) => c.bar.openTime === bar.openTime);
    if (index < 0) return false;
    const context = state.contexts[index] as IndicatorContext;
    state.contexts[index] = { ...context, relativeVolume: state.relativeVolume.revise(this.volumeBar(bar)) };
    state.closed[index] = { bar, indicators: (state.closed[index] as BarWithIndicators).indicators };
    state.stale = true;
    state.formingSerial = -1;
    return true;
  }

  /** Recomputes every indicator value of a corrected series from its closed bars. */
  private refresh(state: TimeframeState): void {
    if (!state.stale) return;
    state.stale = false;
    state.formingSerial = -1;
    state.indicators = new IndicatorSet(this.specs);
    for (let i = 0; i < state.closed.length; i++) {
      const bar = (state.closed[i] as BarWithIndicators).bar;
      state.closed[i] = { bar, indicators: state.indicators.update(bar, state.contexts[i] as IndicatorContext) };
    }
  }

  private onClosedBar(state: TimeframeState, bar: Bar): void {
    this.refresh(state);
    this.formingSerial++;
    const context = this.context(state, bar, true);
    const indicators = state.indicators.update(bar, context);
    state.closed.push({ bar, indicators });
    state.contexts.push(context);
    if (state.closed.length > BAR_HISTORY_LIMIT) {
      state.closed.splice(0, state.closed.length - BAR_HISTORY_LIMIT);
      state.contexts.splice(0, state.contexts.length - BAR_HISTORY_LIMIT);
    }
    this.listener(state.timeframe, bar, indicators);
  }
}
