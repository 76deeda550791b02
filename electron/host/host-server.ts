/**
 * The headless host: the engine worker plus the built renderer and a WebSocket bridge on
 * loopback. Every WebSocket connection must carry the host's token and come from the host's own
 * origin; each connection is one window.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Worker } from 'node:worker_threads';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineConfig } from '../../shared/engine-config';
import { EngineSupervisor, workerSpawner } from '../../shared/engine-supervisor';
import type { LogLevel } from '../../shared/worker-protocol';
import { RENDERER_CSP } from './content-security-policy';

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
}

export interface RunningHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly supervisor: EngineSupervisor;
  close(): Promise<void>;
}

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
  const sockets = new Map<string, WebSocket>();
  let nextClient = 0;

  const supervisor = new EngineSupervisor({
    spawn: workerSpawner(() => new Worker(options.workerPath, { workerData: options.engine })),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    now: Date.now,
    log: options.log,
    deliver: (clientId, message) => {
      const socket = sockets.get(clientId);
      if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    },
    onStateChange: (state, detail) => options.log(state === 'running' ? 'info' : 'warn', detail),
  });

  const serveStatic = sirv(options.rendererDir, {
    dev: false,
    etag: true,
    setHeaders: (res) => {
      res.setHeader('Content-Security-Policy', RENDERER_CSP);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
    },
  });
  const server: Server = createServer((req, res) => {
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
      sockets.set(clientId, ws);
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
      for (const socket of sockets.values()) socket.terminate();
      wss.close();
      await supervisor.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
