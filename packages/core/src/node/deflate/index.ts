// permessage-deflate (RFC 7692) compression for the Node layer; negotiation lives in the engine.
export { DEFAULT_COMPRESSION_THRESHOLD, resolveCompressionThreshold, shouldCompress } from './compression-threshold.js';
export { Deflater, type DeflaterOptions } from './deflater.js';
export { DEFLATE_TAIL, Inflater, type InflaterOptions } from './inflater.js';
export { PerMessageDeflateCodec, type PerMessageDeflateCodecOptions } from './permessage-deflate-codec.js';
export { DEFAULT_ZLIB_CONCURRENCY, ZlibLimiter, sharedZlibLimiter } from './zlib-limiter.js';
