/**
 * One websocket connection to a market-data provider (Alpaca or Polygon): handshake, auth,
 * subscriptions, decoding, validation. It connects once per {@link ProviderStream.connect} call;
 * the {@link FeedManager} decides when to reconnect and which provider is live.
 *
 * Keepalive: a ws ping every `pingIntervalMs`; no pong within the next interval terminates the
 * socket (a dead TCP connection). A socket that stays open and answers pings but sends no data is
 * the FeedManager's to detect (it knows each symbol's usual rate).
 */
import WebSocket from 'ws';
import type { Symbol } from '../../../shared/domain';
import { FeedValidator, type FeedValidatorOptions } from './feed-validator';
import type { DropReason, MarketEvent, NormalizeResult } from './stream-events';

export type ProviderName = 'alpaca' | 'polygon';

/** Where a provider connection is. `failed`: it cannot work until the trader acts (keys, plan). */
export type ProviderState = 'idle' | 'connecting' | 'authenticating' | 'live' | 'disconnected' | 'failed';

/** Why a connection attempt ended; `terminal` failures are not retried. */
export class StreamFailure extends Error {
  constructor(
    message: string,
    readonly terminal: boolean,
  ) {
    super(message);
    this.name = 'StreamFailure';
  }
}

export interface ProviderStreamListener {
  /**
   * A validated event, with when its frame was received: `receivedAt` on the feed's clock (ms
   * since epoch, to compare with the exchange timestamp) and `receivedMono` (`performance.now()`, ms).
   */
  onEvent(event: MarketEvent, receivedAt: number, receivedMono: number): void;
  onState(state: ProviderState, detail: string | null): void;
  /**
   * Whether anyone subscribed to `symbol`; others are dropped as `unknown_symbol` by the
   * validator (used when the validator options give no `wants` of their own).
   */
  wants?(symbol: Symbol): boolean;
}

export interface ProviderStreamOptions {
  readonly validator: FeedValidatorOptions;
  /** Keepalive ping interval, ms (default 5 000). */
  readonly pingIntervalMs?: number;
  /** Handshake must complete within this, ms (default 10 000). */
  readonly handshakeTimeoutMs?: number;
}

export abstract class ProviderStream {
  abstract readonly name: ProviderName;
  /** Short description for the health window, e.g. "Alpaca sip". */
  abstract readonly label: string;
  readonly validator: FeedValidator;
  private socket: WebSocket | null = null;
  private stateValue: ProviderState = 'idle';
  private detailValue: string | null = null;
  /** Symbols wanted (subscribed once live). */
  protected wanted: readonly Symbol[] = [];
  /** Symbols over the provider's limit, not subscribed. */
  overLimit: readonly Symbol[] = [];
  messages = 0;
  /** Wall time of the last frame of any kind, ms since epoch. */
  lastFrameAt = 0;
  private pingTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;
  private settle: { resolve: () => void; reject: (e: StreamFailure) => void } | null = null;

  constructor(
    protected readonly listener: ProviderStreamListener,
    protected readonly options: ProviderStreamOptions,
  ) {
    this.validator = new FeedValidator(options.validator.wants || !listener.wants ? options.validator : { ...options.validator, wants: (symbol) => listener.wants?.(symbol) ?? true });
  }

  get state(): ProviderState {
    return this.stateValue;
  }

  get detail(): string | null {
    return this.detailValue;
  }

