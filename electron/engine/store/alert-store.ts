/** Alerts in SQLite: every alert raised is kept, newest read first. */
import type { Alert } from '../../../shared/domain';
import type { SqliteDatabase } from './database';

interface AlertRow {
  id: string;
  time: number;
  source: Alert['source'];
  kind: string;
  instance_id: string | null;
  symbol: string | null;
  severity: Alert['severity'];
  title: string;
  message: string;
  values_json: string;
  suggestion_json: string | null;
  bar_time: number | null;
  acknowledged_at: number | null;
}

export class AlertStore {
  private readonly insert;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(`
      INSERT OR IGNORE INTO alerts (id, time, source, kind, instance_id, symbol, severity, title, message, values_json, suggestion_json, bar_time)
      VALUES (@id, @time, @source, @kind, @instanceId, @symbol, @severity, @title, @message, @valuesJson, @suggestionJson, @barTime)`);
  }

  save(alert: Alert): void {
    this.insert.run({
      ...alert,
      valuesJson: JSON.stringify(alert.values),
      suggestionJson: alert.suggestion ? JSON.stringify(alert.suggestion) : null,
    });
  }

  /**
   * Marks alerts as seen by the trader at `at` (ms since epoch); `ids` null marks every alert not
   * yet acknowledged. Returns the ids it marked.
   */
  acknowledge(ids: readonly string[] | null, at: number): string[] {
    if (ids === null) {
      return this.db.prepare<[number], { id: string }>('UPDATE alerts SET acknowledged_at = ? WHERE acknowledged_at IS NULL RETURNING id').all(at).map((r) => r.id);
    }
    const one = this.db.prepare<[number, string], { id: string }>('UPDATE alerts SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL RETURNING id');
    return this.db.transaction(() => ids.flatMap((id) => one.all(at, id).map((r) => r.id)))();
  }

  /** The latest `limit` alerts, oldest first. */
  recent(limit = 500): Alert[] {
    return this.db
      .prepare<[number], AlertRow>('SELECT * FROM alerts ORDER BY time DESC, rowid DESC LIMIT ?')
      .all(limit)
      .reverse()
      .map((r) => ({
        id: r.id,
        time: r.time,
        source: r.source,
        kind: r.kind,
        instanceId: r.instance_id,
        symbol: r.symbol,
        severity: r.severity,
        title: r.title,
        message: r.message,
        values: JSON.parse(r.values_json) as Record<string, number>,
        suggestion: r.suggestion_json ? (JSON.parse(r.suggestion_json) as Alert['suggestion']) : null,
        barTime: r.bar_time,
        acknowledgedAt: r.acknowledged_at,
      }));
  }
}
