/**
 * The one contract between windows and the engine: commands (window → engine), replies and
 * events (engine → window). Both transports (Electron IPC, WebSocket) carry exactly these
 * messages. Commands are validated with {@link parseClientMessage} where they enter the engine.
 */
import type {
  Account,
  Alert,
  Bar,
  BarIndicators,
  FeedHealth,
  Print,
  PrintSide,
  BrokerHealth,
  RecordingHealth,
  EngineHealth,
  WindowHealth,
  Fill,
  Order,
  OrderRequest,
  OrderSide,
  Position,
  RiskStateKind,
  RiskStatus,
  Settings,
  Symbol,
  Ticker,
  Timeframe,
  Trade,
} from './domain';
import type { Layout, Rect } from './layouts';

/** Topics a window can subscribe to. The engine sends a snapshot on subscribe, then updates. */
export type Topic =
  | `quotes:${Symbol}`
  | `trades:${Symbol}`
  | `bars:${Symbol}:${Timeframe}`
  | 'orders'
  | 'positions'
  | 'health'
  | 'settings'
  | 'links'
  | 'symbols'
  | 'alerts'
  | 'risk'
  | 'layouts';

/**
 * Prices an order ticket takes from an alert's trade suggestion: a limit entry with a bracket
 * (take-profit at `target`, stop-loss at `stop`), sized from the ticket's risk per trade. USD.
 */
export interface TicketPrefill {
  readonly side: OrderSide;
  readonly entry: number;
  readonly stop: number;
  readonly target: number;
  /** The alert it came from. */
  readonly alertId: string;
}

/** Link group of a window; a symbol picked in one window loads in every window of its group. */
export type LinkGroup = string;

/**
 * Link group colours a window can take (eight), plus `none`: a window in `none` follows only
 * the symbols picked in itself.
 */
export const LINK_COLORS = ['red', 'orange', 'yellow', 'green', 'cyan', 'blue', 'purple', 'pink'] as const;
export type LinkColor = (typeof LINK_COLORS)[number] | 'none';
export const DEFAULT_LINK_COLOR: LinkColor = 'blue';

export type Command =
  | { readonly type: 'subscribe'; readonly topics: readonly Topic[] }
  | { readonly type: 'unsubscribe'; readonly topics: readonly Topic[] }
  | { readonly type: 'placeOrder'; readonly order: OrderRequest }
  | { readonly type: 'cancelOrder'; readonly orderId: string }
  | { readonly type: 'replaceOrder'; readonly orderId: string; readonly quantity?: number; readonly limitPrice?: number; readonly stopPrice?: number }
  /** Cancels every working order, or only those of `symbol`. */
  | { readonly type: 'cancelAll'; readonly symbol?: Symbol }
  | { readonly type: 'getSettings' }
  | { readonly type: 'updateSettings'; readonly settings: SettingsPatch }
  /** Loads `symbol` in every window of `group`; with `prefill`, the group's order tickets take its prices (from an alert). */
  | { readonly type: 'linkSymbol'; readonly group: LinkGroup; readonly symbol: Symbol; readonly prefill?: TicketPrefill }
  | { readonly type: 'flattenAll' }
  | { readonly type: 'killSwitch' }
  | { readonly type: 'setRiskState'; readonly state: RiskStateKind; readonly reason?: string }
  /** A window's own drawing figures, for the health gauges (sent every 2 s). */
  | { readonly type: 'reportWindowHealth'; readonly kind: WindowKind; readonly fps: number; readonly longestFrameMs: number; readonly visible: boolean }
  /** Marks alerts as seen (every unacknowledged alert when `ids` is absent). */
  | { readonly type: 'acknowledgeAlerts'; readonly ids?: readonly string[] }
  /** Locks the risk settings until the app restarts: later changes to `risk` are refused. */
  | { readonly type: 'lockRiskSettings' }
  /** Saves (or overwrites, by name ignoring case) a window layout. */
  | { readonly type: 'saveLayout'; readonly layout: Layout }
  | { readonly type: 'deleteLayout'; readonly name: string }
  | { readonly type: 'renameLayout'; readonly from: string; readonly to: string };

