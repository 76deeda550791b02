/**
 * Saved window layouts, one row per layout in `layouts` (migration 10). The list is validated
 * with {@link parseLayout} on the way in and on the way out, so a damaged row never reaches a
 * window: it is logged and skipped.
 */
import { MAX_LAYOUTS, parseLayout, type Layout } from '../../../shared/layouts';
import type { SqliteDatabase } from './database';

export class LayoutStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** Every saved layout, oldest saved first; unreadable rows are skipped with a warning. */
  load(): Layout[] {
    const rows = this.db.prepare<[number], { name: string; value: string }>('SELECT name, value FROM layouts ORDER BY saved_at, name LIMIT ?').all(MAX_LAYOUTS);
    const layouts: Layout[] = [];
    for (const row of rows) {
      try {
        layouts.push(parseLayout(JSON.parse(row.value) as unknown));
      } catch (error) {
        this.warn(`Skipped the saved layout "${row.name}": ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return layouts;
  }

  /**
   * Replaces the stored list with `layouts` (already validated) in one transaction.
   * @throws the database's error when it cannot write; nothing is half-written.
   */
  replaceAll(layouts: readonly Layout[]): void {
    const insert = this.db.prepare('INSERT INTO layouts (name, value, saved_at) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM layouts').run();
      for (const layout of layouts) insert.run(layout.name, JSON.stringify(layout), layout.savedAt);
    })();
  }
}
