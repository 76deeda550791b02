/**
 * The US equities market calendar: checked day by day against NYSE history (QuantConnect LEAN's
 * market-hours database, when `../shared/data` is present), plus what a trader would notice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CALENDAR_FIRST_YEAR,
  EARLY_AFTER_HOURS_CLOSE_MS,
  EARLY_REGULAR_CLOSE_MS,
  calendarYear,
  earlyCloseOf,
  holidayOf,
  isHoliday,
  marketDay,
} from '../../../electron/engine/market/market-calendar';
import { SessionCursor, exchangeTimeToEpoch, sessionTimes } from '../../../electron/engine/market/session-clock';
import { REPO_ROOT } from '../../support/shared-data';
import { openDesk, orderRequest, type TradingDesk } from '../../support/trading-desk';

const MARKET_HOURS = join(REPO_ROOT, '..', 'shared', 'data', 'lean', 'market-hours', 'market-hours-database.json');
const HOUR = 3_600_000;
const LAST_CHECKED_YEAR = 2028;

interface ReferenceEntry {
  readonly holidays: string[];
  readonly earlyCloses?: Record<string, string>;
  readonly lateOpens?: Record<string, string>;
}

/** `M/D/YYYY` → `YYYY-MM-DD`. */
function isoOf(usDate: string): string {
  const [m, d, y] = usDate.split('/');
  return `${y}-${(m ?? '').padStart(2, '0')}-${(d ?? '').padStart(2, '0')}`;
}

/** `HH:MM:SS` → ms after midnight. */
function msOf(time: string): number {
  const [h, m, s] = time.split(':').map(Number);
  return (((h ?? 0) * 60 + (m ?? 0)) * 60 + (s ?? 0)) * 1_000;
}

const isWeekend = (date: string): boolean => [0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay());

function* datesOf(fromYear: number, toYear: number): Generator<string> {
  for (let t = Date.UTC(fromYear, 0, 1); t < Date.UTC(toYear + 1, 0, 1); t += 86_400_000) yield new Date(t).toISOString().slice(0, 10);
}

describe('market calendar against NYSE history (LEAN market-hours database)', () => {
  it.skipIf(!existsSync(MARKET_HOURS))('every day 1998–2028 has the same kind (closed / early 13:00 / full) as the reference', () => {
    const db = JSON.parse(readFileSync(MARKET_HOURS, 'utf8')) as { entries: Record<string, ReferenceEntry> };
    const entry = db.entries['Equity-usa-[*]'];
    expect(entry).toBeDefined();
    const holidays = new Set(entry!.holidays.map(isoOf));
    const early = new Map(Object.entries(entry!.earlyCloses ?? {}).map(([d, t]) => [isoOf(d), msOf(t)]));
    const years = [...holidays].map((d) => Number(d.slice(0, 4)));
    const from = Math.max(CALENDAR_FIRST_YEAR, Math.min(...years));
    const to = Math.min(LAST_CHECKED_YEAR, Math.max(...years));
    const inRange = (d: string): boolean => Number(d.slice(0, 4)) >= from && Number(d.slice(0, 4)) <= to;
    expect([from, to]).toEqual([1998, 2028]);
    // We do not model late opens: the reference must have none in range.
    expect(Object.keys(entry!.lateOpens ?? {}).map(isoOf).filter(inRange)).toEqual([]);

    const mismatches: string[] = [];
    let holidaysCompared = 0;
    let earlyComparedCount = 0;
    for (const date of datesOf(from, to)) {
      const ours = marketDay(date);
      const refEarly = early.get(date);
      // The reference lists a few weekend dates (Saturday New Year's Days 2011 and 2022, an early
      // close on Sunday 2017-12-24): the exchange is closed those days anyway.
      const expected = isWeekend(date) || holidays.has(date) ? 'closed' : refEarly !== undefined ? 'early' : 'full';
      if (ours.kind !== expected) mismatches.push(`${date}: ours ${ours.kind} (${ours.reason ?? ''}), reference ${expected}`);
      if (!isWeekend(date) && holidays.has(date)) holidaysCompared++;
      if (!isWeekend(date) && refEarly !== undefined) {
        earlyComparedCount++;
        if (earlyCloseOf(date)?.regularCloseMs !== refEarly) mismatches.push(`${date}: early close time differs`);
      }
    }
    expect(mismatches).toEqual([]);

    const ourHolidays = [];
    const ourEarly = [];
    for (let y = from; y <= to; y++) {
      ourHolidays.push(...calendarYear(y).holidays.map((h) => h.date));
      ourEarly.push(...calendarYear(y).earlyCloses.map((e) => e.date));
    }
    expect(ourHolidays.filter((d) => !holidays.has(d))).toEqual([]);
    expect(ourEarly.filter((d) => !early.has(d))).toEqual([]);
    expect(ourHolidays).toHaveLength(holidaysCompared);
    expect(ourEarly).toHaveLength(earlyComparedCount);
    expect([holidaysCompared, earlyComparedCount]).toEqual([291, 64]);
  });
});

