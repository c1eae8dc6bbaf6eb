/**
 * Limits and timeouts of one connection. Every limit is checked at the first byte that
 * reveals it (DESIGN.md). Timeouts are enforced by the I/O layer; the engine only holds them.
 */
export interface ProtocolConfig {
  /** Largest message accepted, in bytes, summed over all its fragments (after inflation). Default 64 MiB. Exceeding it fails with 1009. */
  maxMessageSize: number;
  /** Most fragments one message may have. Default Infinity (size is bounded by maxMessageSize). */
  maxFragments: number;
  /** Largest handshake response (status line + headers), in bytes. Default 64 KiB. */
  maxHandshakeResponseSize: number;
  /** Milliseconds from the start of the connection to the 101 response. Default 30,000. */
  handshakeTimeout: number;
  /** Milliseconds to wait, once a Close was sent or received, for the server to end TCP. Default 5,000. */
  closeTimeout: number;
}

export const defaultProtocolConfig: Readonly<ProtocolConfig> = Object.freeze({
  maxMessageSize: 64 * 1024 * 1024,
  maxFragments: Number.POSITIVE_INFINITY,
  maxHandshakeResponseSize: 64 * 1024,
  handshakeTimeout: 30_000,
  closeTimeout: 5_000,
});

/**
 * Tuning constants of the engine and the Node layer: buffer, slab and batch sizes and queue
 * marks. They change speed and memory, never behaviour on the wire, and are not user options
 * (the limits and timeouts above are). Kept in one place so a change to one is made knowing the
 * others; the Node layer reads its entries from here too (it may import protocol/, never the
 * reverse). Sizes in bytes, counts in messages.
 */
export const tuning = Object.freeze({
  /**
   * Engine: a single-frame message whose declared payload is at least this long and that is not
   * whole in its first read is received into one buffer of its own (ClientProtocol.receiveBuffer).
   * 64 KiB, the read size of Node's sockets.
   */
  largeMessageThreshold: 64 * 1024,
  /**
   * Engine: at most this much is reserved from a large frame's declared length before its bytes
   * arrive; the buffer then doubles as they do. 1 MiB (issue 12: 20 connections declaring 64 MiB
   * and sending 30 bytes each must not reserve 1.28 GB).
   */
  directReserveCap: 1024 * 1024,
  /** Engine: frames up to this many payload bytes are written into the writer's slab and coalesced into one write. 8 KiB. */
  coalescedFramePayloadMax: 8 * 1024,
  /** Engine: the writer's first slab after a flush (an idle or chatty connection keeps at most this much). 2 KiB. */
  writerSlabSmall: 2 * 1024,
  /** Engine: the writer's slab once a burst in one tick fills the small one. 64 KiB. */
  writerSlabLarge: 64 * 1024,
  /** Engine: mask keys drawn at a time for a connection's first frames (most connections send little). 64 B, 16 keys. */
  maskKeyFirstBatch: 64,
  /** Engine: mask keys drawn at a time once the first batch is used up (a busy connection). 1 KiB, 256 keys. */
  maskKeyBatch: 1024,
  /** Engine: HTTP header bytes decoded per String.fromCharCode.apply call (its arguments go on the stack). 4,096. */
  latin1DecodeSlice: 4096,
  /** Engine: the first buffer the message assembler copies small pieces into; each next one at least doubles. 4 KiB. */
  assemblerFirstCopyBuffer: 4 * 1024,
  /** Engine: a payload piece is kept as a view, not copied, only from this length (a view costs ~100 B of heap)... 1 KiB. */
  assemblerMinView: 1024,
  /** Engine: ...and only when it covers at least 1/this of the buffer it views (views keep alive at most 4× their bytes). */
  assemblerViewShare: 4,
  /** Node: the shared slab that medium buffers (assembled messages, masked payloads) are carved from. 1 MiB. */
  allocationSlabSize: 1024 * 1024,
  /** Node: buffers from this size up to allocationSlabMax come from the slab; smaller ones from Node's own pool. 4 KiB. */
  allocationSlabMin: 4 * 1024,
  /** Node: buffers larger than this are allocated alone. 256 KiB. */
  allocationSlabMax: 256 * 1024,
  /** Node: CSPRNG bytes fetched at a time for keys and mask keys (one OpenSSL call per ~100 connections). 8 KiB. */
  randomPoolSize: 8 * 1024,
  /** Node: random requests up to this size are served from the pool; larger ones fill directly. 256 B. */
  randomPoolMaxRequest: 256,
  /** Node: the read buffer shared by every idle plain-TCP socket (Node's own read size). 64 KiB. */
  sharedReadBufferSize: 64 * 1024,
  /** Node: a busy socket's own read buffer, used while reads keep filling what they are given. 256 KiB. */
  ownReadBufferSize: 256 * 1024,
  /** Node: a socket keeps reading into the rest of its own buffer while at least this much is left. 16 KiB. */
  minOwnReadSpace: 16 * 1024,
  /** Node: the zlib limiter's queue drops its consumed prefix once more than this many entries were taken (and over half the queue). 1,024. */
  zlibQueueCompactAfter: 1024,
  /** Node: received messages waiting for inflation before the socket stops being read (backpressure). 16 messages. */
  inboundPauseMark: 16,
});
