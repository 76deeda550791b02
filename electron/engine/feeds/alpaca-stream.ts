/**
 * Alpaca market-data stream v2 connection (`wss://stream.data.alpaca.markets/v2/{feed}`, or
 * `APCA_API_STREAM_URL` for a local double): auth with the key pair, trades + quotes + minute
 * bars + updated bars + statuses + LULD per symbol, JSON or msgpack framing. Errors are reported
 * with what to do ({@link ALPACA_STREAM_ERRORS}); 401/402/404/408/409 end the attempts until the
 * trader fixes keys or plan. IEX allows 30 symbols (trades + quotes): the first 30 are streamed,
 * the rest reported as over the limit.
 */
import { encode } from '@msgpack/msgpack';
import type { Symbol } from '../../../shared/domain';
import { ALPACA_STREAM_ERRORS, ALPACA_TERMINAL_CODES, decodeAlpacaFrame, parseAlpacaMessage, type AlpacaControl, type AlpacaParsed } from './alpaca-messages';
import { ProviderStream, StreamFailure, type ProviderStreamListener, type ProviderStreamOptions } from './provider-stream';

export type AlpacaDataFeed = 'iex' | 'sip' | 'delayed_sip' | 'test';

export interface AlpacaStreamConfig {
  readonly keyId: string;
  readonly secretKey: string;
  /** Stream base, e.g. `wss://stream.data.alpaca.markets` (`APCA_API_STREAM_URL`). */
  readonly baseUrl: string;
  readonly feed: AlpacaDataFeed;
  /** msgpack framing (smaller, faster to decode) instead of JSON. */
  readonly msgpack?: boolean;
}

/** Alpaca's symbol limit for trades and quotes per feed (realtime.md "Subscription Plans"). */
export const ALPACA_SYMBOL_LIMITS: Readonly<Record<AlpacaDataFeed, number>> = { iex: 30, sip: Infinity, delayed_sip: Infinity, test: Infinity };

export class AlpacaStream extends ProviderStream {
  readonly name = 'alpaca' as const;
  readonly label: string;

  constructor(
    private readonly config: AlpacaStreamConfig,
    listener: ProviderStreamListener,
    options: ProviderStreamOptions,
  ) {
    super(listener, options);
    this.label = `Alpaca ${config.feed}`;
  }

  protected url(): string {
    return `${this.config.baseUrl.replace(/\/+$/, '')}/v2/${this.config.feed}`;
  }

  protected override headers(): Record<string, string> {
    return this.config.msgpack ? { 'Content-Type': 'application/msgpack' } : {};
  }

  protected override symbolLimit(): number {
    return ALPACA_SYMBOL_LIMITS[this.config.feed];
  }

  protected override encode(message: unknown): string | Buffer {
    return this.config.msgpack ? Buffer.from(encode(message)) : JSON.stringify(message);
  }

  protected subscribeMessage(symbols: readonly Symbol[]): unknown {
    return { action: 'subscribe', trades: symbols, quotes: symbols, bars: symbols, updatedBars: symbols, statuses: symbols, lulds: symbols };
  }

  protected unsubscribeMessage(symbols: readonly Symbol[]): unknown {
    return { action: 'unsubscribe', trades: symbols, quotes: symbols, bars: symbols, updatedBars: symbols, statuses: symbols, lulds: symbols };
  }

  protected decode(data: Buffer, binary: boolean): unknown[] | null {
    return decodeAlpacaFrame(data, binary);
  }

  protected parse(message: unknown): AlpacaParsed {
    return parseAlpacaMessage(message);
  }

  protected onControl(control: AlpacaControl): void {
    switch (control.kind) {
      case 'connected':
        this.setState('authenticating', null);
        this.send({ action: 'auth', key: this.config.keyId, secret: this.config.secretKey });
        break;
      case 'authenticated':
        this.becomeLive();
        break;
      case 'subscription':
        break; // the full set Alpaca confirms; what is wanted is resent after each reconnect
      case 'error': {
        const advice = ALPACA_STREAM_ERRORS[control.code] ?? control.message;
        const text = `${this.label}: ${control.code} ${advice}`;
        if (control.code === 405) {
          // Subscriptions are unchanged: keep streaming what is subscribed, tell the trader.
          this.setStateDetail(text);
        } else if (ALPACA_TERMINAL_CODES.has(control.code) || control.code === 406 || this.state !== 'live') {
          this.fail(new StreamFailure(text, ALPACA_TERMINAL_CODES.has(control.code)));
        } else {
          this.setStateDetail(text);
        }
        break;
      }
    }
  }
}
