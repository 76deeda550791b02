/**
 * Polygon (Massive) stocks websocket connection (`wss://socket.polygon.io/stocks`, or
 * `POLYGON_WS_URL`): auth with the API key, then `T.`, `Q.` and `AM.` channels per symbol.
 * `auth_failed` ends the attempts until the key is fixed; "Maximum number of connections
 * exceeded" (another app uses the key) is retried with backoff and reported.
 */
import type { Symbol } from '../../../shared/domain';
import { decodePolygonFrame, parsePolygonMessage, type PolygonControl, type PolygonParsed } from './polygon-messages';
import { ProviderStream, StreamFailure, type ProviderStreamListener, type ProviderStreamOptions } from './provider-stream';

export interface PolygonStreamConfig {
  readonly apiKey: string;
  /** Base URL, e.g. `wss://socket.polygon.io` (`POLYGON_WS_URL`); the path `/stocks` is added. */
  readonly baseUrl: string;
}

const channels = (symbols: readonly Symbol[]): string => symbols.flatMap((s) => [`T.${s}`, `Q.${s}`, `AM.${s}`]).join(',');

export class PolygonStream extends ProviderStream {
  readonly name = 'polygon' as const;
  readonly label = 'Polygon';

  constructor(
    private readonly config: PolygonStreamConfig,
    listener: ProviderStreamListener,
    options: ProviderStreamOptions,
  ) {
    super(listener, options);
  }

  protected url(): string {
    const base = this.config.baseUrl.replace(/\/+$/, '');
    return base.endsWith('/stocks') ? base : `${base}/stocks`;
  }

  protected subscribeMessage(symbols: readonly Symbol[]): unknown {
    return { action: 'subscribe', params: channels(symbols) };
  }

  protected unsubscribeMessage(symbols: readonly Symbol[]): unknown {
    return { action: 'unsubscribe', params: channels(symbols) };
  }

  protected decode(data: Buffer): unknown[] | null {
    return decodePolygonFrame(data);
  }

  protected parse(message: unknown): PolygonParsed {
    return parsePolygonMessage(message);
  }

  protected onControl(control: PolygonControl): void {
    switch (control.kind) {
      case 'connected':
        this.setState('authenticating', null);
        this.send({ action: 'auth', params: this.config.apiKey });
        break;
      case 'authenticated':
        this.becomeLive();
        break;
      case 'auth_failed':
        this.fail(new StreamFailure(`Polygon refused the API key (${control.message}): check POLYGON_API_KEY or Settings → Keys`, true));
        break;
      case 'max_connections':
        this.fail(new StreamFailure(`Polygon: ${control.message}: another app or window uses this API key; close it`, false));
        break;
      case 'error':
        this.setStateDetail(`Polygon: ${control.message}`);
        break;
      case 'subscribed':
        break;
    }
  }
}
