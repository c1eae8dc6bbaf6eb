// One connected client, whatever carries it: a `ws` WebSocket or a SockJS connection. Each is a
// `Link` of @keel/server (which speaks Keel's hello, heartbeat, in-band subprotocols and resume on
// it), with the test controls on top (drop, black-hole, close), so every control works the same way
// on both transports.

let nextPeerId = 1;

/** @typedef {'websocket' | 'sockjs'} PeerTransport */

class Peer {
  /**
   * @param {PeerTransport} transport
   * @param {string} endpoint 'echo' or 'chat'
   * @param {string} protocol the selected subprotocol ('' when none)
   */
  constructor(transport, endpoint, protocol) {
    this.id = nextPeerId++;
    this.transport = transport;
    this.endpoint = endpoint;
    this.protocol = protocol;
    this.openedAt = Date.now();
    /** While true nothing is read from or written to the client, but its TCP stays open. */
    this.blackholed = false;
    this.closed = false;
    /** @keel/server's handlers (Link): text as string, binary as Buffer. */
    /** @type {(data: string | Buffer) => void} */
    this.onMessage = () => {};
    /** @type {() => void} */
    this.onClose = () => {};
    /** The bundled server's own bookkeeping, after onClose. @type {() => void} */
    this.onEnd = () => {};
  }

  /** Link: whether it can still send. */
  get open() {
    return !this.closed;
  }

  /** Link: an abrupt end. */
  terminate() {
    this.drop();
  }

  /** Reports the end exactly once, whether it came from the client, a control or a restart. */
  finish() {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.onEnd();
  }

  /** @param {string | Buffer} data */
  deliver(data) {
    if (!this.blackholed && !this.closed) this.onMessage(data);
  }

  describe() {
    return { id: this.id, transport: this.transport, endpoint: this.endpoint, protocol: this.protocol, blackholed: this.blackholed };
  }
}

export class WsPeer extends Peer {
  /** @param {import('ws').WebSocket} socket */
  constructor(socket, endpoint) {
    super('websocket', endpoint, socket.protocol);
    this.socket = socket;
    socket.on('message', (data, isBinary) => this.deliver(isBinary ? data : data.toString('utf8')));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  send(data) {
    if (this.blackholed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(data, { binary: typeof data !== 'string' });
  }

  close(code, reason) {
    this.socket.close(code, reason);
  }

  /** An abrupt loss: the TCP connection is destroyed without a Close frame (the client sees 1006). */
  drop() {
    this.socket.terminate();
    this.finish();
  }

  /** Stops reading (so no message, ping or close is ever answered) and stops writing. */
  blackHole() {
    this.blackholed = true;
    this.socket.pause();
  }
}

export class SockjsPeer extends Peer {
  /** @param {import('sockjs').Connection} connection */
  constructor(connection, endpoint) {
    super('sockjs', endpoint, '');
    this.connection = connection;
    connection.on('data', (text) => this.deliver(text));
    connection.on('close', () => this.finish());
  }

  send(data) {
    // SockJS carries text only; a binary message cannot reach a SockJS client.
    if (this.blackholed || typeof data !== 'string') return;
    this.connection.write(data);
  }

  close(code, reason) {
    this.connection.close(code, reason);
  }

  /**
   * An abrupt loss: the HTTP request (or socket) currently carrying the session is destroyed, so
   * the client's stream errors out. SockJS itself would only notice after its disconnect delay,
   * so the peer is finished at once, and its SockJS session is closed too: the client's next
   * request on it gets the close (1011) instead of a session that silently ignores it.
   */
  drop() {
    const receiver = this.connection._session?.recv;
    const carrier = receiver?.thingy ?? receiver?.request?.connection;
    carrier?.destroy?.();
    this.finish();
    this.connection.close(1011, 'dropped');
  }

  /**
   * Stops delivering and answering messages; SockJS's own `h` heartbeat frames still flow (the
   * client ignores them), which is what a stalled application server looks like.
   */
  blackHole() {
    this.blackholed = true;
  }
}
