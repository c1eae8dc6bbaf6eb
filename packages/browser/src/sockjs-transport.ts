import type {
  Clock,
  Transport,
  TransportCapabilities,
  TransportConnection,
  TransportEventHandlers,
  TransportOpenRequest,
} from '@keel/session';
import { BrowserTransportError } from './browser-error.js';
import { heldConnection } from './held-connection.js';
import type { SockJSConnectionOptions } from './sockjs-connection.js';
import { loadSockJSModule, type SockJSModule } from './sockjs-loader.js';
import type { FetchLike, SockJSEvidence } from './sockjs-evidence.js';
import type { NativeReprobe } from './sockjs-reprobe.js';

export interface SockJSTransportOptions extends SockJSConnectionOptions {
  /**
   * Supplies the SockJS module instead of loading the lazy chunk: a SockJS constructor (your own
   * sockjs-client, or a test double) and Keel's connection code, e.g.
   * `load: async () => ({ SockJS, openSockJSConnection })` with `openSockJSConnection` imported
   * from this package. Default: the lazy chunk (sockjs-client and that code), fetched once.
   */
  readonly load?: () => Promise<SockJSModule>;
  /** Fetches the SockJS endpoint's `/info` when the fallback looks for evidence (sockjs-evidence.ts). Default: the page's `fetch`. */
  readonly fetch?: FetchLike;
}

/**
 * SockJS frames carry text only (its protocol wraps every message in a JSON string), cannot
 * negotiate subprotocols in the handshake (no Sec-WebSocket-Protocol on HTTP polling; Keel's
 * in-band exchange instead, see in-band-subprotocol.ts), cannot ping, cannot set headers.
 */
export const sockjsCapabilities: TransportCapabilities = Object.freeze({
  binary: false,
  protocolPing: false,
  subprotocolNegotiation: false,
  inBandSubprotocols: true,
  customHeaders: false,
});

/**
 * A Transport over sockjs-client. The first attempt loads the lazy SockJS chunk (sockjs-client and
 * Keel's connection code, sockjs-connection.ts); until it arrives the attempt is held, and a chunk
 * that fails to load ends the attempt with ERR_SOCKJS_LOAD (the next attempt loads again).
 */
/** The SockJS Transport; the fallback transport also passes how to re-probe native WebSocket. */
export interface SockJSTransport extends Transport {
  open(request: TransportOpenRequest, handlers: TransportEventHandlers, reprobe?: NativeReprobe): TransportConnection;
  /**
   * Looks at the SockJS endpoint of the WebSocket URL `url` for evidence that WebSocket is blocked,
   * within `timeoutMs` of `clock` (sockjs-evidence.ts, in the lazy chunk). A chunk that cannot load is an
   * outage ('unreachable'); a page without fetch cannot look ('answered': failures are the evidence).
   */
  look(url: string, clock: Clock, timeoutMs: number): Promise<SockJSEvidence>;
}

export function sockjsTransport(options: SockJSTransportOptions = {}): SockJSTransport {
  let loading: Promise<SockJSModule> | undefined;
  const load = (): Promise<SockJSModule> => {
    // One fetch of the chunk per transport; a failed load is retried at the next attempt.
    loading ??= (options.load ?? loadSockJSModule)().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    name: 'sockjs',
    capabilities: sockjsCapabilities,
    open(request, handlers, reprobe) {
      const attempt = heldConnection(handlers);
      load().then(
        (chunk) =>
          attempt.start(() =>
            chunk.openSockJSConnection(
              { SockJS: chunk.SockJS, TransportError: BrowserTransportError, options, reprobe },
              request,
              handlers,
            ),
          ),
        (cause: unknown) => attempt.end(new BrowserTransportError('ERR_SOCKJS_LOAD', 'SockJS load failed', { cause })),
      );
      return attempt.connection;
    },
    look(url, clock, timeoutMs) {
      return load().then(
        (chunk) => chunk.checkSockJSEndpoint?.(url, options.path, clock, timeoutMs, options.fetch) ?? 'answered',
        (): SockJSEvidence => 'unreachable',
      );
    },
  };
}