/** A partial settings object; nested groups may be given in part. */
export interface SettingsPatch {
  readonly watchlist?: readonly Symbol[];
  readonly charts?: Partial<Settings['charts']>;
  readonly screeners?: Settings['screeners'];
  readonly anomaly?: Partial<Settings['anomaly']>;
  readonly risk?: Partial<Settings['risk']>;
  readonly paper?: Partial<Settings['paper']>;
  readonly broker?: Partial<Settings['broker']>;
  readonly recording?: Partial<Settings['recording']>;
  /** Replaces the whole hotkey set. */
  readonly hotkeys?: Settings['hotkeys'];
  readonly ticket?: Partial<Settings['ticket']>;
  readonly notifications?: Partial<Settings['notifications']>;
  readonly appearance?: Partial<Settings['appearance']>;
  /** Gauges given replace that gauge's limits whole. */
  readonly healthThresholds?: Partial<Settings['healthThresholds']>;
  readonly logging?: Partial<Settings['logging']>;
}

export type CommandType = Command['type'];
export type CommandOf<K extends CommandType> = Extract<Command, { readonly type: K }>;

/** What each command's `ok` reply carries. */
export interface CommandResults {
  subscribe: { readonly topics: readonly Topic[] };
  unsubscribe: { readonly topics: readonly Topic[] };
  placeOrder: { readonly order: Order };
  cancelOrder: { readonly order: Order };
  replaceOrder: { readonly order: Order };
  cancelAll: { readonly canceled: number };
  getSettings: { readonly settings: Settings };
  updateSettings: { readonly settings: Settings };
  linkSymbol: { readonly group: LinkGroup; readonly symbol: Symbol };
  /** `waiting`: symbols whose closing order goes out once their canceled orders have ended (a remote broker confirms cancels later). */
  flattenAll: { readonly orders: readonly Order[]; readonly failures: readonly string[]; readonly waiting: readonly Symbol[] };
  /** Orders canceled, flattening orders sent (and why any could not be), and the risk status (HALTED). */
  killSwitch: { readonly canceled: number; readonly orders: readonly Order[]; readonly failures: readonly string[]; readonly waiting: readonly Symbol[]; readonly risk: RiskStatus };
  setRiskState: { readonly risk: RiskStatus };
  lockRiskSettings: { readonly risk: RiskStatus };
  acknowledgeAlerts: { readonly acknowledged: number };
  reportWindowHealth: Record<string, never>;
  saveLayout: { readonly layouts: readonly Layout[] };
  deleteLayout: { readonly layouts: readonly Layout[] };
  renameLayout: { readonly layouts: readonly Layout[] };
}
export type CommandResult<K extends CommandType> = CommandResults[K];

/** Machine-readable error codes of a failed command. */
export type ErrorCode =
  | 'invalid_command'
  | 'order_rejected'
  | 'not_found'
  | 'not_cancelable'
  | 'invalid_settings'
  | 'engine_unavailable'
  | 'internal';

/** A failed command: `message` is written for the trader; `field` names the bad input. */
export interface CommandError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string;
}

/** Window → engine: one request. `id` is unique per window connection. */
export interface ClientRequest {
  readonly id: number;
  readonly command: Command;
}

/** Engine → window: exactly one reply per request. */
export type Reply =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: CommandError };

export interface BarWithIndicators {
  readonly bar: Bar;
  readonly indicators: BarIndicators;
}

