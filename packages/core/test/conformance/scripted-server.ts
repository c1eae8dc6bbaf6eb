import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ClientFrameReader, type RecordedFrame } from './client-frame-reader.js';
import { acceptResponse, parseUpgradeRequest, type AcceptResponseOptions, type UpgradeRequest } from './upgrade-request.js';

/**
 * A WebSocket server made of a raw `node:net` socket and a script: it answers the client's
 * upgrade request with whatever the test chooses (a correct 101 by default), writes the raw
 * bytes the test gives it (each chunk a separate TCP write), and records every frame the client
 * sends and when the client ends TCP. It never reacts on its own: no Pong, no Close echo.
 */

/** What the server does with the upgrade request: answer options, or raw bytes (chunks are separate writes), or null (never answer). */
export type HandshakeScript = AcceptResponseOptions | ((request: UpgradeRequest) => Buffer | readonly Buffer[] | null);

export type TimelineEntry =
  | { readonly type: 'frame'; readonly frame: RecordedFrame }
  | { readonly type: 'client-end' }
  | { readonly type: 'server-end' }
  | { readonly type: 'closed'; readonly error: string | null };

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(() => setImmediate(resolve), 1));

export class ScriptedConnection {
  readonly request: UpgradeRequest;
  /** Every frame the client sent after its upgrade request, unmasked, in order. */
  readonly frames: RecordedFrame[] = [];
  /** Frames, the client's FIN, the server's FIN and the socket's end, in the order they happened. */
  readonly timeline: TimelineEntry[] = [];
  /** Resolves when the client ends its side of TCP (FIN) or the socket closes. */
  readonly clientEnded: Promise<void>;
  /** Resolves when the socket is fully closed. */
  readonly closed: Promise<void>;
  private readonly reader = new ClientFrameReader();
  private waiters: Array<{ test: (frame: RecordedFrame) => boolean; resolve: (frame: RecordedFrame) => void; from: number }> = [];
  private consumed = 0;

  constructor(
    readonly socket: Socket,
    request: UpgradeRequest,
    rest: Buffer,
  ) {
    this.request = request;
    let endClient = (): void => {};
    this.clientEnded = new Promise((resolve) => (endClient = resolve));
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        resolve();
        endClient();
      });
    });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => {
      this.timeline.push({ type: 'client-end' });
      endClient();
      // The client finished; the server finishes too (as ws and every server would).
      this.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.timeline.push({ type: 'closed', error: error.code ?? error.message }));
    if (rest.length > 0) this.receive(rest);
  }

  /** Writes each chunk as its own TCP write, letting the client read between them. */
  async write(...chunks: ReadonlyArray<Buffer | readonly Buffer[]>): Promise<void> {
    for (const chunk of chunks.flat()) {
      if (this.socket.destroyed || this.socket.writableEnded) return;
      await new Promise<void>((resolve) => this.socket.write(chunk, () => resolve()));
      await settle();
    }
  }

  /** Writes all chunks as one TCP write. */
  async writeTogether(...chunks: ReadonlyArray<Buffer | readonly Buffer[]>): Promise<void> {
    await this.write(Buffer.concat(chunks.flat()));
  }

  /** The next frame (after those already taken with nextFrame) that passes `test`. */
  nextFrame(test: (frame: RecordedFrame) => boolean = () => true): Promise<RecordedFrame> {
    for (let i = this.consumed; i < this.frames.length; i++) {
      const frame = this.frames[i];
      if (frame !== undefined && test(frame)) {
        this.consumed = i + 1;
        return Promise.resolve(frame);
      }
    }
    return new Promise((resolve) => this.waiters.push({ test, resolve, from: this.frames.length }));
  }

  /** The server ends its side of TCP (FIN), as a server does after the closing handshake (§7.1.1). */
  end(): void {
    if (this.socket.writableEnded || this.socket.destroyed) return;
    this.timeline.push({ type: 'server-end' });
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Whether the client's FIN came before the server's. */
  clientEndedFirst(): boolean {
    const client = this.timeline.findIndex((e) => e.type === 'client-end');
    const server = this.timeline.findIndex((e) => e.type === 'server-end');
    return client >= 0 && (server < 0 || client < server);
  }

  private receive(chunk: Buffer): void {
    for (const frame of this.reader.push(chunk)) {
      this.frames.push(frame);
      this.timeline.push({ type: 'frame', frame });
      const index = this.frames.length - 1;
      const waiter = this.waiters.find((w) => w.from <= index && w.test(frame));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        this.consumed = index + 1;
        waiter.resolve(frame);
      }
    }
  }
}

export interface ScriptedServer {
  /** ws://127.0.0.1:PORT/ */
  readonly url: string;
  readonly port: number;
  /** The next connection whose upgrade request arrived and was answered. */
  connection(): Promise<ScriptedConnection>;
  /** Stops listening and destroys every socket. */
  close(): Promise<void>;
}

export async function startScriptedServer(handshake: HandshakeScript = {}): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const ready: ScriptedConnection[] = [];
  const waiting: Array<(connection: ScriptedConnection) => void> = [];
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const parsed = parseUpgradeRequest(head);
      if (parsed === null) return;
      socket.off('data', onData);
      const response = typeof handshake === 'function' ? handshake(parsed.request) : acceptResponse(parsed.request, handshake);
      const connection = new ScriptedConnection(socket, parsed.request, parsed.rest);
      const deliver = (): void => {
        const next = waiting.shift();
        if (next) next(connection);
        else ready.push(connection);
      };
      if (response === null) return deliver();
      const chunks = Buffer.isBuffer(response) ? [response] : (response as readonly Buffer[]);
      void connection.write(...chunks).then(deliver);
    };
    socket.on('data', onData);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/`,
    port,
    connection: () => {
      const first = ready.shift();
      return first ? Promise.resolve(first) : new Promise((resolve) => waiting.push(resolve));
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
