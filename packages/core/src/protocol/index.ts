// The sans-I/O RFC 6455 + RFC 7692 client engine. Imports nothing from Node or the DOM.
export {
  ClientProtocol,
  type ClientProtocolOptions,
  type HandshakeTarget,
  type ProtocolState,
  type SendOptions,
} from './client-protocol.js';
export { defaultProtocolConfig, type ProtocolConfig } from './config.js';
export { CloseCode, HandshakeError, KeelError, ProtocolError, UsageError, type HeaderList, type KeelErrorCode } from './errors.js';
export type { CloseEvent, MessageEvent, OpenEvent, PingEvent, PongEvent, ProtocolEvent } from './events.js';
export { isValidApplicationCloseCode, isValidReceivedCloseCode, MAX_CLOSE_REASON_BYTES, validateCloseArguments } from './close-payload.js';
export { FrameParser, type FrameHeader, type FrameSink } from './frame-parser.js';
export { FrameWriter } from './frame-writer.js';
export { applyMask } from './masking.js';
export { Opcode } from './opcodes.js';
export { Utf8Validator, isValidUtf8 } from './utf8-validator.js';
export { WEBSOCKET_GUID, expectedAccept } from './handshake-request.js';
export {
  MAX_WINDOW_BITS,
  MIN_WINDOW_BITS,
  PERMESSAGE_DEFLATE,
  formatPerMessageDeflateOffer,
  negotiatePerMessageDeflate,
  resolvePerMessageDeflateOffers,
  type PerMessageDeflateOffer,
  type PerMessageDeflateOption,
  type PerMessageDeflateParams,
  type ResolvedPerMessageDeflateOffer,
} from './permessage-deflate-negotiation.js';
