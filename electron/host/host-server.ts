/**
 * The headless host: the engine worker plus the built renderer and a WebSocket bridge on
 * loopback. Every page request and every WebSocket connection must carry the host's token; a
 * WebSocket must also come from the host's own origin. Each connection is one window.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { Worker } from 'node:worker_threads';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineConfig } from '../../shared/engine-config';
import type { ServerMessage } from '../../shared/protocol';
import { EngineSupervisor, workerSpawner } from '../../shared/engine-supervisor';
import type { LogLevel } from '../../shared/worker-protocol';
import { RENDERER_CSP, withoutMetaCsp } from './content-security-policy';
import { Outbox, type OutboxLimits } from '../../shared/outbox';

export interface HostOptions {
  /** Interface to listen on; loopback unless the trader opts in. */
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  /** Folder of the built renderer (`out/renderer`). */
  readonly rendererDir: string;
  /** Built engine worker (`out/engine/worker.cjs`). */
  readonly workerPath: string;
  readonly engine: EngineConfig;
  /** Access token; random when absent. */
  readonly token?: string;
  readonly log: (level: LogLevel, message: string) => void;
  /** How much a window that stops reading may hold before it is disconnected (defaults suit a desktop). */
  readonly outbox?: Partial<OutboxLimits>;
}

export interface RunningHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly supervisor: EngineSupervisor;
  close(): Promise<void>;
}

/** Headers of everything the host serves. */
const PAGE_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

/** Largest message a window may send, bytes. */
const MAX_PAYLOAD = 64 * 1024;

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Starts the host; resolves once it listens. */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(18).toString('base64url');
  const sockets = new Map<string, { readonly ws: WebSocket; readonly outbox: Outbox }>();
  let nextClient = 0;

  const supervisor = new EngineSupervisor({
    spawn: workerSpawner(() => new Worker(options.workerPath, { workerData: options.engine })),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    now: Date.now,
    log: options.log,
    deliver: (clientId, message) => {
      const socket = sockets.get(clientId);
      if (socket && socket.ws.readyState === socket.ws.OPEN) socket.outbox.deliver(message);
    },
    onStateChange: (state, detail) => options.log(state === 'running' ? 'info' : 'warn', detail),
  });

  const serveStatic = sirv(options.rendererDir, {
    dev: false,
    etag: true,
    setHeaders: (res) => {
      for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
    },
  });
  const indexPath = join(options.rendererDir, 'index.html');
  // Pages need the token; the hashed scripts and styles they load are the public app bundle.
  const servePage = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (!tokensEqual(url.searchParams.get('token') ?? '', token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('Unauthorized: open the address the host printed; it carries the access token.\n');
      return;
    }
    if (url.pathname !== '/' && url.pathname !== '/index.html') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    readFile(indexPath, 'utf8').then(
      (html) => {
        res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : withoutMetaCsp(html));
      },
      () => {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not found');
      },
    );
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    if (url.pathname === '/' || url.pathname.endsWith('.html')) return servePage(req, res, url);
    serveStatic(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  let origin = '';

  const refuse = (socket: Duplex, status: number, reason: string): void => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/ws') return refuse(socket, 404, 'Not Found');
    if (!tokensEqual(url.searchParams.get('token') ?? '', token)) return refuse(socket, 401, 'Unauthorized');
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return refuse(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const clientId = `ws-${++nextClient}`;
      const channel = {
        get backlog(): number {
          return ws.bufferedAmount;
        },
        send: (message: ServerMessage) => ws.send(JSON.stringify(message)),
        terminate: () => ws.terminate(),
      };
      const outbox = new Outbox(channel, (reason) => options.log('warn', `Disconnected window ${clientId}: ${reason}; it will resubscribe and get snapshots`), options.outbox);
      sockets.set(clientId, { ws, outbox });
      supervisor.connect(clientId);
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let request: unknown;
        try {
          request = JSON.parse(data.toString());
        } catch {
          options.log('warn', `Dropped unreadable message from ${clientId}`);
          return;
        }
        supervisor.request(clientId, request);
      });
      ws.on('close', () => {
        outbox.dispose();
        sockets.delete(clientId);
        supervisor.disconnect(clientId);
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  origin = `http://${hostForUrl}:${port}`;
  supervisor.start();

  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    supervisor,
    close: async () => {
      for (const socket of sockets.values()) {
        socket.outbox.dispose();
        socket.ws.terminate();
      }
      wss.close();
      await supervisor.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
