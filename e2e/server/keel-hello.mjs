// The heartbeat opt-in (README "Heartbeat: how a server opts in"). A default browser session sends
// a server nothing the app did not send; a server that answers Keel's application-level ping
// (app-ping.mjs) says so with this as its FIRST message on every connection:
//
//   {"type":"keel:hello","features":["heartbeat"]}
//
// Over SockJS with Keel's in-band subprotocol exchange the client's first message is its offer and
// the server's first message must be the answer, so there the hello follows the answer.

/** The hello, as sent on the wire. */
export const KEEL_HELLO = JSON.stringify({ type: 'keel:hello', features: ['heartbeat'] });

/**
 * Milliseconds a SockJS connection waits for a possible in-band offer before sending the hello
 * anyway (a client that offers nothing and sends nothing still learns that the server pings).
 */
export const inBandGraceMs = 500;

/**
 * Sends the hello on `peer` at the right time: WebSocket peers at once; SockJS peers when the caller
 * calls `send()` (right after the in-band answer, or before handling any other first message), or
 * after inBandGraceMs of silence. `send()` is idempotent: the hello goes out once.
 * @param {{ transport: string, send(data: string): void, closed?: boolean }} peer
 * @returns {{ send(): void }}
 */
export function scheduleHello(peer) {
  let sent = false;
  const send = () => {
    if (sent || peer.closed) return;
    sent = true;
    peer.send(KEEL_HELLO);
  };
  if (peer.transport === 'sockjs') setTimeout(send, inBandGraceMs).unref();
  else send();
  return { send };
}
