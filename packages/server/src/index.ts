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
export type { ResumeStore, StoredSession, StoreLimits } from './resume-store.js';
// Link: what acceptLink() takes (a connection of another kind); SockjsConnection: what
// acceptSockjs() takes. The two Link classes and the in-band helpers are internals (issue 14:
// public is what a user calls, every other name stays unexported).
export type { Link, SockjsConnection } from './link.js';
