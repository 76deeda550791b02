import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { datedCsvFileName, exchangeDateTime, isoUtc, timeCsvColumns, toCsv, type CsvColumn, type CsvValue } from '../../../renderer/components/csv';

interface Row {
  readonly text: CsvValue;
  readonly price: CsvValue;
}
const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: 'text', value: (r) => r.text },
  { header: 'price', value: (r) => r.price },
];

// 2013-10-07 10:31:05.123 ET (EDT, UTC−4).
const OCT_7_1031 = Date.UTC(2013, 9, 7, 14, 31, 5, 123);

describe('toCsv', () => {
  it('writes a header row, then one CRLF-terminated record per row in the order given', () => {
    const csv = toCsv(COLUMNS, [
      { text: 'IBM', price: 182.5 },
      { text: 'SPY', price: 168.02 },
    ]);
    expect(csv).toBe('text,price\r\nIBM,182.5\r\nSPY,168.02\r\n');
  });

  it('writes only the header when there are no rows', () => {
    expect(toCsv(COLUMNS, [])).toBe('text,price\r\n');
  });

  it('writes numbers raw: full precision, no thousands separators, no rounding to cents', () => {
    const csv = toCsv(COLUMNS, [
      { text: 'sub-dollar', price: 0.1234 },
      { text: 'big', price: 1234567.891 },
      { text: 'short P&L', price: -1500.125 },
      { text: 'float', price: 0.1 + 0.2 },
    ]);
    expect(csv.split('\r\n').slice(1, 5)).toEqual(['sub-dollar,0.1234', 'big,1234567.891', 'short P&L,-1500.125', 'float,0.30000000000000004']);
  });

  it('quotes fields holding commas, quotes or line breaks, and a CSV reader gets them back unchanged', () => {
    const tricky = ['Rejected, price band', 'said "no"', 'line one\nline two', 'crlf\r\nend', ' padded '];
    const csv = toCsv(
      COLUMNS,
      tricky.map((text) => ({ text, price: 1 })),
    );
    expect(csv).toContain('"Rejected, price band",1');
    expect(csv).toContain('"said ""no""",1');
    expect(csv).toContain('"line one\nline two",1');
    const parsed = Papa.parse<string[]>(csv.trimEnd(), { header: false }).data;
    expect(parsed.slice(1).map((r) => r[0])).toEqual(tricky);
  });

  it('leaves missing values and non-finite numbers empty, and writes booleans as true/false', () => {
    const csv = toCsv(
      [
        { header: 'a', value: (r: { a: CsvValue }) => r.a },
        { header: 'b', value: () => false },
      ],
      [{ a: null }, { a: undefined }, { a: Number.NaN }, { a: Number.POSITIVE_INFINITY }, { a: 0 }],
    );
    expect(csv).toBe('a,b\r\n,false\r\n,false\r\n,false\r\n,false\r\n0,false\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, but never a negative number', () => {
    const csv = toCsv(COLUMNS, [{ text: '=HYPERLINK("x")', price: -2.5 }]);
    expect(csv).toBe('text,price\r\n"\'=HYPERLINK(""x"")",-2.5\r\n');
  });
});

describe('CSV times', () => {
  it('gives ISO 8601 UTC with milliseconds, empty for a missing time', () => {
    expect(isoUtc(OCT_7_1031)).toBe('2013-10-07T14:31:05.123Z');
    expect(isoUtc(null)).toBe('');
    expect(isoUtc(Number.NaN)).toBe('');
  });

  it('gives exchange time in New York, daylight saving and standard time, midnight as 00', () => {
    expect(exchangeDateTime(OCT_7_1031)).toBe('2013-10-07 10:31:05.123');
    expect(exchangeDateTime(Date.UTC(2014, 0, 2, 14, 30, 0, 0))).toBe('2014-01-02 09:30:00.000');
    expect(exchangeDateTime(Date.UTC(2013, 9, 8, 4, 0, 0, 0))).toBe('2013-10-08 00:00:00.000');
    expect(exchangeDateTime(undefined)).toBe('');
  });

  it('exports one timestamp as a UTC and an ET column', () => {
    const csv = toCsv(timeCsvColumns<{ t: number | null }>('created_at', (r) => r.t), [{ t: OCT_7_1031 }, { t: null }]);
    expect(csv).toBe('created_at_utc,created_at_et\r\n2013-10-07T14:31:05.123Z,2013-10-07 10:31:05.123\r\n,\r\n');
  });

  it('stamps file names with the exchange date and time', () => {
    expect(datedCsvFileName('fills', OCT_7_1031)).toBe('fills-2013-10-07-103105.csv');
  });
});
