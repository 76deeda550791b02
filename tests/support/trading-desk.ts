/**
 * An order manager, paper broker and portfolio on a real SQLite file, driven by hand-made quotes
 * and a settable clock: the trading core without a feed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Fill, type Order, type OrderRequest, type Quote, type RiskLimits, type Settings } from '../../shared/domain';
import type { Broker, ExecutionReportListener } from '../../electron/engine/brokers/broker';
import { PaperBroker, type PaperBrokerOptions } from '../../electron/engine/brokers/paper-broker';
import { OrderManager } from '../../electron/engine/orders/order-manager';
import { Portfolio } from '../../electron/engine/portfolio/portfolio';
import { openDatabase, type SqliteDatabase } from '../../electron/engine/store/database';
import { OrderStore } from '../../electron/engine/store/order-store';
import { SessionCursor, sessionTimes } from '../../electron/engine/market/session-clock';
import { RiskEngine } from '../../electron/engine/risk/risk-engine';
import { RiskStore } from '../../electron/engine/store/risk-store';

export const DAY = sessionTimes('2013-10-07');

export interface TradingDesk {
  readonly db: SqliteDatabase;
  readonly path: string;
  readonly manager: OrderManager;
  readonly broker: Broker;
  readonly portfolio: Portfolio;
  readonly risk: RiskEngine;
  readonly orders: Order[];
  readonly fills: Fill[];
  readonly anomalies: string[];
  clock: number;
  quote(bid: number, ask: number, symbol?: string, size?: number): Quote;
  trade(price: number, symbol?: string): void;
  close(): void;
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'tw-test-')), 'workstation.db');
}

export interface DeskOptions {
  path?: string;
  limits?: Partial<RiskLimits>;
  maxOrderNotional?: number;
  startingCash?: number;
  /** Broker settings (hold or refuse while the order stream is down). */
  broker?: Partial<Settings['broker']>;
  /** Paper broker latency and scheduler. */
  paper?: PaperBrokerOptions;
  /** Another broker than the paper broker (e.g. Alpaca against its double). */
  makeBroker?: (report: ExecutionReportListener, manager: OrderManager) => Broker;
  /** Wall clock for held orders. */
  wallClock?: () => number;
  /** Broker account the records belong to (default paper). */
  account?: string;
}

export function openDesk(options: DeskOptions = {}): TradingDesk {
  const path = options.path ?? tempDbPath();
  const db = openDatabase({ path });
  const quotes = new Map<string, Quote>();
  const lasts = new Map<string, number>();
  const sessions = new SessionCursor();
  const portfolio = new Portfolio(options.startingCash ?? 100_000, (t) => sessions.at(t).date);
  const limits = (): RiskLimits => ({
    ...DEFAULT_SETTINGS.risk,
    ...(options.maxOrderNotional ? { maxOrderNotional: options.maxOrderNotional } : {}),
    ...options.limits,
  });
  const desk = {
    db,
    path,
    portfolio,
    orders: [] as Order[],
    fills: [] as Fill[],
    anomalies: [] as string[],
    clock: DAY.regularOpen + 30 * 60_000,
  } as TradingDesk & { clock: number };
  const risk = new RiskEngine(new RiskStore(db, options.account), limits, (t) => sessions.at(t).date, desk.clock);
  const manager = new OrderManager(
    new OrderStore(db, options.account),
    portfolio,
    {
      knownSymbols: () => new Set(['IBM', 'SPY']),
      quote: (s) => quotes.get(s) ?? null,
      lastPrice: (s) => lasts.get(s) ?? null,
      now: () => desk.clock,
    },
    () => ({ risk: limits(), broker: { ...DEFAULT_SETTINGS.broker, ...options.broker } }),
    {
      onOrder: (o) => desk.orders.push(o),
      onFill: (f) => desk.fills.push(f),
      onAnomaly: (m) => desk.anomalies.push(m),
    },
    risk,
    options.wallClock,
  );
  manager.restore();
  const report: ExecutionReportListener = (r) => manager.apply(r);
  const broker = options.makeBroker ? options.makeBroker(report, manager) : new PaperBroker(report, options.paper);
  manager.attachBroker(broker);
  Object.assign(desk, {
    manager,
    broker,
    risk,
    quote(bid: number, ask: number, symbol = 'IBM', size = 500): Quote {
      const q: Quote = { symbol, bid, bidSize: size, bidExchange: 'N', ask, askSize: size, askExchange: 'P', time: desk.clock };
      quotes.set(symbol, q);
      lasts.set(symbol, (bid + ask) / 2);
      broker.onQuote(q);
      return q;
    },
    trade(price: number, symbol = 'IBM'): void {
      lasts.set(symbol, price);
      broker.onTrade({ symbol, price, size: 100, exchange: 'N', conditions: 1, time: desk.clock });
    },
    close: () => {
      broker.close();
      db.close();
    },
  });
  return desk;
}

/** An order request: 100 IBM, buy, market, day, with `over` applied. */
export function orderRequest(over: Partial<OrderRequest> = {}): OrderRequest {
  return { symbol: 'IBM', side: 'buy', quantity: 100, type: 'market', timeInForce: 'day', ...over };
}
