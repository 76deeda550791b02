/** A WebSocket window for host tests: sends requests, collects events, waits for conditions. */
import WebSocket from 'ws';
import type { EngineEvent, Reply, ServerMessage } from '../../shared/protocol';

export interface WsSession {
  readonly socket: WebSocket;
  readonly events: EngineEvent[];
  request(command: unknown): Promise<Reply>;
  sendRaw(data: string): void;
  waitFor<T extends EngineEvent>(predicate: (e: EngineEvent) => e is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (e: EngineEvent) => boolean, timeoutMs?: number): Promise<EngineEvent>;
  close(): void;
}

/** Opens `/ws?token=…` on the host; rejects with the HTTP status when the upgrade is refused. */
export function openWsSession(baseUrl: string, token: string, headers: Record<string, string> = {}): Promise<WsSession> {
  const url = new URL('/ws', baseUrl);
  url.protocol = 'ws:';
  url.searchParams.set('token', token);
  const socket = new WebSocket(url.href, { headers });
  const events: EngineEvent[] = [];
  const replies = new Map<number, (r: Reply) => void>();
  const waiters = new Set<() => void>();
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.type === 'reply') replies.get(message.id)?.(message);
    else events.push(...message.events);
    for (const w of waiters) w();
  });
  const session: WsSession = {
    socket,
    events,
    request(command) {
      const id = nextId++;
      return new Promise((resolve) => {
        replies.set(id, resolve);
        socket.send(JSON.stringify({ id, command }));
      });
    },
    sendRaw: (data) => socket.send(data),
    waitFor(predicate: (e: EngineEvent) => boolean, timeoutMs = 20_000): Promise<never> {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = events.find(predicate);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found as never);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('timed out waiting for an event'));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(session));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}
