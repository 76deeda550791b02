/**
 * DataGrid: the blotter table of the orders, fills and positions windows. A real `<table>`
 * (table semantics for screen readers and tests) whose body is virtualized with
 * @tanstack/react-virtual: only the rows in view (plus overscan) are in the DOM, with a padding
 * row above and below standing in for the rest, so 10 000 rows scroll without rendering them all.
 * Sorting (header click: first direction → other direction → unsorted; shift-click adds a
 * column) and one text filter over every column (whitespace-separated terms, all must match)
 * run through @tanstack/react-table's row models. "Export CSV" writes the filtered, sorted rows,
 * all of them, with each column's raw export values ({@link ./csv}).
 */
import {
  createTable,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type FilterFn,
  type Row,
  type SortingState,
  type TableOptions,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useDeferredValue, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { toCsv, type CsvColumn } from './csv';
import './data-grid.css';

/** A raw cell value, what the column sorts by: a number (USD, shares, ms since epoch), text, or missing. */
export type GridValue = string | number | null | undefined;

/** One column of a {@link DataGrid}. Keep the array of columns stable (a module constant). */
export interface GridColumn<T> {
  /** Stable id; also the cell's `data-column` attribute. */
  readonly id: string;
  /** Header text. */
  readonly header: string;
  /** Header tooltip, e.g. the unit or the formula. */
  readonly description?: string;
  /** The raw value the column sorts by (numbers sort numerically, text naturally: `A2` before `A10`). */
  readonly value: (row: T) => GridValue;
  /** What the trader reads, and what the filter matches; default the raw value as text. */
  readonly text?: (row: T) => string;
  /** Cell content when it is more than text (buttons, inputs); default {@link GridColumn.text}. */
  readonly cell?: (row: T) => ReactNode;
  /** A number column: right-aligned, tabular figures, raw value in the cell's `data-value`. */
  readonly numeric?: boolean;
  /** The cell names its row (a `th scope="row"`, e.g. the symbol of a position). */
  readonly rowHeader?: boolean;
  /** Extra class of a cell, e.g. `up`/`down` for a signed P&L. */
  readonly className?: (row: T) => string;
  /** Tooltip of a cell. */
  readonly cellTitle?: (row: T) => string;
  /** Default true. */
  readonly sortable?: boolean;
  /** CSV columns this column exports (raw values); default one column of `id` and the raw value; `[]` exports nothing. */
  readonly csv?: readonly CsvColumn<T>[];
}

/** Sort state: column ids, first = primary; `desc` true for descending. */
export type GridSorting = readonly { readonly id: string; readonly desc: boolean }[];

/** What a cell shows as text: {@link GridColumn.text}, else the raw value (empty when missing). */
export function cellText<T>(column: GridColumn<T>, row: T): string {
  if (column.text) return column.text(row);
  const value = column.value(row);
  return value === null || value === undefined ? '' : String(value);
}

/** The CSV columns of a grid, in column order ({@link GridColumn.csv}). */
export function csvColumnsOf<T>(columns: readonly GridColumn<T>[]): CsvColumn<T>[] {
  return columns.flatMap((column) => (column.csv ? [...column.csv] : [{ header: column.id, value: column.value }]));
}

/** Everything the filter can match in a row: each column's text, lower-cased, one per line. */
export function searchTextOf<T>(columns: readonly GridColumn<T>[], row: T): string {
  return columns.map((column) => cellText(column, row)).join('\n').toLowerCase();
}

/**
 * Whether a row (its {@link searchTextOf}) matches a filter: every whitespace-separated term of
 * `filter` occurs in it, ignoring case (`ibm sell` = IBM rows that are sells). An empty filter matches.
 */
export function rowMatchesFilter(searchText: string, filter: string): boolean {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return terms.every((term) => searchText.includes(term));
}

const collator = new Intl.Collator('en-US', { numeric: true, sensitivity: 'base' });

/**
 * Ascending order of two raw values: numbers numerically, text naturally and ignoring case,
 * numbers before text, missing values (null, undefined, NaN) after everything.
 */
export function compareGridValues(a: GridValue, b: GridValue): number {
  const aMissing = a === null || a === undefined || (typeof a === 'number' && Number.isNaN(a));
  const bMissing = b === null || b === undefined || (typeof b === 'number' && Number.isNaN(b));
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return collator.compare(a as string, b as string);
}

/** `aria-sort` of a header: its direction when sorted, `none` when sortable but not sorted. */
export function ariaSortOf(sorted: false | 'asc' | 'desc', sortable: boolean): 'ascending' | 'descending' | 'none' | undefined {
  if (sorted === 'asc') return 'ascending';
  if (sorted === 'desc') return 'descending';
  return sortable ? 'none' : undefined;
}

const counts = new Intl.NumberFormat('en-US');

/** The row count a grid shows: `123 of 10,000` (filtered of all), or `10,000` when nothing is filtered out. */
export function rowCountLabel(shown: number, total: number): string {
  return shown === total ? counts.format(total) : `${counts.format(shown)} of ${counts.format(total)}`;
}

type GridTableOptions<T> = Pick<
  TableOptions<T>,
  'columns' | 'getRowId' | 'getCoreRowModel' | 'getSortedRowModel' | 'getFilteredRowModel' | 'globalFilterFn' | 'getColumnCanGlobalFilter'
>;

/**
 * The @tanstack/react-table options of a grid: one accessor column per {@link GridColumn}, sorted
 * with {@link compareGridValues}, and a global filter ({@link rowMatchesFilter}) evaluated once
 * per row (on the first column) against the row's cached {@link searchTextOf}.
 */
export function gridTableOptions<T extends object>(columns: readonly GridColumn<T>[], getRowId: (row: T) => string): GridTableOptions<T> {
  const searchText = new WeakMap<T, string>();
  const globalFilterFn: FilterFn<T> = (row, _columnId, filter: string) => {
    let text = searchText.get(row.original);
    if (text === undefined) {
      text = searchTextOf(columns, row.original);
      searchText.set(row.original, text);
    }
    return rowMatchesFilter(text, filter);
  };
  const sortingFn = (a: Row<T>, b: Row<T>, id: string): number => compareGridValues(a.getValue<GridValue>(id), b.getValue<GridValue>(id));
  const defs: ColumnDef<T, GridValue>[] = columns.map((column, index) => ({
    id: column.id,
    header: column.header,
    accessorFn: (row: T) => column.value(row),
    enableSorting: column.sortable !== false,
    // The filter looks at the whole row, so one column is enough to run it once per row.
    enableGlobalFilter: index === 0,
    sortingFn,
  }));
  return {
    columns: defs,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    globalFilterFn,
    getColumnCanGlobalFilter: () => true,
  };
}

/**
 * The rows a grid shows (and exports) for a filter and a sort, computed by the same table
 * pipeline as {@link DataGrid}, without React.
 */
export function filterAndSortRows<T extends object>(
  columns: readonly GridColumn<T>[],
  rows: readonly T[],
  getRowId: (row: T) => string,
  view: { readonly filter?: string; readonly sorting?: GridSorting },
): T[] {
  const state = { sorting: [...(view.sorting ?? [])], globalFilter: view.filter ?? '' };
  const table = createTable<T>({
    ...gridTableOptions(columns, getRowId),
    data: rows as T[],
    state,
    onStateChange: () => undefined,
    renderFallbackValue: null,
  });
  table.setOptions((previous) => ({ ...previous, state: { ...table.initialState, ...state } }));
  return table.getRowModel().rows.map((row) => row.original);
}

/**
 * Saves `text` as a file through a Blob URL and an `<a download>` (Chromium and Electron both
 * save it; Electron asks where). A UTF-8 byte order mark goes first so Excel reads non-ASCII
 * text (e.g. an engine's reason) correctly; CSV readers such as papaparse skip it.
 */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download reads the Blob after the click returns; release it once it surely has.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Props of {@link DataGrid}. Pass stable functions and columns (module constants), not inline arrows. */
export interface DataGridProps<T extends object> {
  /** The table's accessible name (`aria-label`); the filter box is labelled `Filter <label>`. */
  readonly label: string;
  readonly columns: readonly GridColumn<T>[];
  /** All rows, in the order shown when the grid is not sorted. */
  readonly rows: readonly T[];
  /** A row's stable id (its React key, kept across re-sorts). */
  readonly getRowId: (row: T) => string;
  /** Attributes of a row's `tr`, e.g. `{ 'data-order-id': … }` for tests. */
  readonly rowAttributes?: (row: T) => Record<string, string>;
  /** Class of a row's `tr`. */
  readonly rowClassName?: (row: T) => string | undefined;
  /** Sort when the grid opens. */
  readonly initialSorting?: GridSorting;
  /** The exported file's name, or a function giving it at export time. */
  readonly csvFileName: string | (() => string);
  /** Figures over the filtered rows (e.g. totals), shown in the toolbar. */
  readonly summary?: (rows: readonly T[]) => ReactNode;
  /** Shown under the header when there are no rows at all. */
  readonly emptyText?: string;
  /** Toolbar controls before the filter. */
  readonly children?: ReactNode;
  /** Toolbar content at its right end (e.g. the broker status). */
  readonly toolbarEnd?: ReactNode;
}

/** Estimated height of a row, px (rows are measured once rendered). */
const ROW_HEIGHT = 21;

/** A virtualized, sortable, filterable table with CSV export. */
export function DataGrid<T extends object>({
  label,
  columns,
  rows,
  getRowId,
  rowAttributes,
  rowClassName,
  initialSorting,
  csvFileName,
  summary,
  emptyText,
  children,
  toolbarEnd,
}: DataGridProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(() => [...(initialSorting ?? [])]);
  const [filter, setFilter] = useState('');
  // Typing stays responsive while 10 000 rows are filtered behind it.
  const deferredFilter = useDeferredValue(filter);
  const options = useMemo(() => gridTableOptions(columns, getRowId), [columns, getRowId]);
  const table = useReactTable<T>({
    ...options,
    data: rows as T[],
    state: { sorting, globalFilter: deferredFilter },
    onSortingChange: setSorting,
  });
  const shown = table.getRowModel().rows;
  const filteredModel = table.getFilteredRowModel();
  const filtered = useMemo(() => filteredModel.rows.map((row) => row.original), [filteredModel]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => shown[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = Math.max(0, virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0));

  const exportCsv = (): void => {
    const name = typeof csvFileName === 'function' ? csvFileName() : csvFileName;
    downloadText(name, toCsv(csvColumnsOf(columns), table.getRowModel().rows.map((row) => row.original)));
  };
  const onFilterKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    // Escape clears the filter, and is then not also a hotkey of the window.
    if (event.key === 'Escape' && filter) {
      event.stopPropagation();
      setFilter('');
    }
  };

  return (
    <div className="data-grid">
      <div className="data-grid-toolbar">
        {children}
        <input
          type="search"
          className="data-grid-filter"
          aria-label={`Filter ${label}`}
          placeholder="Filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={onFilterKey}
          spellCheck={false}
          autoComplete="off"
        />
        <span className="data-grid-count" data-testid="row-count">
          {rowCountLabel(shown.length, rows.length)}
        </span>
        <button type="button" className="small" onClick={exportCsv}>
          Export CSV
        </button>
        {summary && <span className="data-grid-summary">{summary(filtered)}</span>}
        {toolbarEnd && <span className="data-grid-toolbar-end">{toolbarEnd}</span>}
      </div>
      <div ref={scroller} className="data-grid-scroller">
        <table className="grid data-grid-table" aria-label={label} data-rows={shown.length} aria-rowcount={shown.length + 1}>
          <thead>
            <tr aria-rowindex={1}>
              {columns.map((column) => {
                const state = table.getColumn(column.id);
                const sortable = state?.getCanSort() ?? false;
                const sorted = state?.getIsSorted() ?? false;
                return (
                  <th key={column.id} scope="col" className={column.numeric ? 'num' : undefined} aria-sort={ariaSortOf(sorted, sortable)} title={column.description}>
                    {sortable ? (
                      <button type="button" className="data-grid-sort" onClick={state?.getToggleSortingHandler()}>
                        {column.header}
                        <span className="data-grid-sort-mark" aria-hidden="true">
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                        </span>
                      </button>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {paddingTop > 0 && <PaddingRow height={paddingTop} span={columns.length} />}
            {items.map((item) => {
              const row = shown[item.index];
              if (!row) return null;
              return (
                <GridRow
                  key={row.id}
                  row={row.original}
                  index={item.index}
                  columns={columns}
                  rowAttributes={rowAttributes}
                  rowClassName={rowClassName}
                  measure={virtualizer.measureElement}
                />
              );
            })}
            {paddingBottom > 0 && <PaddingRow height={paddingBottom} span={columns.length} />}
          </tbody>
        </table>
        {shown.length === 0 && <p className="data-grid-empty">{rows.length === 0 ? (emptyText ?? 'Nothing yet') : 'No rows match the filter'}</p>}
      </div>
    </div>
  );
}

/** Stands in for the rows scrolled out of view. */
function PaddingRow({ height, span }: { height: number; span: number }) {
  return (
    <tr className="data-grid-padding" aria-hidden="true" style={{ height }}>
      <td colSpan={span} />
    </tr>
  );
}

interface GridRowProps<T> {
  readonly row: T;
  readonly index: number;
  readonly columns: readonly GridColumn<T>[];
  readonly rowAttributes: ((row: T) => Record<string, string>) | undefined;
  readonly rowClassName: ((row: T) => string | undefined) | undefined;
  readonly measure: (element: Element | null) => void;
}

function GridRowView<T>({ row, index, columns, rowAttributes, rowClassName, measure }: GridRowProps<T>) {
  return (
    <tr ref={measure} data-index={index} aria-rowindex={index + 2} className={rowClassName?.(row)} {...rowAttributes?.(row)}>
      {columns.map((column) => {
        const className = [column.numeric ? 'num' : '', column.className?.(row) ?? ''].filter(Boolean).join(' ') || undefined;
        const value = column.numeric ? column.value(row) : undefined;
        const props = {
          className,
          'data-column': column.id,
          'data-value': column.numeric ? (value === null || value === undefined ? '' : String(value)) : undefined,
          title: column.cellTitle?.(row),
        };
        const content = column.cell ? column.cell(row) : cellText(column, row);
        return column.rowHeader ? (
          <th key={column.id} scope="row" {...props}>
            {content}
          </th>
        ) : (
          <td key={column.id} {...props}>
            {content}
          </td>
        );
      })}
    </tr>
  );
}

// Rows re-render when their row object changes, not on every scroll step.
const GridRow = memo(GridRowView) as typeof GridRowView;
