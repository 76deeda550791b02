/** The risk state and the day's counters of one broker account in SQLite (one row), written on every change. */
import type { RiskStatus } from '../../../shared/domain';
import type { SqliteDatabase } from './database';
import { PAPER_ACCOUNT } from './order-store';

export class RiskStore {
  private readonly upsert;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly account = PAPER_ACCOUNT,
  ) {
    this.upsert = db.prepare(
      'INSERT INTO account_risk_status (account, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (account) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  load(): RiskStatus | null {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM account_risk_status WHERE account = ?').get(this.account);
    if (!row) return null;
    try {
      return JSON.parse(row.value) as RiskStatus;
    } catch {
      return null;
    }
  }

  save(status: RiskStatus, now: number): void {
    this.upsert.run(this.account, JSON.stringify(status), now);
  }
}
