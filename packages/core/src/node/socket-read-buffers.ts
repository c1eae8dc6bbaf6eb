import type net from 'node:net';
import { tuning } from '../protocol/config.js';

/**
 * Buffers for sockets read through net.Socket's `onread` option (plain TCP only: Node offers it
 * for neither TLS sockets nor the tunnels of a proxy). Node calls the `buffer` function after
 * every read, with no `this`, right after the socket's callback: the callback chooses the next
 * buffer with setNextReadBuffer() and the shared function hands it on, so no connection needs
 * closures of its own.
 *
 * An idle connection reads into one buffer shared by every socket (its reader copies the bytes
 * out at once), so it holds no read memory of its own; a busy one reads into its own buffer, or
 * straight into the engine's buffer for a large message (ClientProtocol.receiveBuffer()).
 */

/** Size of the shared buffer: 64 KiB, the read size of Node's own sockets. */
const SHARED_READ_BUFFER_SIZE = tuning.sharedReadBufferSize;
/** Size of a connection's own buffer, used while reads keep filling what they were given. */
export const OWN_READ_BUFFER_SIZE = tuning.ownReadBufferSize;
/** A connection keeps reading into the rest of its own buffer while at least this much is left. */
export const MIN_OWN_READ_SPACE = tuning.minOwnReadSpace;

let shared: Buffer | null = null;
let next: Uint8Array | null = null;

/** The buffer shared by idle connections: bytes read into it must be copied out before returning. */
export function sharedReadBuffer(): Buffer {
  return (shared ??= Buffer.allocUnsafeSlow(SHARED_READ_BUFFER_SIZE));
}

/** Called from a socket's read callback: where that socket reads next. */
export function setNextReadBuffer(buffer: Uint8Array): void {
  next = buffer;
}

/** `onread` options for net.Socket whose reads all go to `callback` (called with the socket as `this`). */
export function onReadOptions(callback: (this: net.Socket, bytesRead: number, buffer: Uint8Array) => boolean): net.OnReadOpts {
  return {
    buffer: () => {
      const buffer = next ?? sharedReadBuffer();
      next = null;
      return buffer;
    },
    callback,
  };
}
