/**
 * Orders, their audit trail and fills in SQLite. Each change is one transaction: the order row,
 * its event row and its fill (if any) are written together or not at all.
 */
import type { Fill, Order, OrderSide, OrderStatus, OrderType, TimeInForce } from '../../../shared/domain';
import type { SqliteDatabase } from './database';

interface OrderRow {
  id: string;
  client_order_id: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  time_in_force: TimeInForce;
  quantity: number;
  limit_price: number | null;
  stop_price: number | null;
  trail_price: number | null;
  trail_percent: number | null;
  extended_hours: number;
  order_class: Order['orderClass'];
  legs_json: string | null;
  parent_id: string | null;
  status: OrderStatus;
  filled_quantity: number;
  average_fill_price: number | null;
  reason: string | null;
  created_at: number;
  updated_at: number;
}

interface FillRow {
  id: string;
  order_id: string;
  client_order_id: string;
  symbol: string;
  side: OrderSide;
  quantity: number;
  price: number;
  time: number;
}

function toOrder(r: OrderRow): Order {
  return {
    id: r.id,
    clientOrderId: r.client_order_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.time_in_force,
    quantity: r.quantity,
    limitPrice: r.limit_price,
    stopPrice: r.stop_price,
    trailPrice: r.trail_price,
    trailPercent: r.trail_percent,
    extendedHours: r.extended_hours === 1,
    orderClass: r.order_class,
    legs: r.legs_json ? (JSON.parse(r.legs_json) as Order['legs']) : null,
    parentId: r.parent_id,
    status: r.status,
    filledQuantity: r.filled_quantity,
    averageFillPrice: r.average_fill_price,
    reason: r.reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toFill(r: FillRow): Fill {
  return {
    id: r.id,
    orderId: r.order_id,
    clientOrderId: r.client_order_id,
    symbol: r.symbol,
    side: r.side,
    quantity: r.quantity,
    price: r.price,
    time: r.time,
  };
}

/** Ends the write probe's transaction by rolling it back. */
class ProbeDone extends Error {}

/** The built-in paper broker's account. */
export const PAPER_ACCOUNT = 'paper';

export class OrderStore {
  private readonly upsertOrder;
  private readonly insertEvent;
  private readonly insertFill;
  private readonly byClientOrderId;
  private readonly saveTransaction;

  /**
   * @param account The broker account whose records this store reads and writes (`paper`, or
   *   e.g. `alpaca-paper-PK…`): accounts never see each other's orders, fills or positions.
   */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly account = PAPER_ACCOUNT,
  ) {
    this.upsertOrder = db.prepare(`
      INSERT INTO orders (id, client_order_id, symbol, side, type, time_in_force, quantity, limit_price, stop_price, trail_price, trail_percent, extended_hours, order_class, legs_json, parent_id, status,
                          filled_quantity, average_fill_price, reason, created_at, updated_at, account)
      VALUES (@id, @clientOrderId, @symbol, @side, @type, @timeInForce, @quantity, @limitPrice, @stopPrice, @trailPrice, @trailPercent, @extendedHoursFlag, @orderClass, @legsJson, @parentId, @status,
              @filledQuantity, @averageFillPrice, @reason, @createdAt, @updatedAt, @account)
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, filled_quantity = excluded.filled_quantity,
        average_fill_price = excluded.average_fill_price, reason = excluded.reason, updated_at = excluded.updated_at`);
    this.insertEvent = db.prepare('INSERT INTO order_events (order_id, status, reason, at) VALUES (?, ?, ?, ?)');
    this.insertFill = db.prepare(`
      INSERT INTO fills (id, order_id, client_order_id, symbol, side, quantity, price, time, account)
      VALUES (@id, @orderId, @clientOrderId, @symbol, @side, @quantity, @price, @time, @account)`);
    this.byClientOrderId = db.prepare<[string, string], OrderRow>('SELECT * FROM orders WHERE client_order_id = ? AND account = ?');
    this.saveTransaction = db.transaction((order: Order, fill: Fill | null) => {
      this.upsertOrder.run(order);
      this.insertEvent.run(order.id, order.status, order.reason, order.updatedAt);
      if (fill) this.insertFill.run({ ...fill, account: this.account });
    });
  }

  /** Writes an order's new state, its audit row and its fill (if any) in one transaction. */
  save(order: Order, fill: Fill | null = null): void {
    this.saveTransaction({ ...order, extendedHoursFlag: order.extendedHours ? 1 : 0, legsJson: order.legs ? JSON.stringify(order.legs) : null, account: this.account } as Order, fill);
  }

  /**
   * Throws when the database cannot be written (read-only file, disk full); writes nothing (the
   * probe row is rolled back).
   */
  probeWritable(): void {
    try {
      this.db.transaction(() => {
        this.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET updated_at = updated_at').run('__write_probe__', '', 0);
        throw new ProbeDone();
      })();
    } catch (error) {
      if (!(error instanceof ProbeDone)) throw error;
    }
  }

  /** The order with this client_order_id, if any. */
  findByClientOrderId(clientOrderId: string): Order | null {
    const row = this.byClientOrderId.get(clientOrderId, this.account);
    return row ? toOrder(row) : null;
  }

  /** All orders, oldest first. */
  loadOrders(): Order[] {
    return this.db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE account = ? ORDER BY created_at, rowid').all(this.account).map(toOrder);
  }

  /** All fills, oldest first. */
  loadFills(): Fill[] {
    return this.db.prepare<[string], FillRow>('SELECT * FROM fills WHERE account = ? ORDER BY time, rowid').all(this.account).map(toFill);
  }

  /** Audit trail of one order: each status with its time, oldest first. */
  events(orderId: string): Array<{ status: OrderStatus; reason: string | null; at: number }> {
    return this.db
      .prepare<[string], { status: OrderStatus; reason: string | null; at: number }>(
        'SELECT status, reason, at FROM order_events WHERE order_id = ? ORDER BY seq',
      )
      .all(orderId);
  }
}
