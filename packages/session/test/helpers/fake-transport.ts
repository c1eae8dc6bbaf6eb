import type {
  Transport,
  TransportCapabilities,
  TransportCloseInfo,
  TransportConnection,
  TransportEventHandlers,
  TransportMessage,
  TransportOpenRequest,
} from '../../src/transport.js';

/** One connection the session opened; the test plays the server and the network. */
export class FakeConnection implements TransportConnection {
  readonly sent: TransportMessage[] = [];
  readonly pings: Uint8Array[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  terminated = false;
  bufferedAmount = 0;
  #closed = false;
  /** When set, send() throws (the transport already knows the link is gone). */
  broken = false;
  /** When set, a binary send() throws a typed ERR_BINARY_UNSUPPORTED (as SockJS does). */
  textOnly = false;
  /**
   * When set, ping(), send() and close() throw ERR_INVALID_STATE as a connection does in its
   * closing window (a server's Close arrived, TCP still open).
   */
  refusing = false;
  /** pauseReading()/resumeReading() calls, in order. */
  readonly reading: Array<'pause' | 'resume'> = [];

  constructor(
    readonly request: TransportOpenRequest,
    readonly handlers: TransportEventHandlers,
    readonly withPing: boolean,
    withPause = true,
  ) {
    if (!withPing) (this as { ping?: unknown }).ping = undefined;
    if (!withPause)
      (this as { pauseReading?: unknown; resumeReading?: unknown }).pauseReading = (this as { resumeReading?: unknown }).resumeReading =
        undefined;
  }

  send(data: TransportMessage): void {
    this.#refuse();
    if (this.broken || this.#closed) throw new Error('not open');
    if (this.textOnly && typeof data !== 'string') throw Object.assign(new Error('text only'), { code: 'ERR_BINARY_UNSUPPORTED' });
    this.sent.push(data);
  }

  ping(data: Uint8Array): void {
    this.#refuse();
    this.pings.push(data);
  }

  close(code?: number, reason?: string): void {
    this.#refuse();
    this.closedWith = { code, reason };
  }

  pauseReading(): void {
    this.reading.push('pause');
  }

  resumeReading(): void {
    this.reading.push('resume');
  }

  #refuse(): void {
    if (this.refusing) throw Object.assign(new Error('Cannot send: the WebSocket is closing'), { code: 'ERR_INVALID_STATE' });
  }

  terminate(): void {
    this.terminated = true;
    this.end({ code: 1006, reason: '', wasClean: false, beforeOpen: false });
  }

  // ---- the test's side ----
  open(protocol = '', extensions = ''): void {
    this.handlers.onOpen({ protocol, extensions });
  }

  receive(data: TransportMessage): void {
    this.handlers.onMessage(data);
  }

  pong(data: Uint8Array): void {
    this.handlers.onPong?.(data);
  }

  /** The connection ends (onClose exactly once). */
  end(info: TransportCloseInfo): void {
    if (this.#closed) return;
    this.#closed = true;
    this.handlers.onClose(info);
  }

  get isClosed(): boolean {
    return this.#closed;
  }
}

export class FakeTransport implements Transport {
  readonly connections: FakeConnection[] = [];
  /** Writable: a test can switch them, as the fallback transport does when SockJS takes over. */
  capabilities: TransportCapabilities;
  /** When set, open() throws it (a synchronous refusal such as a bad URL). */
  throwOnOpen: unknown;
  /** false: connections cannot pause reading (as in browsers). */
  pausable = true;

  constructor(
    capabilities: Partial<TransportCapabilities> = {},
    readonly name = 'fake',
  ) {
    this.capabilities = { binary: true, protocolPing: true, subprotocolNegotiation: true, customHeaders: true, ...capabilities };
  }

  open(request: TransportOpenRequest, handlers: TransportEventHandlers): TransportConnection {
    if (this.throwOnOpen !== undefined) throw this.throwOnOpen;
    const connection = new FakeConnection(request, handlers, this.capabilities.protocolPing, this.pausable);
    this.connections.push(connection);
    return connection;
  }

  get last(): FakeConnection {
    const last = this.connections.at(-1);
    if (last === undefined) throw new Error('no connection opened yet');
    return last;
  }
}

/**
 * Lets every pending promise callback run (createSession's start, async resolvers, and whatever
 * they queue in turn): resolves in the next macrotask, which Node starts only once the microtask
 * queue is empty. Nothing in these tests waits on I/O or real timers (the clock is a FakeClock), so
 * after it no work is pending, however many promise steps it took.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export const lost: TransportCloseInfo = { code: 1006, reason: '', wasClean: false, beforeOpen: false };
export const refused: TransportCloseInfo = { code: 1006, reason: '', wasClean: false, beforeOpen: true };
