/**
 * US equities market calendar (NYSE; Nasdaq follows the same schedule): full-day holidays and
 * 13:00 ET early closes, computed from the exchange's standing rules plus an explicit list of
 * one-off closures and historical exceptions. Pure date arithmetic on `YYYY-MM-DD` strings (no
 * time zone involved: the dates are exchange dates), cached per year.
 *
 * Sources:
 * - NYSE Rule 7.2 (Holidays): the Exchange is closed on New Year's Day, Martin Luther King, Jr. Day,
 *   Washington's Birthday, Good Friday, Memorial Day, Juneteenth National Independence Day,
 *   Independence Day, Labor Day, Thanksgiving Day and Christmas Day. "When a holiday falls on a
 *   Saturday, the Exchange will not be open for business on the preceding Friday and when any
 *   holiday observed by the Exchange falls on a Sunday, the Exchange will not be open for business
 *   on the succeeding Monday, unless unusual business conditions exist, such as the ending of a
 *   monthly or the yearly accounting period" — which is why a Saturday New Year's Day is not
 *   observed on Friday, December 31.
 * - NYSE annual holiday announcements ("Holidays and Trading Hours"): the 1:00 p.m. early closes
 *   on the day before Independence Day, the day after Thanksgiving and Christmas Eve.
 * - NYSE closure notices for the unscheduled closures listed in {@link ONE_OFF_CLOSURES}.
 *
 * Verified day by day against the NYSE history in QuantConnect LEAN's market-hours database for
 * 1998–2028 (see tests/unit/engine/market-calendar.test.ts); where the rules and that history
 * disagree, the history wins and the exception is listed in {@link EARLY_CLOSE_EXCEPTIONS}.
 * Dates before {@link CALENDAR_FIRST_YEAR} use the same rules and are approximate.
 */

/** First year whose calendar is complete (Martin Luther King, Jr. Day is observed from 1998). */
export const CALENDAR_FIRST_YEAR = 1998;
/** Last year checked by hand; later years follow the rules (no unscheduled closures known). */
export const CALENDAR_LAST_YEAR = 2030;

/** Regular-session close on an early-close day: 13:00 ET, ms after midnight exchange time. */
export const EARLY_REGULAR_CLOSE_MS = 13 * 3_600_000;
/** After-hours close on an early-close day: 17:00 ET, ms after midnight exchange time. */
export const EARLY_AFTER_HOURS_CLOSE_MS = 17 * 3_600_000;

/** `closed`: no session at all; `full`: 04:00–20:00 ET; `early`: regular close 13:00 ET. */
export type MarketDayKind = 'closed' | 'full' | 'early';

/** What kind of trading day a date is. */
export interface MarketDay {
  readonly kind: MarketDayKind;
  /** Why the day is closed or short (e.g. "Thanksgiving Day", "Weekend"); absent on full days. */
  readonly reason?: string;
}

/** Session closes of an early-close day, ms after midnight exchange time (America/New_York). */
export interface EarlyClose {
  readonly regularCloseMs: number;
  readonly afterHoursCloseMs: number;
  /** E.g. "Day after Thanksgiving". */
  readonly reason: string;
}

/** One dated calendar entry. */
export interface CalendarEntry {
  /** `YYYY-MM-DD`, exchange date. */
  readonly date: string;
  readonly reason: string;
}

/** Holidays and early closes of one year, each sorted by date. */
export interface CalendarYear {
  readonly holidays: ReadonlyArray<CalendarEntry>;
  readonly earlyCloses: ReadonlyArray<CalendarEntry>;
}

