import type { HeaderList, KeelError } from './errors.js';

/** What the engine reports after being fed bytes. A discriminated union on `type`. */
export type ProtocolEvent = OpenEvent | MessageEvent | PingEvent | PongEvent | CloseEvent;

export interface OpenEvent {
  readonly type: 'open';
  /** The subprotocol the server selected, or '' when none. */
  readonly protocol: string;
  /** The Sec-WebSocket-Extensions value the server answered, or ''. */
  readonly extensions: string;
  readonly headers: HeaderList;
}

export interface MessageEvent {
  readonly type: 'message';
  /** false for a text message (opcode 0x1): its bytes are valid UTF-8 unless `compressed`. */
  readonly binary: boolean;
  /** RSV1 was set on the first frame (RFC 7692): the I/O layer must inflate, then validate text. */
  readonly compressed: boolean;
  /** The whole message. A view into the received chunk when the message was one frame inside one chunk. */
  readonly data: Uint8Array;
}

export interface PingEvent {
  readonly type: 'ping';
  readonly data: Uint8Array;
}

export interface PongEvent {
  readonly type: 'pong';
  readonly data: Uint8Array;
}

/** Emitted once, when the engine learns the transport has ended (receiveEof). */
export interface CloseEvent {
  readonly type: 'close';
  /** The code from the server's Close frame; 1005 if it had none; 1006 if no Close was received. */
  readonly code: number;
  readonly reason: string;
  /** true when Close frames were both sent and received before the transport ended. */
  readonly wasClean: boolean;
  /** Why the connection failed, or null for a normal closure. */
  readonly error: KeelError | null;
}
