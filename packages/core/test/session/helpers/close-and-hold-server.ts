import { createHash } from 'node:crypto';
import net from 'node:net';

/**
 * A raw `node:net` server that completes the opening handshake (RFC 6455 §4.2.2), at once sends a
 * Close frame (1000) and then keeps TCP open without ever closing it: the closing window of
 * RFC 6455 §7.1.3, where the client waits up to its close timeout for the server to end TCP.
 */
export class CloseAndHoldServer {
  readonly sockets = new Set<net.Socket>();
  /** Bytes each connection received after its handshake (the client's frames, masked). */
  readonly frames: Buffer[] = [];
  readonly #server: net.Server;

  private constructor(server: net.Server) {
    this.#server = server;
    server.on('connection', (socket) => this.#accept(socket));
  }

  static async start(): Promise<CloseAndHoldServer> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new CloseAndHoldServer(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#server.address() as net.AddressInfo).port}/`;
  }

  /** First bytes of each client frame after the handshake: 0x88 is the client's Close. */
  get receivedClose(): boolean {
    return this.frames.some((chunk) => chunk.includes(0x88));
  }

  /** Ends TCP on every connection (the server finally finishes the closing handshake). */
  endAll(): void {
    for (const socket of this.sockets) socket.end();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    let head = Buffer.alloc(0);
    let open = false;
    socket.on('data', (chunk: Buffer) => {
      if (open) return void this.frames.push(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      open = true;
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head.subarray(0, end).toString('latin1'))?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      // Close, FIN, unmasked, 2-byte body: status 1000 (RFC 6455 §5.5.1).
      socket.write(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
    });
  }
}