/** Unscheduled full-day closures (NYSE closure notices). */
const ONE_OFF_CLOSURES: ReadonlyArray<CalendarEntry> = [
  { date: '2001-09-11', reason: 'September 11 attacks' },
  { date: '2001-09-12', reason: 'September 11 attacks' },
  { date: '2001-09-13', reason: 'September 11 attacks' },
  { date: '2001-09-14', reason: 'September 11 attacks' },
  { date: '2004-06-11', reason: 'National Day of Mourning for President Ronald Reagan' },
  { date: '2007-01-02', reason: 'National Day of Mourning for President Gerald R. Ford' },
  { date: '2012-10-29', reason: 'Hurricane Sandy' },
  { date: '2012-10-30', reason: 'Hurricane Sandy' },
  { date: '2018-12-05', reason: 'National Day of Mourning for President George H. W. Bush' },
  { date: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter' },
];

/**
 * Early-close days where NYSE history departs from the rules (the history wins). `reason: null`
 * removes a rule-made early close (the day was a full day); otherwise the date closes early.
 */
const EARLY_CLOSE_EXCEPTIONS: ReadonlyArray<{ readonly date: string; readonly reason: string | null }> = [
  // 1998: no 13:00 closes in the reference history (the day after Thanksgiving and Christmas Eve
  // were full days there), although the rules would make both early.
  { date: '1998-11-27', reason: null },
  { date: '1998-12-24', reason: null },
  // 2002: Independence Day on a Thursday; NYSE closed early on Friday July 5, not on July 3.
  { date: '2002-07-03', reason: null },
  { date: '2002-07-05', reason: 'Day after Independence Day' },
  // 2003: Christmas on a Thursday; NYSE also closed early on Friday December 26.
  { date: '2003-12-26', reason: 'Day after Christmas' },
];

const DAY_MS = 86_400_000;
const yearCache = new Map<number, { readonly days: ReadonlyMap<string, MarketDay>; readonly year: CalendarYear }>();

function utcDay(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

/** The `n`-th (1-based; -1 = last) `weekday` (0 = Sunday) of `month` (1–12). */
function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
  if (n < 0) {
    const last = utcDay(year, month + 1, 0);
    return addDays(last, -((last.getUTCDay() - weekday + 7) % 7));
  }
  const first = utcDay(year, month, 1);
  return addDays(first, ((weekday - first.getUTCDay() + 7) % 7) + (n - 1) * 7);
}

/** Easter Sunday (Gregorian), anonymous computus (Meeus/Jones/Butcher). */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utcDay(year, month, day);
}

/** Rule 7.2 observance of a fixed-date holiday: Saturday → Friday, Sunday → Monday. */
function observed(d: Date, name: string): CalendarEntry {
  const weekday = d.getUTCDay();
  if (weekday === 6) return { date: iso(addDays(d, -1)), reason: `${name} (observed)` };
  if (weekday === 0) return { date: iso(addDays(d, 1)), reason: `${name} (observed)` };
  return { date: iso(d), reason: name };
}

function ruleHolidays(year: number): CalendarEntry[] {
  const holidays: CalendarEntry[] = [];
  const newYear = utcDay(year, 1, 1);
  // Rule 7.2 exception: a Saturday New Year's Day is not observed (Friday is the year-end).
  if (newYear.getUTCDay() !== 6) holidays.push(observed(newYear, "New Year's Day"));
  if (year >= 1998) holidays.push({ date: iso(nthWeekday(year, 1, 1, 3)), reason: 'Martin Luther King, Jr. Day' });
  holidays.push({ date: iso(nthWeekday(year, 2, 1, 3)), reason: "Washington's Birthday" });
  holidays.push({ date: iso(addDays(easterSunday(year), -2)), reason: 'Good Friday' });
  holidays.push({ date: iso(nthWeekday(year, 5, 1, -1)), reason: 'Memorial Day' });
  if (year >= 2022) holidays.push(observed(utcDay(year, 6, 19), 'Juneteenth National Independence Day'));
  holidays.push(observed(utcDay(year, 7, 4), 'Independence Day'));
  holidays.push({ date: iso(nthWeekday(year, 9, 1, 1)), reason: 'Labor Day' });
  holidays.push({ date: iso(nthWeekday(year, 11, 4, 4)), reason: 'Thanksgiving Day' });
  holidays.push(observed(utcDay(year, 12, 25), 'Christmas Day'));
  return holidays;
}

function ruleEarlyCloses(year: number): CalendarEntry[] {
  const early: CalendarEntry[] = [];
  const isMonToThu = (d: Date): boolean => d.getUTCDay() >= 1 && d.getUTCDay() <= 4;
  // July 3 on a Friday is the observed holiday itself; on a weekend there is nothing to shorten.
  const july3 = utcDay(year, 7, 3);
  if (isMonToThu(july3)) early.push({ date: iso(july3), reason: 'Day before Independence Day' });
  early.push({ date: iso(addDays(nthWeekday(year, 11, 4, 4), 1)), reason: 'Day after Thanksgiving' });
  // December 24 on a Friday is the observed Christmas holiday.
  const christmasEve = utcDay(year, 12, 24);
  if (isMonToThu(christmasEve)) early.push({ date: iso(christmasEve), reason: 'Christmas Eve' });
  return early;
}

