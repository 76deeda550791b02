/**
 * Positions, P&L and cash of one account, from fills.
 *
 * - Average cost: buying into a long (or selling into a short) re-averages the entry price;
 *   reducing realizes (fill price − average entry) × shares closed × direction, as brokers report
 *   realized P&L. A fill through zero closes the old position and opens the rest at the fill price.
 * - Positions are marked to the last trade price.
 * - Buying power is 1× equity less the gross market value of open positions (a cash-account rule
 *   that treats longs and shorts alike; margin comes with broker accounts).
 * - Realized P&L is the trading day's: it restarts at each new exchange date (quantities and
 *   average costs carry over).
 */
import type { Account, Fill, Position, Symbol } from '../../../shared/domain';

interface PositionState {
  quantity: number;
  averageEntryPrice: number;
  realizedPnl: number;
  lastPrice: number | null;
}

export class Portfolio {
  private readonly positions = new Map<Symbol, PositionState>();
  private cash: number;
  private day: string | null = null;

  /**
   * @param startingCash USD.
   * @param dayOf the exchange date (`YYYY-MM-DD`) of a time in ms since epoch.
   */
  constructor(
    startingCash: number,
    private readonly dayOf: (time: number) => string = () => '',
  ) {
    this.cash = startingCash;
  }

  /** Starts the trading day of `time` (ms since epoch) if it is a new one: realized P&L restarts. */
  rollTo(time: number): void {
    const day = this.dayOf(time);
    if (day === this.day) return;
    this.day = day;
    for (const p of this.positions.values()) p.realizedPnl = 0;
  }

  /** Applies a fill; returns the symbol's updated position. */
  applyFill(fill: Fill): Position {
    this.rollTo(fill.time);
    const p = this.stateOf(fill.symbol);
    const signed = fill.side === 'buy' ? fill.quantity : -fill.quantity;
    this.cash -= signed * fill.price;
    if (p.quantity === 0 || Math.sign(p.quantity) === Math.sign(signed)) {
      const total = Math.abs(p.quantity) + fill.quantity;
      p.averageEntryPrice = (p.averageEntryPrice * Math.abs(p.quantity) + fill.price * fill.quantity) / total;
      p.quantity += signed;
    } else {
      const closing = Math.min(Math.abs(p.quantity), fill.quantity);
      p.realizedPnl += (fill.price - p.averageEntryPrice) * closing * Math.sign(p.quantity);
      const remainder = fill.quantity - closing;
      p.quantity += signed;
      if (p.quantity === 0) p.averageEntryPrice = 0;
      else if (remainder > 0) p.averageEntryPrice = fill.price;
    }
    if (p.lastPrice === null) p.lastPrice = fill.price;
    return this.toPosition(fill.symbol, p);
  }

  /** Marks `symbol` at `lastPrice` USD; returns its position if the trader has one (open or closed today). */
  mark(symbol: Symbol, lastPrice: number): Position | null {
    const p = this.positions.get(symbol);
    if (!p) return null;
    p.lastPrice = lastPrice;
    return this.toPosition(symbol, p);
  }

  /** Takes the broker's cash figure (USD) after a reconciliation: the broker's books are the truth. */
  adoptCash(cash: number): void {
    this.cash = cash;
  }

  /** Signed shares held in `symbol`. */
  quantityOf(symbol: Symbol): number {
    return this.positions.get(symbol)?.quantity ?? 0;
  }

  /** Every symbol traded: open positions and those closed with realized P&L. */
  allPositions(): Position[] {
    return [...this.positions].map(([symbol, p]) => this.toPosition(symbol, p));
  }

  /** Cash, equity, P&L and buying power. */
  account(): Account {
    let marketValue = 0;
    let grossValue = 0;
    let realizedPnl = 0;
    let unrealizedPnl = 0;
    for (const p of this.positions.values()) {
      const mark = p.lastPrice ?? p.averageEntryPrice;
      marketValue += p.quantity * mark;
      grossValue += Math.abs(p.quantity * mark);
      realizedPnl += p.realizedPnl;
      unrealizedPnl += (mark - p.averageEntryPrice) * p.quantity;
    }
    const equity = this.cash + marketValue;
    return { cash: this.cash, equity, realizedPnl, unrealizedPnl, buyingPower: Math.max(0, equity - grossValue) };
  }

  private stateOf(symbol: Symbol): PositionState {
    let p = this.positions.get(symbol);
    if (!p) {
      p = { quantity: 0, averageEntryPrice: 0, realizedPnl: 0, lastPrice: null };
      this.positions.set(symbol, p);
    }
    return p;
  }

  private toPosition(symbol: Symbol, p: PositionState): Position {
    const last = p.lastPrice;
    return {
      symbol,
      quantity: p.quantity,
      averageEntryPrice: p.averageEntryPrice,
      lastPrice: last,
      marketValue: last === null ? null : p.quantity * last,
      unrealizedPnl: last === null ? null : (last - p.averageEntryPrice) * p.quantity,
      realizedPnl: p.realizedPnl,
    };
  }
}
