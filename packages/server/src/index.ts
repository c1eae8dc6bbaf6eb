/**
 * @keel/server: the server side of what Keel adds to WebSocket — resumable sessions
 * (docs/resume-protocol.md), the heartbeat opt-in (docs/heartbeat-opt-in.md) and in-band
 * subprotocols for SockJS — for a `ws` WebSocketServer and a SockJS endpoint.
 * The Redis store is a separate entry: `@keel/server/redis`.
 */
export { KeelServer } from './keel-server.js';
export type { KeelServerOptions, KeelServerEvents, ResumeServerOptions } from './keel-server.js';
export { ServerSession } from './server-session.js';
export type { ServerSessionEvents, SessionEndReason } from './server-session.js';
export { MemoryStore } from './memory-store.js';
export { defaultStoreLimits } from './resume-store.js';
export type { ResumeStore, StoredSession, StoreLimits } from './resume-store.js';
export { answerInBandOffer, selectSubprotocol } from './in-band-subprotocol.js';
export { WebSocketLink, SockjsLink } from './link.js';
export type { Link, SockjsConnection } from './link.js';
