import { WebSocketServer, type WebSocket } from 'ws';

/** A `ws` server on 127.0.0.1 that records every text message it receives, in arrival order. */
export class RecordingServer {
  readonly received: string[] = [];
  readonly clients = new Set<WebSocket>();
  connections = 0;
  #wss: WebSocketServer;
  readonly #port: number;

  private constructor(wss: WebSocketServer) {
    this.#wss = wss;
    const address = wss.address();
    this.#port = typeof address === 'object' && address !== null ? address.port : 0;
    this.#attach();
  }

  static async start(port = 0, options: { onConnection?: (ws: WebSocket) => void } = {}): Promise<RecordingServer> {
    const server = new RecordingServer(await listen(port));
    server.onConnection = options.onConnection;
    return server;
  }

  onConnection: ((ws: WebSocket) => void) | undefined;

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/`;
  }

  /** Stops listening and drops every client (1006 on their side). */
  async stop(): Promise<void> {
    for (const client of this.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  /** Listens again on the same port (a server restart). */
  async restart(): Promise<void> {
    this.#wss = await listen(this.port);
    this.#attach();
  }

  #attach(): void {
    this.#wss.on('connection', (ws) => {
      this.connections++;
      this.clients.add(ws);
      ws.on('close', () => this.clients.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (!isBinary) this.received.push(data.toString());
      });
      this.onConnection?.(ws);
    });
  }
}

function listen(port: number): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ port, host: '127.0.0.1' });
    wss.once('listening', () => resolve(wss));
    wss.once('error', reject);
  });
}

/**
 * Polls `condition` every few ms until it holds; fails after `limit` ms (a hang guard, not a timing
 * assertion). The 2 ms is the polling period: the condition is what the caller knows.
 */
export async function until(condition: () => boolean, limit = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limit) throw new Error(`condition not reached within ${limit} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
