/**
 * `keel` in browsers and bundlers (export conditions `browser` and `default`): connect() over the
 * native WebSocket, with SockJS as a lazily loaded fallback and page liveness wired in.
 */
export * from '@keel/browser';
