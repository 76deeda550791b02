/**
 * A trading desk (order manager, risk, portfolio on SQLite) whose broker is the real
 * {@link AlpacaBroker} talking to the local Alpaca trading double on 127.0.0.1.
 */
import { AlpacaBroker, alpacaAccountId, type AlpacaBrokerConfig, type BrokerSnapshot } from '../../electron/engine/brokers/alpaca-broker';
import { startAlpacaTradingDouble, type AlpacaTradingDouble } from '../doubles/alpaca-trading-double';
import { openDesk, type DeskOptions, type TradingDesk } from './trading-desk';

export const KEY_ID = 'PKTESTKEY';
export const SECRET_KEY = 'test-secret';

export interface AlpacaDesk extends TradingDesk {
  readonly alpaca: AlpacaBroker;
  readonly snapshots: BrokerSnapshot[];
  readonly logs: string[];
  /** Sets the NBBO at the desk (risk checks) and at the double (fills). */
  market(bid: number, ask: number, symbol?: string, size?: number): void;
}

/** Timing suited to loopback tests: short timeouts, fast retries and reconnects. */
export function testBrokerConfig(double: AlpacaTradingDouble, over: Partial<AlpacaBrokerConfig> = {}): AlpacaBrokerConfig {
  return {
    keyId: KEY_ID,
    secretKey: SECRET_KEY,
    baseUrl: double.url,
    streamUrl: double.streamUrl,
    live: false,
    requestTimeoutMs: 1_000,
    retryDelayMs: 20,
    reconnectMs: { initial: 50, max: 200 },
    rateLimit: false,
    ...over,
  };
}

export function startDouble(symbols: readonly string[] = ['IBM', 'SPY']): Promise<AlpacaTradingDouble> {
  // Alpaca stamps orders with its own (wall) clock, whatever the recorded quotes' times.
  return startAlpacaTradingDouble({ keyId: KEY_ID, secretKey: SECRET_KEY, symbols, now: () => Date.now() });
}

/** Opens a desk on Alpaca (the double) and starts the order-update stream. */
export function openAlpacaDesk(double: AlpacaTradingDouble, options: DeskOptions & { config?: Partial<AlpacaBrokerConfig> } = {}): AlpacaDesk {
  const snapshots: BrokerSnapshot[] = [];
  const logs: string[] = [];
  let broker: AlpacaBroker | null = null;
  const desk = openDesk({
    ...options,
    account: alpacaAccountId(testBrokerConfig(double, options.config)),
    makeBroker: (report) =>
      (broker = new AlpacaBroker(testBrokerConfig(double, options.config), report, {
        onHealth: () => desk?.manager.serviceHeld(),
        onReconciled: (snapshot) => snapshots.push(snapshot),
        log: (level, message) => logs.push(`${level}: ${message}`),
      })),
  });
  const alpaca = broker as unknown as AlpacaBroker;
  alpaca.start();
  return Object.assign(desk, {
    alpaca,
    snapshots,
    logs,
    market(bid: number, ask: number, symbol = 'IBM', size = 500): void {
      desk.quote(bid, ask, symbol, size);
      double.setQuote({ symbol, bid, ask, bidSize: size, askSize: size, time: desk.clock });
    },
  });
}