  /** Opens the socket and completes the handshake; resolves when live, rejects with a {@link StreamFailure}. */
  connect(): Promise<void> {
    this.drop();
    return new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.setState('connecting', null);
      const socket = new WebSocket(this.url(), { headers: this.headers(), handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000 });
      this.socket = socket;
      const handshakeTimer = setTimeout(() => this.fail(new StreamFailure(`${this.label}: no answer to the login within ${(this.options.handshakeTimeoutMs ?? 10_000) / 1000} s`, false)), this.options.handshakeTimeoutMs ?? 10_000);
      socket.on('open', () => {
        this.lastFrameAt = Date.now();
        this.startPing(socket);
      });
      socket.on('message', (data: WebSocket.RawData, binary: boolean) => {
        if (socket !== this.socket) return;
        this.lastFrameAt = Date.now();
        this.onFrame(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data), binary);
      });
      socket.on('pong', () => {
        this.awaitingPong = false;
      });
      socket.on('error', (error) => {
        if (socket === this.socket) this.fail(new StreamFailure(`${this.label}: ${error.message}`, false));
      });
      socket.on('close', (code, reason) => {
        clearTimeout(handshakeTimer);
        if (socket !== this.socket) return;
        this.stopPing();
        this.socket = null;
        const text = reason.toString() || `socket closed (${code})`;
        if (this.settle) this.fail(new StreamFailure(`${this.label}: ${text}`, false));
        else if (this.stateValue !== 'failed') this.setState('disconnected', `${this.label}: ${text}`);
      });
      this.onLive = () => clearTimeout(handshakeTimer);
    });
  }

  private onLive: () => void = () => undefined;

  /** Closes the connection (no reconnect from here). */
  close(): void {
    this.drop();
    this.setState('idle', null);
  }

  /** Closes the socket at once, as a dead connection would (the manager reconnects). */
  recycle(reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.setState('disconnected', reason);
    this.socket = null;
    this.stopPing();
    socket.terminate();
  }

  /** Symbols to stream, most important first (the provider's symbol limit keeps the first ones). */
  setSymbols(symbols: readonly Symbol[]): void {
    const limit = this.symbolLimit();
    const next = symbols.slice(0, limit);
    this.overLimit = symbols.slice(limit);
    const previous = this.wanted;
    this.wanted = next;
    if (this.stateValue !== 'live') return;
    const add = next.filter((s) => !previous.includes(s));
    const remove = previous.filter((s) => !next.includes(s));
    if (remove.length) this.send(this.unsubscribeMessage(remove));
    if (add.length) this.send(this.subscribeMessage(add));
  }

  /** Symbols subscribed (or to be, once live): the wanted ones within the plan's limit. */
  get symbols(): readonly Symbol[] {
    return this.wanted;
  }

  /** Symbol limit of the plan (Alpaca IEX: 30). */
  protected symbolLimit(): number {
    return Infinity;
  }

  protected abstract url(): string;
  protected headers(): Record<string, string> {
    return {};
  }
  /** The messages of a frame, or null when it does not decode. */
  protected abstract decode(data: Buffer, binary: boolean): unknown[] | null;
  /** One message: a control message (handled via {@link onControl}) or a normalized event. */
  protected abstract parse(message: unknown): NormalizeResult | { readonly ok: 'control'; readonly control: unknown };
  protected abstract onControl(control: unknown): void;

  /** Decodes a frame, hands each event on (validated) and each control message to {@link onControl}. */
  private onFrame(data: Buffer, binary: boolean): void {
    const arrival = this.arrival();
    const messages = this.decode(data, binary);
    if (messages === null) {
      this.countDrop('unparseable');
      return;
    }
    for (const message of messages) {
      const parsed = this.parse(message);
      if (parsed.ok === 'control') this.onControl(parsed.control);
      else this.deliver(parsed, arrival);
    }
  }
  protected abstract subscribeMessage(symbols: readonly Symbol[]): unknown;
  protected abstract unsubscribeMessage(symbols: readonly Symbol[]): unknown;
  /** Encodes a client message for the wire. */
  protected encode(message: unknown): string | Buffer {
    return JSON.stringify(message);
  }

  protected send(message: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(this.encode(message));
  }

  /** The handshake is done and subscriptions are sent: the connection is live. */
  protected becomeLive(): void {
    this.onLive();
    if (this.wanted.length) this.send(this.subscribeMessage(this.wanted));
    this.setState('live', null);
    const settle = this.settle;
    this.settle = null;
    settle?.resolve();
  }

  /** Ends the attempt (or the live connection) with `failure`. */
  protected fail(failure: StreamFailure): void {
    const settle = this.settle;
    this.settle = null;
    this.drop();
    this.setState(failure.terminal ? 'failed' : 'disconnected', failure.message);
    settle?.reject(failure);
  }

  protected setStateDetail(detail: string | null): void {
    this.detailValue = detail;
    this.listener.onState(this.stateValue, detail);
  }

  protected setState(state: ProviderState, detail: string | null): void {
    if (state === this.stateValue && detail === this.detailValue) return;
    this.stateValue = state;
    this.detailValue = detail;
    this.listener.onState(state, detail);
  }

  /** The feed's clock (ms since epoch) and `performance.now()` at the arrival of a frame. */
  private arrival(): { readonly at: number; readonly mono: number } {
    return { at: this.options.validator.now(), mono: performance.now() };
  }

  /** Validates a normalized message and hands it on. */
  private deliver(result: NormalizeResult, arrival: { readonly at: number; readonly mono: number }): void {
    if (!result.ok) {
      this.validator.count(result.reason);
      return;
    }
    if (this.validator.check(result.event) === null) {
      this.messages++;
      this.listener.onEvent(result.event, arrival.at, arrival.mono);
    }
  }

  private countDrop(reason: DropReason): void {
    this.validator.count(reason);
  }

  private startPing(socket: WebSocket): void {
    this.stopPing();
    this.awaitingPong = false;
    this.pingTimer = setInterval(() => {
      if (this.awaitingPong) {
        this.recycle(`${this.label}: no answer to a keepalive ping: connection lost`);
        return;
      }
      this.awaitingPong = true;
      try {
        socket.ping();
      } catch {
        // closing: the close handler reports it
      }
    }, this.options.pingIntervalMs ?? 5_000);
    this.pingTimer.unref?.();
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private drop(): void {
    this.stopPing();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners('message');
      socket.on('error', () => undefined);
      socket.terminate();
    }
  }
}
