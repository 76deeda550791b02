/**
 * CSV export of blotters (orders, fills, positions) for spreadsheets and trade journals. Pure:
 * no DOM. Written with papaparse `unparse` (RFC 4180: fields holding a comma, a quote, a line
 * break or edge spaces are quoted, quotes doubled, records end with CRLF).
 *
 * Numbers are written raw (full precision, no thousands separators, no rounding) so a
 * spreadsheet reads them as numbers; times go out as ISO 8601 UTC plus, where a trader reads
 * them, a separate exchange-time (America/New_York) column.
 */
import Papa from 'papaparse';

/** A CSV cell: numbers raw, booleans `true`/`false`, null, undefined and non-finite numbers empty. */
export type CsvValue = string | number | boolean | null | undefined;

/** One CSV column: its header and the raw value it exports for a row. */
export interface CsvColumn<T> {
  readonly header: string;
  readonly value: (row: T) => CsvValue;
}

const NEWLINE = '\r\n';

function cell(value: CsvValue): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  return value;
}

/**
 * The CSV text of `rows`: a header row, then one record per row, in the order given. Every record
 * (the header included) ends with CRLF. Text that a spreadsheet would run as a formula (starting
 * with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'` (CSV injection); numbers never are.
 */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const text = Papa.unparse(
    { fields: columns.map((c) => c.header), data: rows.map((row) => columns.map((c) => cell(c.value(row)))) },
    { newline: NEWLINE, escapeFormulae: true, header: true },
  );
  return text.endsWith(NEWLINE) ? text : `${text}${NEWLINE}`;
}

const exchangeFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
});

/** ISO 8601 UTC (`2013-10-07T14:31:05.123Z`) of ms since epoch; empty for null or a non-finite time. */
export function isoUtc(time: number | null | undefined): string {
  return time === null || time === undefined || !Number.isFinite(time) ? '' : new Date(time).toISOString();
}

/** Exchange time (America/New_York) `YYYY-MM-DD HH:MM:SS.mmm` of ms since epoch; empty for null. */
export function exchangeDateTime(time: number | null | undefined): string {
  if (time === null || time === undefined || !Number.isFinite(time)) return '';
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of exchangeFormat.formatToParts(time)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond}`;
}

/**
 * Two columns for one timestamp (ms since epoch): `<name>_utc` (ISO 8601) and `<name>_et`
 * (exchange time, {@link exchangeDateTime}).
 */
export function timeCsvColumns<T>(name: string, time: (row: T) => number | null | undefined): CsvColumn<T>[] {
  return [
    { header: `${name}_utc`, value: (row) => isoUtc(time(row)) },
    { header: `${name}_et`, value: (row) => exchangeDateTime(time(row)) },
  ];
}

/** A file name stamped with the exchange date and time: `orders-2013-10-07-103105.csv`. */
export function datedCsvFileName(base: string, time: number): string {
  const stamp = exchangeDateTime(time);
  return `${base}-${stamp.slice(0, 10)}-${stamp.slice(11, 19).replaceAll(':', '')}.csv`;
}