/** Engine → window events. Order, fill and alert events are never coalesced or dropped. */
export type EngineEvent =
  | { readonly type: 'ticker'; readonly ticker: Ticker }
  /** A print (topic `trades:SYM`), with where it traded against the NBBO. */
  | { readonly type: 'trade'; readonly trade: Trade; readonly side: PrintSide }
  /** Snapshot of `trades:SYM`: the latest prints, oldest first (at most 500). */
  | { readonly type: 'prints'; readonly symbol: Symbol; readonly prints: readonly Print[] }
  | { readonly type: 'bar'; readonly bar: Bar; readonly indicators: BarIndicators }
  | { readonly type: 'barHistory'; readonly symbol: Symbol; readonly timeframe: Timeframe; readonly bars: readonly BarWithIndicators[] }
  | { readonly type: 'order'; readonly order: Order }
  | { readonly type: 'fill'; readonly fill: Fill }
  | { readonly type: 'orderBook'; readonly orders: readonly Order[]; readonly fills: readonly Fill[] }
  | { readonly type: 'position'; readonly position: Position }
  | { readonly type: 'positions'; readonly positions: readonly Position[]; readonly account: Account }
  | { readonly type: 'account'; readonly account: Account }
  | {
      readonly type: 'health';
      readonly feed: FeedHealth;
      readonly broker: BrokerHealth;
      readonly recording?: RecordingHealth;
      readonly engine?: EngineHealth;
      /** Every open window's drawing figures. */
      readonly windows?: readonly WindowHealth[];
    }
  | { readonly type: 'settings'; readonly settings: Settings }
  /** `snapshot` marks the current link sent on subscribe, as opposed to a new pick. */
  | { readonly type: 'link'; readonly group: LinkGroup; readonly symbol: Symbol; readonly snapshot: boolean; readonly prefill?: TicketPrefill }
  | { readonly type: 'symbols'; readonly symbols: readonly Symbol[] }
  | { readonly type: 'alert'; readonly alert: Alert }
  | { readonly type: 'alertHistory'; readonly alerts: readonly Alert[] }
  | { readonly type: 'alertsAcknowledged'; readonly ids: readonly string[]; readonly at: number }
  | { readonly type: 'risk'; readonly risk: RiskStatus }
  /** Saved window layouts (topic `layouts`), all arrangements. */
  | { readonly type: 'layouts'; readonly layouts: readonly Layout[] };

export type EngineEventType = EngineEvent['type'];

/** Everything the engine sends a window: replies and batches of events. */
export type ServerMessage = Reply | { readonly type: 'events'; readonly events: readonly EngineEvent[] };

/** Window kinds; each opens the same renderer with `window=<kind>` in its URL. */
export const WINDOW_KINDS = ['launcher', 'watchlist', 'chart', 'ticket', 'orders', 'fills', 'positions', 'alerts', 'health', 'time-and-sales', 'settings'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/** Title of each window kind, as the trader sees it. */
export const WINDOW_TITLES: Readonly<Record<WindowKind, string>> = {
  launcher: 'Trading Workstation',
  watchlist: 'Watchlist',
  chart: 'Chart',
  ticket: 'Order Ticket',
  orders: 'Orders',
  fills: 'Fills',
  positions: 'Positions & Account',
  alerts: 'Alerts',
  health: 'System Health',
  'time-and-sales': 'Time & Sales',
  settings: 'Settings',
};

/** Parameters a window opens with. */
export interface WindowParams {
  readonly kind: WindowKind;
  readonly symbol?: Symbol;
  readonly group?: LinkGroup;
  /** Chart timeframe, for chart windows. */
  readonly timeframe?: Timeframe;
  /** Where to open it, DIP px in screen coordinates (a restored layout); otherwise the default place. */
  readonly bounds?: Rect;
}

/** The error a failed request rejects with, on the window side. */
export class WorkstationRequestError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(error: CommandError) {
    super(error.message);
    this.name = 'WorkstationRequestError';
    this.code = error.code;
    this.field = error.field;
  }
}

/** A function that undoes a subscription or releases a resource. */
export type Dispose = () => void;

/**
 * What a renderer window talks to. Implemented over Electron IPC and over WebSocket; windows
 * never know which.
 */
export interface WorkstationClient {
  /**
   * Sends a command and resolves with its result.
   * @throws {WorkstationRequestError} when the engine answers with an error, or is unavailable.
   */
  request<K extends CommandType>(command: CommandOf<K>): Promise<CommandResult<K>>;
  /** Calls `listener` with every batch of events the engine sends this window; returns its dispose. */
  onEvents(listener: (events: readonly EngineEvent[]) => void): Dispose;
  /** Calls `listener` when the connection to the engine comes up or goes down. */
  onConnectionChange(listener: (connected: boolean) => void): Dispose;
  /** Opens another window of the workstation. */
  openWindow(params: WindowParams): void;
  /** Closes the connection; pending requests reject. */
  close(): void;
}