describe('market calendar rules', () => {
  it('names holidays, observed days and unscheduled closures', () => {
    expect(marketDay('2026-11-26')).toEqual({ kind: 'closed', reason: 'Thanksgiving Day' });
    expect(marketDay('2026-07-03')).toEqual({ kind: 'closed', reason: 'Independence Day (observed)' });
    expect(marketDay('2012-10-29')).toEqual({ kind: 'closed', reason: 'Hurricane Sandy' });
    expect(holidayOf('2001-09-13')).toBe('September 11 attacks');
    expect(holidayOf('2025-01-09')).toMatch(/Carter/);
    expect(marketDay('2026-11-27')).toEqual({ kind: 'early', reason: 'Day after Thanksgiving' });
    expect(marketDay('2026-11-25')).toEqual({ kind: 'full' });
    expect(marketDay('2026-11-28')).toEqual({ kind: 'closed', reason: 'Weekend' });
    expect(isHoliday('2026-11-28')).toBe(false);
    expect(isHoliday('2026-11-26')).toBe(true);
  });

  it('follows NYSE Rule 7.2 observance, including no Friday observance of a Saturday New Year', () => {
    expect(isHoliday('2027-12-31')).toBe(false); // 2028-01-01 is a Saturday
    expect(isHoliday('2021-12-31')).toBe(false);
    expect(marketDay('2023-01-02')).toEqual({ kind: 'closed', reason: "New Year's Day (observed)" });
    expect(marketDay('2027-06-18')).toEqual({ kind: 'closed', reason: 'Juneteenth National Independence Day (observed)' });
    expect(isHoliday('2021-06-18')).toBe(false); // Juneteenth only from 2022
    expect(marketDay('2027-12-24')).toEqual({ kind: 'closed', reason: 'Christmas Day (observed)' });
  });

  it('extends to future years by rule (2029, 2030)', () => {
    expect(calendarYear(2029).holidays.map((h) => h.date)).toEqual([
      '2029-01-01', '2029-01-15', '2029-02-19', '2029-03-30', '2029-05-28', '2029-06-19',
      '2029-07-04', '2029-09-03', '2029-11-22', '2029-12-25',
    ]);
    expect(calendarYear(2030).holidays.map((h) => h.date)).toEqual([
      '2030-01-01', '2030-01-21', '2030-02-18', '2030-04-19', '2030-05-27', '2030-06-19',
      '2030-07-04', '2030-09-02', '2030-11-28', '2030-12-25',
    ]);
    expect(calendarYear(2029).earlyCloses.map((e) => e.date)).toEqual(['2029-07-03', '2029-11-23', '2029-12-24']);
    expect(calendarYear(2030).earlyCloses.map((e) => e.date)).toEqual(['2030-07-03', '2030-11-29', '2030-12-24']);
  });

  it('keeps the historical exceptions where NYSE departed from the rules', () => {
    expect(marketDay('2002-07-03').kind).toBe('full');
    expect(marketDay('2002-07-05')).toEqual({ kind: 'early', reason: 'Day after Independence Day' });
    expect(marketDay('2003-12-26')).toEqual({ kind: 'early', reason: 'Day after Christmas' });
  });

  it('gives early-close times and rejects malformed dates', () => {
    expect(earlyCloseOf('2024-12-24')).toEqual({
      regularCloseMs: EARLY_REGULAR_CLOSE_MS,
      afterHoursCloseMs: EARLY_AFTER_HOURS_CLOSE_MS,
      reason: 'Christmas Eve',
    });
    expect(earlyCloseOf('2024-12-23')).toBeNull();
    expect(() => marketDay('2024-02-30')).toThrow(RangeError);
    expect(() => marketDay('2024-2-3')).toThrow(RangeError);
  });
});

describe('exchange clock on holidays and early closes', () => {
  it('Thanksgiving 2026 is closed all day; the day after closes at 13:00 and after-hours at 17:00 ET', () => {
    const thanksgiving = sessionTimes('2026-11-26');
    expect(thanksgiving).toMatchObject({ tradingDay: false, holiday: 'Thanksgiving Day', earlyClose: false });
    const cursor = new SessionCursor();
    expect(cursor.kindAt(thanksgiving.regularOpen + HOUR)).toBe('closed');
    expect(cursor.kindAt(thanksgiving.preMarketOpen + HOUR)).toBe('closed');

    const friday = sessionTimes('2026-11-27');
    expect(friday).toMatchObject({ tradingDay: true, holiday: null, earlyClose: true });
    expect(friday.regularClose).toBe(exchangeTimeToEpoch('2026-11-27', 13 * HOUR));
    expect(friday.afterHoursClose).toBe(exchangeTimeToEpoch('2026-11-27', 17 * HOUR));
    expect(cursor.kindAt(friday.regularClose - 1)).toBe('regular');
    expect(cursor.kindAt(friday.regularClose)).toBe('after_hours');
    expect(cursor.kindAt(friday.afterHoursClose - 1)).toBe('after_hours');
    expect(cursor.kindAt(friday.afterHoursClose)).toBe('closed');

    expect(sessionTimes('2026-11-30')).toMatchObject({ tradingDay: true, holiday: null, earlyClose: false });
    expect(sessionTimes('2026-11-28')).toMatchObject({ tradingDay: false, holiday: null });
  });
});

describe('paper trading on holidays and early closes', () => {
  let desk: TradingDesk;
  afterEach(() => desk?.close());

  it('rejects a market order placed on Thanksgiving as the market being closed', () => {
    desk = openDesk();
    desk.clock = sessionTimes('2013-11-28').regularOpen + HOUR;
    desk.quote(181.9, 181.95);
    const result = desk.manager.place(orderRequest());
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringMatching(/market is closed/) } });
    expect(desk.fills).toEqual([]);
  });

  it('fills a market order before 13:00 ET on the day after Thanksgiving, not after', () => {
    desk = openDesk();
    const day = sessionTimes('2013-11-29');
    desk.clock = day.regularClose - HOUR;
    desk.quote(181.9, 181.95);
    expect(desk.manager.place(orderRequest())).toMatchObject({ ok: true, order: { status: 'filled' } });
    desk.clock = day.regularClose + 30 * 60_000;
    desk.quote(181.9, 181.95);
    expect(desk.manager.place(orderRequest())).toMatchObject({ ok: false, error: { message: expect.stringMatching(/regular session/) } });
  });
});
