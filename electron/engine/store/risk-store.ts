/** The risk state and the day's counters in SQLite (one row), written on every change. */
import type { RiskStatus } from '../../../shared/domain';
import type { SqliteDatabase } from './database';

export class RiskStore {
  private readonly upsert;

  constructor(private readonly db: SqliteDatabase) {
    this.upsert = db.prepare(
      'INSERT INTO risk_status (id, value, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  load(): RiskStatus | null {
    const row = this.db.prepare<[], { value: string }>('SELECT value FROM risk_status WHERE id = 1').get();
    if (!row) return null;
    try {
      return JSON.parse(row.value) as RiskStatus;
    } catch {
      return null;
    }
  }

  save(status: RiskStatus, now: number): void {
    this.upsert.run(JSON.stringify(status), now);
  }
}
