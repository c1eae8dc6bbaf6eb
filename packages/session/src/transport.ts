/**
 * What the session needs from a way of reaching the server: Keel's own RFC 6455 client on Node,
 * the native browser WebSocket, SockJS. A Transport opens one connection per attempt; the
 * session owns reconnecting, heartbeats, subprotocol policy and queueing above it.
 */

/** What a transport can do; the session adapts (app-level ping, in-band subprotocol, text-only). */
export interface TransportCapabilities {
  /** Binary messages can be sent and received (false for SockJS: text only). */
  readonly binary: boolean;
  /** RFC 6455 Ping/Pong frames can be sent by the client and their Pongs observed (Node only). */
  readonly protocolPing: boolean;
  /** Subprotocols are negotiated in the handshake (Sec-WebSocket-Protocol); false for SockJS. */
  readonly subprotocolNegotiation: boolean;
  /**
   * Without handshake negotiation, the transport negotiates the offered subprotocols in-band itself
   * when asked (`subprotocolFallback: 'in-band'`): Keel's offer/answer messages before it reports
   * open (SockJS). Default false.
   */
  readonly inBandSubprotocols?: boolean;
  /** Custom request headers can be sent with the handshake (Node only; browsers cannot). */
  readonly customHeaders: boolean;
}

/** Structural AbortSignal, so the session needs neither DOM nor Node types. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** One connection attempt, with the URL, protocols and headers evaluated for this attempt. */
export interface TransportOpenRequest {
  readonly url: string;
  /** Subprotocols in preference order (already validated as tokens by the session). */
  readonly protocols: readonly string[];
  /** Extra handshake headers; transports without `customHeaders` ignore them. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Payload of a message as delivered by a transport: text as string, binary as bytes. */
export type TransportMessage = string | Uint8Array;

/** How a connection ended, as the transport saw it. Reported exactly once per connection. */
export interface TransportCloseInfo {
  /** RFC 6455 close code (1006 when the connection was lost or never opened). */
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  /** true when the connection never reached open (the attempt itself failed). */
  readonly beforeOpen: boolean;
  /** HTTP status of a refused handshake, when the transport knows it. */
  readonly status?: number;
  /** The status's reason phrase ('Not Found'), when the transport knows it; used in error messages. */
  readonly statusText?: string;
  /**
   * The failure, when there was one: a KeelError (or subclass) on Node, a BrowserTransportError in
   * browsers, a SessionError from the session itself (heartbeat timeout). `error?.code` is its
   * stable machine-readable code; narrow with `instanceof` for class-specific fields.
   */
  readonly error?: TransportError;
}

/**
 * The shape shared by Keel's error classes (SessionError, @keel/core's KeelError family,
 * @keel/browser's BrowserTransportError): an Error with a stable `code` that never changes
 * between releases. The session cannot name the other packages' classes (it imports neither).
 */
export interface TransportError extends Error {
  readonly code: string;
}

export interface TransportEventHandlers {
  onOpen(info: { readonly protocol: string; readonly extensions: string }): void;
  onMessage(data: TransportMessage): void;
  /** A Pong frame arrived (only transports with `protocolPing`). */
  onPong?(data: Uint8Array): void;
  /** A Ping frame arrived (optional; the transport answers it itself). Counts as liveness. */
  onPing?(data: Uint8Array): void;
  /** Called exactly once, whether the attempt failed or an open connection ended. */
  onClose(info: TransportCloseInfo): void;
}

/** One live (or opening) connection. */
export interface TransportConnection {
  /** Hands a message to the connection; only called while open. Text as string, binary as bytes. */
  send(data: TransportMessage): void;
  /** Sends an RFC 6455 Ping (only transports with `protocolPing`). */
  ping?(data: Uint8Array): void;
  /** Starts a closing handshake; onClose follows. */
  close(code?: number, reason?: string): void;
  /** Tears the connection down at once (dead link, abort); onClose follows with code 1006. */
  terminate(): void;
  /** Bytes accepted by send() and not yet handed to the network. */
  readonly bufferedAmount: number;
  /**
   * Optional: stop reading from the network until resumeReading() (TCP backpressure: the server's
   * sends stall instead of piling up here). The session calls it when its message iterators hold
   * more than their high-water mark. Messages already received may still be delivered. Browsers
   * cannot pause a WebSocket, so their transports leave it out.
   */
  pauseReading?(): void;
  /** Optional: read again after pauseReading(). */
  resumeReading?(): void;
}

export interface Transport {
  /** Short name reported in events and telemetry: 'node', 'websocket', 'sockjs'. */
  readonly name: string;
  readonly capabilities: TransportCapabilities;
  open(request: TransportOpenRequest, handlers: TransportEventHandlers): TransportConnection;
}
