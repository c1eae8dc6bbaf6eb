/**
 * What a conformance case sees of a WebSocket client: the events it fired, normalised, so the
 * same script can drive Keel (the client under test) and `ws` (used to check the scripted server
 * itself against an independent client).
 */

export type ReceivedMessage = { readonly kind: 'text'; readonly data: string } | { readonly kind: 'binary'; readonly data: Buffer };

export interface ReportedError {
  /** The error's stable code (Keel: KeelErrorCode; ws: WS_ERR_*), or null. */
  readonly code: string | null;
  /** The close code the error maps to, when the client reports one. */
  readonly closeCode: number | null;
  readonly error: unknown;
}

export interface ClosedInfo {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  /** The code of the error carried by the close event (Keel), or null. */
  readonly errorCode: string | null;
  readonly error: unknown;
}

export interface ClientOptions {
  readonly protocols?: readonly string[];
  readonly maxMessageSize?: number;
  readonly maxFragments?: number;
  readonly maxHandshakeResponseSize?: number;
  readonly handshakeTimeout?: number;
  readonly closeTimeout?: number;
  /** Keel: boolean or its options object; false by default in these tests unless a case says otherwise. */
  readonly perMessageDeflate?: boolean | Readonly<Record<string, unknown>>;
  readonly ca?: Buffer;
  readonly rejectUnauthorized?: boolean;
  /** The client sends every message it receives back, from its message handler (an echo application). */
  readonly echo?: boolean;
}

export interface ClientUnderTest {
  readonly messages: ReceivedMessage[];
  /** Payloads of the Ping / Pong frames the client reported receiving. */
  readonly pings: Buffer[];
  readonly pongs: Buffer[];
  readonly errors: ReportedError[];
  /** Event names in firing order: open, message, ping, pong, error, close. */
  readonly events: string[];
  readonly opened: Promise<void>;
  readonly closed: Promise<ClosedInfo>;
  /** Resolves once `count` messages were received in all (rejects if the client closes first). */
  received(count: number): Promise<void>;
  protocol(): string;
  extensions(): string;
  /** Bytes the client accepted for sending that have not reached the kernel yet (WHATWG bufferedAmount). */
  bufferedAmount(): number;
  send(data: string | Buffer): void;
  close(code?: number, reason?: string): void;
  ping(data?: Buffer): void;
}

export type ClientFactory = (url: string, options?: ClientOptions) => ClientUnderTest;

/** The shared bookkeeping of an adapter: recorders for each event and the open / close promises. */
export function newRecorder(): {
  client: Omit<ClientUnderTest, 'protocol' | 'extensions' | 'bufferedAmount' | 'send' | 'close' | 'ping'>;
  open: () => void;
  message: (message: ReceivedMessage) => void;
  close: (info: ClosedInfo) => void;
} {
  let open = (): void => {};
  let close = (_info: ClosedInfo): void => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  const closed = new Promise<ClosedInfo>((resolve) => (close = resolve));
  const messages: ReceivedMessage[] = [];
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  const received = (count: number): Promise<void> =>
    messages.length >= count
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiters.push({ count, resolve })),
          closed.then((info) => {
            if (messages.length < count)
              throw new Error(`closed (${info.code} ${info.errorCode ?? ''}) after ${messages.length} of ${count} messages`);
          }),
        ]);
  const message = (m: ReceivedMessage): void => {
    messages.push(m);
    const ready = waiters.filter((w) => w.count <= messages.length);
    waiters = waiters.filter((w) => w.count > messages.length);
    for (const w of ready) w.resolve();
  };
  return { client: { messages, pings: [], pongs: [], errors: [], events: [], opened, closed, received }, open, message, close };
}
