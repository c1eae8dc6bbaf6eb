import net from 'node:net';

interface Pair {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
  blackHoled: boolean;
}

/**
 * A TCP proxy between a client and a server on 127.0.0.1, for chaos tests: it can cut every
 * connection, black-hole the current ones (stop forwarding but keep them open), delay every
 * chunk, and refuse new connections.
 */
export class TcpProxy {
  readonly #server: net.Server;
  readonly #pairs = new Set<Pair>();
  #targetPort: number;
  #refusing = false;
  /** Milliseconds added to every chunk, both directions (order preserved). */
  delay = 0;
  /** How many connections were accepted (refused ones not counted), and when. */
  readonly accepted: number[] = [];

  private constructor(server: net.Server, targetPort: number) {
    this.#server = server;
    this.#targetPort = targetPort;
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = net.createServer();
    const proxy = new TcpProxy(server, targetPort);
    server.on('connection', (socket) => proxy.#accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/`;
  }

  /** Connections currently open through the proxy. */
  get open(): number {
    return this.#pairs.size;
  }

  set targetPort(port: number) {
    this.#targetPort = port;
  }

  /** New connections are closed at once (while true). */
  refuse(on: boolean): void {
    this.#refusing = on;
  }

  /** Destroys every current connection, both sides (the client sees its TCP connection end). */
  cut(): void {
    for (const pair of this.#pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.#pairs.clear();
  }

  /** The current connections stay open but nothing is forwarded any more, either way. */
  blackHole(): void {
    for (const pair of this.#pairs) pair.blackHoled = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: net.Socket): void {
    if (this.#refusing) {
      client.destroy();
      return;
    }
    this.accepted.push(Date.now());
    const upstream = net.connect(this.#targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, blackHoled: false };
    this.#pairs.add(pair);
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk: Buffer) => {
        if (pair.blackHoled) return;
        if (this.delay <= 0) to.write(chunk);
        else setTimeout(() => pair.blackHoled || to.destroyed || to.write(chunk), this.delay);
      });
      from.on('end', () => pair.blackHoled || to.end());
    };
    forward(client, upstream);
    forward(upstream, client);
    const teardown = () => {
      client.destroy();
      upstream.destroy();
      this.#pairs.delete(pair);
    };
    client.on('error', teardown).on('close', teardown);
    upstream.on('error', teardown).on('close', teardown);
  }
}
