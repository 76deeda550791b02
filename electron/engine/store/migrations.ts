/**
 * Schema migrations, applied in order; never edit one that has shipped, add a new one.
 * Money columns are REAL USD, quantities INTEGER shares, times INTEGER ms since epoch.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    client_order_id TEXT NOT NULL UNIQUE,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    type TEXT NOT NULL,
    time_in_force TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    limit_price REAL,
    status TEXT NOT NULL,
    filled_quantity INTEGER NOT NULL DEFAULT 0,
    average_fill_price REAL,
    reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX orders_status ON orders (status);
  CREATE TABLE order_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT NOT NULL REFERENCES orders (id),
    status TEXT NOT NULL,
    reason TEXT,
    at INTEGER NOT NULL
  );
  CREATE INDEX order_events_order ON order_events (order_id);
  CREATE TABLE fills (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    client_order_id TEXT NOT NULL,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    price REAL NOT NULL,
    time INTEGER NOT NULL
  );
  CREATE INDEX fills_order ON fills (order_id);
  `,
  `
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    time INTEGER NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    instance_id TEXT,
    symbol TEXT,
    severity TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    values_json TEXT NOT NULL,
    suggestion_json TEXT,
    bar_time INTEGER,
    acknowledged INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX alerts_time ON alerts (time);
  `,
  `
  CREATE TABLE bars (
    symbol TEXT NOT NULL,
    timeframe TEXT NOT NULL,
    open_time INTEGER NOT NULL,
    open REAL NOT NULL,
    high REAL NOT NULL,
    low REAL NOT NULL,
    close REAL NOT NULL,
    volume INTEGER NOT NULL,
    trade_count INTEGER NOT NULL,
    vwap REAL NOT NULL,
    session TEXT NOT NULL,
    PRIMARY KEY (symbol, timeframe, open_time)
  ) WITHOUT ROWID;
  `,
  `
  CREATE TABLE risk_status (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  `
  ALTER TABLE orders ADD COLUMN stop_price REAL;
  `,
  `
  ALTER TABLE orders ADD COLUMN trail_price REAL;
  ALTER TABLE orders ADD COLUMN trail_percent REAL;
  `,
  `
  ALTER TABLE orders ADD COLUMN extended_hours INTEGER NOT NULL DEFAULT 0;
  `,
  `
  ALTER TABLE orders ADD COLUMN order_class TEXT NOT NULL DEFAULT 'simple';
  ALTER TABLE orders ADD COLUMN legs_json TEXT;
  ALTER TABLE orders ADD COLUMN parent_id TEXT;
  `,
  // Trading records belong to one broker account (the paper broker, or an Alpaca account).
  `
  ALTER TABLE orders ADD COLUMN account TEXT NOT NULL DEFAULT 'paper';
  ALTER TABLE fills ADD COLUMN account TEXT NOT NULL DEFAULT 'paper';
  CREATE INDEX orders_account ON orders (account, created_at);
  CREATE INDEX fills_account ON fills (account, time);
  CREATE TABLE account_risk_status (
    account TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  INSERT INTO account_risk_status (account, value, updated_at) SELECT 'paper', value, updated_at FROM risk_status;
  DROP TABLE risk_status;
  `,
  // Saved window layouts (shared/layouts.ts), one JSON row per layout; alerts the trader acknowledged.
  `
  CREATE TABLE layouts (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    value TEXT NOT NULL,
    saved_at INTEGER NOT NULL
  );
  ALTER TABLE alerts ADD COLUMN acknowledged_at INTEGER;
  `,
];
