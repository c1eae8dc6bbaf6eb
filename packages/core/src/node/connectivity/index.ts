// The connectivity pieces the Node WebSocket's connect step calls (issue 4): proxies, TLS,
// Unix sockets, redirects, one deadline for the whole attempt, and diagnostics.
export { ConnectDeadline, type ConnectDeadlineOptions, type Destroyable } from './connect-deadline.js';
export {
  ConnectDiagnostics,
  diagnosticChannelNames,
  redactHeaders,
  type ConnectDiagnosticEvent,
  type ConnectDiagnosticInput,
  type ConnectDiagnosticType,
  type ConnectDiagnosticsOptions,
} from './connect-diagnostics.js';
export {
  ConnectStageError,
  ConnectivityInputError,
  ProxyError,
  RedirectError,
  TlsError,
  type ConnectStage,
} from './connectivity-errors.js';
export { openConnection, type ConnectivityOptions, type OpenedConnection } from './open-connection.js';
export {
  effectivePort,
  matchesNoProxy,
  parseNoProxy,
  parseProxyUrl,
  proxyFromEnvironment,
  redactCredentials,
  selectProxy,
  type Environment,
  type NoProxyRule,
  type ProxySelectionOptions,
} from './proxy-from-env.js';
export {
  buildConnectRequest,
  defaultMaxProxyResponseSize,
  openTunnel,
  parseProxyResponseHead,
  type OpenTunnelOptions,
  type ProxyResponseHead,
} from './proxy-tunnel.js';
export {
  crossOriginSensitiveHeaders,
  decideRedirect,
  defaultMaxRedirects,
  initialRedirectState,
  redirectStatuses,
  type RedirectDecision,
  type RedirectOptions,
  type RedirectRequest,
  type RedirectResponse,
  type RedirectState,
} from './redirect-policy.js';
export { connectTcp, connectUnixSocket, toConnectError, type TcpConnectOptions, type UnixConnectOptions } from './tcp-connect.js';
export { isTlsFailure, toTlsError, upgradeToTls, type TlsSettings, type TlsUpgradeOptions } from './tls-upgrade.js';
export { formatUnixSocketUrl, isUnixSocketUrl, parseUnixSocketUrl, type UnixSocketTarget } from './unix-socket-url.js';