function buildYear(year: number): { days: ReadonlyMap<string, MarketDay>; year: CalendarYear } {
  const prefix = `${year}-`;
  const holidays = new Map<string, string>();
  for (const h of ruleHolidays(year)) holidays.set(h.date, h.reason);
  for (const h of ONE_OFF_CLOSURES) if (h.date.startsWith(prefix)) holidays.set(h.date, h.reason);
  const early = new Map<string, string>();
  for (const e of ruleEarlyCloses(year)) early.set(e.date, e.reason);
  for (const e of EARLY_CLOSE_EXCEPTIONS) {
    if (!e.date.startsWith(prefix)) continue;
    if (e.reason === null) early.delete(e.date);
    else early.set(e.date, e.reason);
  }
  for (const date of holidays.keys()) early.delete(date);
  const days = new Map<string, MarketDay>();
  for (const [date, reason] of holidays) days.set(date, { kind: 'closed', reason });
  for (const [date, reason] of early) days.set(date, { kind: 'early', reason });
  const sorted = (m: Map<string, string>): CalendarEntry[] =>
    [...m].map(([date, reason]) => ({ date, reason })).sort((a, b) => a.date.localeCompare(b.date));
  return { days, year: { holidays: sorted(holidays), earlyCloses: sorted(early) } };
}

function yearOf(year: number): { readonly days: ReadonlyMap<string, MarketDay>; readonly year: CalendarYear } {
  let cached = yearCache.get(year);
  if (!cached) {
    cached = buildYear(year);
    yearCache.set(year, cached);
  }
  return cached;
}

/** Parses `YYYY-MM-DD`; @throws {RangeError} when it is not a valid calendar date. */
function parseDate(date: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const d = match ? utcDay(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (!d || Number.isNaN(d.getTime()) || iso(d) !== date) throw new RangeError(`Not a valid date: ${date}`);
  return d;
}

const FULL_DAY: MarketDay = { kind: 'full' };
const WEEKEND: MarketDay = { kind: 'closed', reason: 'Weekend' };

/**
 * Kind of trading day of `date` (`YYYY-MM-DD`, exchange date): `closed` on weekends ("Weekend")
 * and holidays (e.g. "Thanksgiving Day", "Independence Day (observed)", "Hurricane Sandy"),
 * `early` on 13:00 ET close days, otherwise `full`.
 * @throws {RangeError} when `date` is not a valid calendar date.
 */
export function marketDay(date: string): MarketDay {
  const d = parseDate(date);
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return WEEKEND;
  return yearOf(d.getUTCFullYear()).days.get(date) ?? FULL_DAY;
}

/**
 * Name of the exchange holiday or unscheduled closure on weekday `date` (`YYYY-MM-DD`), or `null`
 * when the exchange is open or `date` falls on a weekend.
 * @throws {RangeError} when `date` is not a valid calendar date.
 */
export function holidayOf(date: string): string | null {
  const day = marketDay(date);
  return day.kind === 'closed' && day !== WEEKEND ? (day.reason ?? null) : null;
}

/**
 * Whether the exchange is closed all day on weekday `date` (`YYYY-MM-DD`) for a holiday or an
 * unscheduled closure; `false` on weekends.
 * @throws {RangeError} when `date` is not a valid calendar date.
 */
export function isHoliday(date: string): boolean {
  return holidayOf(date) !== null;
}

/**
 * Session closes of `date` (`YYYY-MM-DD`) when it is an early-close day (regular 13:00 ET,
 * after-hours 17:00 ET), otherwise `null`.
 * @throws {RangeError} when `date` is not a valid calendar date.
 */
export function earlyCloseOf(date: string): EarlyClose | null {
  const day = marketDay(date);
  if (day.kind !== 'early') return null;
  return { regularCloseMs: EARLY_REGULAR_CLOSE_MS, afterHoursCloseMs: EARLY_AFTER_HOURS_CLOSE_MS, reason: day.reason ?? '' };
}

/**
 * All weekday holidays and early closes of `year` (e.g. for a calendar view), sorted by date.
 * @throws {RangeError} when `year` is not an integer.
 */
export function calendarYear(year: number): CalendarYear {
  if (!Number.isInteger(year)) throw new RangeError(`Not a year: ${year}`);
  return yearOf(year).year;
}
