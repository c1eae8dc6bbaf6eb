// @keel/core on Node: the WHATWG-shaped WebSocket over Keel's own RFC 6455 engine.
export { WebSocket, type BinaryType, type SendMessageOptions, type WebSocketData } from './websocket.js';
export type { PerMessageDeflateSettings, WebSocketOptions } from './websocket-options.js';
export {
  WebSocketCloseEvent,
  WebSocketControlEvent,
  WebSocketErrorEvent,
  WebSocketEvent,
  WebSocketMessageEvent,
} from './websocket-events.js';
export {
  CloseCode,
  HandshakeError,
  KeelError,
  ProtocolError,
  UsageError,
  type HeaderList,
  type KeelErrorCode,
} from '../protocol/errors.js';
export { defaultProtocolConfig, type ProtocolConfig } from '../protocol/config.js';
export {
  ConnectStageError,
  ProxyError,
  RedirectError,
  TlsError,
  diagnosticChannelNames,
  type ConnectDiagnosticEvent,
  type ConnectStage,
} from './connectivity/index.js';
export { connect, type ConnectOptions } from './session/connect.js';
export { createNodeTransport, type NodeTransportOptions } from './session/node-transport.js';
