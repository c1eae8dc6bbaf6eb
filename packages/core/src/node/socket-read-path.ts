import type net from 'node:net';
import type { ClientProtocol } from '../protocol/client-protocol.js';
import { MIN_OWN_READ_SPACE, OWN_READ_BUFFER_SIZE, onReadOptions, setNextReadBuffer, sharedReadBuffer } from './socket-read-buffers.js';

/**
 * What the read path needs of the WebSocket that owns a socket. The WebSocket grants it as one
 * shared table of functions (none of it is public API, and no connection pays for closures).
 */
export interface ReadPathAccess<Owner> {
  engine(owner: Owner): ClientProtocol;
  socket(owner: Owner): net.Socket | null;
  /** The engine's receive buffer the socket was last given to read into (`onread` sockets), or null. */
  engineReadBuffer(owner: Owner): Uint8Array | null;
  setEngineReadBuffer(owner: Owner, buffer: Uint8Array | null): void;
  /** Handles the events the engine produced for what was read, then writes its output. */
  process(owner: Owner): void;
  /** Writes what the engine framed. */
  flush(owner: Owner): void;
  /** The socket reported an error (its `close` follows). */
  socketError(owner: Owner, error: Error): void;
  /** The socket closed: the engine learns the transport ended. */
  socketClosed(owner: Owner): void;
  /** The socket's write buffer drained. */
  socketDrained(owner: Owner): void;
  /** Keel's own code threw inside a socket callback: the connection fails with 1011, nothing escapes. */
  failInternally(owner: Owner, cause: unknown): void;
}

/** The owner a socket belongs to, for the shared socket listeners. */
const socketOwner = Symbol('keel.websocket');
type OwnedSocket<Owner> = net.Socket & { [socketOwner]?: Owner | undefined };

/**
 * The read path of every WebSocket's socket: the socket's listeners and, for plain TCP, its
 * `onread` reads. One instance serves every connection (each socket points back to its owner):
 * four closures per connection cost more memory than an idle connection needs otherwise.
 *
 * Reads go into the shared buffer while a connection is idle, into the engine's own buffer for a
 * large message (ClientProtocol.receiveBuffer(), no copy), or into this connection's own buffer
 * while reads keep coming (socket-read-buffers.ts).
 */
export class SocketReadPath<Owner> {
  readonly #access: ReadPathAccess<Owner>;
  /** `onread` options for openConnection (plain TCP sockets only). */
  readonly onread: net.OnReadOpts;
  readonly #listeners: {
    readonly data: (this: OwnedSocket<Owner>, chunk: Buffer) => void;
    readonly error: (this: OwnedSocket<Owner>, error: Error) => void;
    readonly close: (this: OwnedSocket<Owner>) => void;
    readonly drain: (this: OwnedSocket<Owner>) => void;
  };

  constructor(access: ReadPathAccess<Owner>) {
    this.#access = access;
    // The onread callback's own `this` is the socket (Node calls it so), hence a name for this object.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const readPath = this;
    this.onread = onReadOptions(function (this: OwnedSocket<Owner>, bytesRead: number, buffer: Uint8Array): boolean {
      const owner = this[socketOwner];
      if (owner === undefined) return true;
      try {
        setNextReadBuffer(readPath.#onRead(owner, bytesRead, buffer));
      } catch (error) {
        setNextReadBuffer(sharedReadBuffer());
        access.failInternally(owner, error);
      }
      return true;
    });
    this.#listeners = {
      data(chunk) {
        const owner = this[socketOwner];
        if (owner === undefined) return;
        try {
          readPath.#holdPongsWhileBackedUp(owner);
          access.engine(owner).receiveData(chunk);
          access.process(owner);
        } catch (error) {
          access.failInternally(owner, error);
        }
      },
      error(error) {
        const owner = this[socketOwner];
        if (owner !== undefined) access.socketError(owner, error);
      },
      close() {
        const owner = this[socketOwner];
        if (owner === undefined) return;
        try {
          access.socketClosed(owner);
        } catch (error) {
          access.failInternally(owner, error);
        }
      },
      drain() {
        const owner = this[socketOwner];
        if (owner === undefined) return;
        try {
          // The socket drained: the answer to the latest Ping, if one waits, goes out now.
          const engine = access.engine(owner);
          engine.holdPongs(false);
          if (engine.bufferedAmount > 0) access.flush(owner);
          access.socketDrained(owner);
        } catch (error) {
          access.failInternally(owner, error);
        }
      },
    };
  }

  /** Starts reading `socket` for `owner` (the handshake response first). */
  attach(socket: net.Socket, owner: Owner): void {
    socket.setNoDelay(true);
    (socket as OwnedSocket<Owner>)[socketOwner] = owner;
    const listeners = this.#listeners;
    socket.on('data', listeners.data);
    socket.on('error', listeners.error);
    socket.on('close', listeners.close);
    socket.on('drain', listeners.drain);
  }

  /** Stops reading `socket` and destroys it (a followed redirect leaves it behind). */
  detach(socket: net.Socket): void {
    const listeners = this.#listeners;
    socket.off('data', listeners.data);
    socket.off('error', listeners.error);
    socket.off('close', listeners.close);
    socket.off('drain', listeners.drain);
    (socket as OwnedSocket<Owner>)[socketOwner] = undefined;
    socket.on('error', () => undefined);
    socket.destroy();
  }

  /** Hands `bytesRead` bytes at the start of `buffer` to the engine; returns where the socket reads next. */
  #onRead(owner: Owner, bytesRead: number, buffer: Uint8Array): Uint8Array {
    const access = this.#access;
    const engine = access.engine(owner);
    const shared = sharedReadBuffer();
    const intoEngine = buffer === access.engineReadBuffer(owner);
    access.setEngineReadBuffer(owner, null);
    this.#holdPongsWhileBackedUp(owner);
    if (intoEngine) {
      engine.receiveInto(bytesRead);
    } else if (buffer === shared) {
      // Every idle socket reads into the shared buffer: copy the bytes out before the next read.
      engine.receiveData(Buffer.from(shared.subarray(0, bytesRead)));
    } else {
      engine.receiveData(buffer.subarray(0, bytesRead));
    }
    access.process(owner);
    const direct = engine.receiveBuffer();
    if (direct !== null) {
      access.setEngineReadBuffer(owner, direct);
      return direct;
    }
    // A read that did not fill its buffer drained the kernel's queue: the next one may be long in
    // coming, so it goes to the shared buffer and this connection holds no read memory while idle.
    if (bytesRead < buffer.length) return shared;
    // A full read leaves more waiting: read on into the rest of this connection's own buffer, or a new one.
    if (!intoEngine && buffer !== shared && buffer.length - bytesRead >= MIN_OWN_READ_SPACE) return buffer.subarray(bytesRead);
    return Buffer.allocUnsafeSlow(OWN_READ_BUFFER_SIZE);
  }

  /**
   * While the socket is backed up (the peer does not read), the engine answers only the most
   * recent Ping, once the socket drains (RFC 6455 §5.5.3): a Ping flood cannot pile up Pongs.
   */
  #holdPongsWhileBackedUp(owner: Owner): void {
    const socket = this.#access.socket(owner);
    this.#access.engine(owner).holdPongs(socket !== null && socket.writableNeedDrain);
  }
}
