import type { TransportMessage } from '@keel/session';
import type { WebSocket } from 'ws';

/** The SockJS server's connection, as much of it as Keel uses (sockjs 0.3). */
export interface SockjsConnection {
  write(data: string): void;
  close(code?: number, reason?: string): void;
  end(): void;
  on(event: 'data', listener: (data: string) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * One client connection, whatever carries it (a `ws` WebSocket, a SockJS connection): the shape the
 * rest of @keel/server sees. Text arrives as string, binary as bytes.
 */
export interface Link {
  /** 'websocket' or 'sockjs'. */
  readonly transport: 'websocket' | 'sockjs';
  /** The subprotocol selected in the handshake ('' when none; in-band negotiation may set it later). */
  protocol: string;
  /** Whether it can still send. */
  readonly open: boolean;
  send(data: TransportMessage): void;
  close(code: number, reason: string): void;
  /** Abrupt end, without a closing handshake. */
  terminate(): void;
  /** Both called at most once per message / once in all. */
  onMessage: (data: TransportMessage) => void;
  onClose: () => void;
}

abstract class BaseLink implements Link {
  abstract readonly transport: 'websocket' | 'sockjs';
  protocol: string;
  onMessage: (data: TransportMessage) => void = () => {};
  onClose: () => void = () => {};
  #closed = false;

  constructor(protocol: string) {
    this.protocol = protocol;
  }

  get open(): boolean {
    return !this.#closed;
  }

  /** Reports the end exactly once. */
  protected ended(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose();
  }

  abstract send(data: TransportMessage): void;
  abstract close(code: number, reason: string): void;
  abstract terminate(): void;
}

export class WebSocketLink extends BaseLink {
  readonly transport = 'websocket';
  readonly #socket: WebSocket;

  constructor(socket: WebSocket) {
    super(socket.protocol);
    this.#socket = socket;
    socket.on('message', (data, isBinary) => {
      if (!this.open) return;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      this.onMessage(isBinary ? bytes : bytes.toString('utf8'));
    });
    socket.on('close', () => this.ended());
    socket.on('error', () => this.ended());
  }

  send(data: TransportMessage): void {
    if (this.open && this.#socket.readyState === this.#socket.OPEN) this.#socket.send(data, { binary: typeof data !== 'string' });
  }

  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  terminate(): void {
    this.#socket.terminate();
    this.ended();
  }
}

export class SockjsLink extends BaseLink {
  readonly transport = 'sockjs';
  readonly #connection: SockjsConnection;

  constructor(connection: SockjsConnection) {
    super('');
    this.#connection = connection;
    connection.on('data', (text) => this.open && this.onMessage(text));
    connection.on('close', () => this.ended());
  }

  /** SockJS carries text only: a binary message cannot reach a SockJS client and is not sent. */
  send(data: TransportMessage): void {
    if (this.open && typeof data === 'string') this.#connection.write(data);
  }

  close(code: number, reason: string): void {
    this.#connection.close(code, reason);
  }

  terminate(): void {
    this.#connection.end();
    this.ended();
  }
}
