/**
 * Exchange-clock helpers for US equities (America/New_York): session boundaries of a trading
 * date and conversion of exchange wall-clock times to ms since epoch, correct across
 * daylight-saving changes (time zone rules from luxon / the platform's ICU data).
 *
 * Sessions (NYSE/Nasdaq): pre-market 04:00–09:30, regular 09:30–16:00, after-hours 16:00–20:00 ET,
 * Monday to Friday. Closed on Saturdays, Sundays and exchange holidays; on early-close days the
 * regular session ends at 13:00 and after-hours at 17:00 ET (dates from `market-calendar.ts`).
 */
import { DateTime } from 'luxon';
import type { MarketSessionKind } from '../../../shared/domain';
import { earlyCloseOf, holidayOf } from './market-calendar';

export const EXCHANGE_TIME_ZONE = 'America/New_York';

/** Boundaries of one trading date, ms since epoch. */
export interface SessionTimes {
  /** Trading date in the exchange's time zone, `YYYY-MM-DD`. */
  readonly date: string;
  readonly preMarketOpen: number;
  readonly regularOpen: number;
  /** 16:00 ET, or 13:00 ET on an early-close day. */
  readonly regularClose: number;
  /** 20:00 ET, or 17:00 ET on an early-close day. */
  readonly afterHoursClose: number;
  /** `false` on Saturdays, Sundays and exchange holidays. */
  readonly tradingDay: boolean;
  /** Name of the exchange holiday closing a weekday (e.g. "Thanksgiving Day"), else `null`. */
  readonly holiday: string | null;
  /** `true` on a 13:00 ET early-close day (e.g. the day after Thanksgiving). */
  readonly earlyClose: boolean;
}

const sessionCache = new Map<string, SessionTimes>();

/**
 * ms since epoch of `msSinceMidnight` of exchange wall-clock time on `date` (`YYYY-MM-DD`).
 * @throws {RangeError} when `date` is not a valid calendar date.
 */
export function exchangeTimeToEpoch(date: string, msSinceMidnight: number): number {
  const hour = Math.floor(msSinceMidnight / 3_600_000);
  const rest = msSinceMidnight - hour * 3_600_000;
  const dt = DateTime.fromISO(date, { zone: EXCHANGE_TIME_ZONE }).set({ hour });
  if (!dt.isValid) throw new RangeError(`Not a valid date: ${date}`);
  return dt.toMillis() + rest;
}

/**
 * Session boundaries of `date` (`YYYY-MM-DD`, exchange time zone), honouring the market calendar
 * (holidays: `tradingDay` false; early closes: 13:00/17:00 ET). Cached per date.
 * @throws {RangeError} when `date` is not a valid calendar date.
 */
export function sessionTimes(date: string): SessionTimes {
  let times = sessionCache.get(date);
  if (!times) {
    const preMarketOpen = exchangeTimeToEpoch(date, 4 * 3_600_000); // validates `date` first
    const holiday = holidayOf(date);
    const early = earlyCloseOf(date);
    times = {
      date,
      preMarketOpen,
      regularOpen: exchangeTimeToEpoch(date, 9.5 * 3_600_000),
      regularClose: exchangeTimeToEpoch(date, early?.regularCloseMs ?? 16 * 3_600_000),
      afterHoursClose: exchangeTimeToEpoch(date, early?.afterHoursCloseMs ?? 20 * 3_600_000),
      tradingDay: holiday === null && DateTime.fromISO(date, { zone: EXCHANGE_TIME_ZONE }).weekday <= 5,
      holiday,
      earlyClose: early !== null,
    };
    sessionCache.set(date, times);
  }
  return times;
}

/** Trading date (`YYYY-MM-DD`, exchange time zone) that contains `time` (ms since epoch). */
export function exchangeDate(time: number): string {
  return DateTime.fromMillis(time, { zone: EXCHANGE_TIME_ZONE }).toISODate() ?? '';
}

/** Which session `time` (ms since epoch) falls in, given the boundaries of its date. */
export function sessionKindAt(time: number, times: SessionTimes): MarketSessionKind {
  if (!times.tradingDay || time < times.preMarketOpen || time >= times.afterHoursClose) return 'closed';
  if (time < times.regularOpen) return 'pre_market';
  if (time < times.regularClose) return 'regular';
  return 'after_hours';
}

/**
 * Parses `HH:MM` (exchange time) on `date` into ms since epoch.
 * @throws {RangeError} when the text is not a time of day.
 */
export function parseExchangeTimeOfDay(date: string, text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`Not a time of day (HH:MM): ${text}`);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) throw new RangeError(`Not a time of day (HH:MM): ${text}`);
  return exchangeTimeToEpoch(date, (hours * 60 + minutes) * 60_000);
}

/**
 * Fast lookup of the session boundaries for a stream of increasing times: recomputes only when
 * the time leaves the cached trading day (00:00–24:00 exchange time, approximately at DST days,
 * which only matters between 00:00 and 03:00 when no session is open).
 */
export class SessionCursor {
  private times: SessionTimes | null = null;
  private dayStart = Infinity;
  private dayEnd = -Infinity;

  /** Session boundaries of the trading date containing `time` (ms since epoch). */
  at(time: number): SessionTimes {
    if (this.times && time >= this.dayStart && time < this.dayEnd) return this.times;
    const times = sessionTimes(exchangeDate(time));
    this.times = times;
    this.dayStart = times.preMarketOpen - 4 * 3_600_000;
    this.dayEnd = times.preMarketOpen + 20 * 3_600_000;
    return times;
  }

  /** Session kind of `time`. */
  kindAt(time: number): MarketSessionKind {
    return sessionKindAt(time, this.at(time));
  }
}
