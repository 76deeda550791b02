/**
 * {@link WorkstationClient} over the headless host's WebSocket bridge (`/ws?token=…`). Reconnects
 * after a drop (1 s, then every 2 s); pending requests fail when the socket closes, and windows
 * resubscribe when it comes back.
 */
import type { ServerMessage, WindowParams, WorkstationClient } from '../../shared/protocol';
import { popupFeatures, windowUrl } from '../layouts/browser-desk';
import { TrackedClient } from './request-tracker';

export interface WebSocketClientOptions {
  /** Page URL of the host (its origin and token are used). */
  readonly pageUrl: URL;
}

export class WebSocketClient extends TrackedClient implements WorkstationClient {
  private socket: WebSocket | null = null;
  private closed = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: WebSocketClientOptions) {
    super((request) => {
      if (this.socket?.readyState !== WebSocket.OPEN) return false;
      this.socket.send(JSON.stringify(request));
      return true;
    });
    this.connect();
  }

  openWindow(params: WindowParams): void {
    window.open(windowUrl(params, this.options.pageUrl), '_blank', params.bounds ? popupFeatures(params.bounds) : 'noopener');
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.tracker.setConnected(false);
  }

  private connect(): void {
    const page = this.options.pageUrl;
    const url = new URL('/ws', page);
    url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', page.searchParams.get('token') ?? '');
    const socket = new WebSocket(url.href);
    this.socket = socket;
    socket.onopen = () => {
      this.retries = 0;
      this.tracker.setConnected(true);
    };
    socket.onmessage = (event: MessageEvent<string>) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      this.tracker.receive(message);
    };
    socket.onclose = () => {
      this.socket = null;
      this.tracker.setConnected(false);
      if (this.closed) return;
      this.retries++;
      this.retryTimer = setTimeout(() => this.connect(), this.retries === 1 ? 1_000 : 2_000);
    };
  }
}
