import type net from 'node:net';
import { constants as bufferConstants } from 'node:buffer';
import { ClientProtocol } from '../protocol/client-protocol.js';
import type { ProtocolConfig } from '../protocol/config.js';
import { HandshakeError, type KeelError } from '../protocol/errors.js';
import {
  resolvePerMessageDeflateOffers,
  type PerMessageDeflateOffer,
  type ResolvedPerMessageDeflateOffer,
} from '../protocol/permessage-deflate-negotiation.js';
import { ConnectDeadline } from './connectivity/connect-deadline.js';
import { ConnectDiagnostics, redactHeaders } from './connectivity/connect-diagnostics.js';
import type { ConnectStageError } from './connectivity/connectivity-errors.js';
import { openConnection } from './connectivity/open-connection.js';
import { redactCredentials } from './connectivity/proxy-from-env.js';
import { decideRedirect, initialRedirectState, redirectStatuses, type RedirectState } from './connectivity/redirect-policy.js';
import { nodePrimitives } from './node-primitives.js';
import { toKeelError } from './to-keel-error.js';
import type { PerMessageDeflateSettings, WebSocketOptions } from './websocket-options.js';
import { parseWebSocketUrl, type ParsedWebSocketUrl } from './websocket-url.js';

/** How an opening handshake ended: open, failed, or a 3xx the options say to follow. */
export type HandshakeOutcome = 'open' | 'failed' | 'redirect';

/**
 * What the attempt needs of the WebSocket it connects. The WebSocket grants it as one shared
 * table of functions (none of it is public API).
 */
export interface AttemptAccess<Owner> {
  engine(owner: Owner): ClientProtocol;
  /** A redirect made a new request: the WebSocket continues with this engine. */
  setEngine(owner: Owner, engine: ClientProtocol): void;
  /** Starts the opening handshake on `socket`: reads it, writes the request. */
  startHandshake(owner: Owner, socket: net.Socket): void;
  /** Leaves `socket` behind (a followed redirect): no more reads, destroyed. */
  detach(owner: Owner, socket: net.Socket): void;
  /** Handles the engine's events and writes its output (here: the close event of a failure). */
  process(owner: Owner): void;
  /** `onread` options for plain TCP sockets (the read path). */
  readonly onread: net.OnReadOpts;
}

/** The permessage-deflate offers and codec settings of one `perMessageDeflate` option value. */
interface DeflatePlan {
  readonly offers: readonly PerMessageDeflateOffer[];
  readonly codecSettings: PerMessageDeflateSettings;
  /** The offers checked and with defaults applied, made by the first engine that needs them. */
  resolved: readonly ResolvedPerMessageDeflateOffer[] | null;
}

/** The plan of the default option (`true`), shared by every connection that keeps it. */
const defaultDeflatePlan: DeflatePlan = { offers: Object.freeze([Object.freeze({})]), codecSettings: Object.freeze({}), resolved: null };

/**
 * One connection attempt of a WebSocket, from the constructor to open (or failure): DNS, TCP or
 * a Unix socket, an HTTP CONNECT proxy, TLS, the opening handshake and the redirects it may
 * follow (RFC 9110 §15.4), the diagnostics published on the way, and the one deadline over all
 * of it (handshakeTimeout, close() and the AbortSignal). The WebSocket drops it once open.
 */
export class ConnectionAttempt<Owner> {
  readonly #owner: Owner;
  readonly #access: AttemptAccess<Owner>;
  readonly #options: WebSocketOptions;
  readonly #protocols: readonly string[];
  readonly #deflate: DeflatePlan;
  /** Why close() was called before the deadline existed (it aborts the deadline once made). */
  #aborted: KeelError | null = null;
  #deadline: ConnectDeadline | null = null;
  #settle: ((outcome: HandshakeOutcome) => void) | null = null;
  /** A failure that replaces the engine's (a redirect that cannot be followed). */
  #errorOverride: KeelError | null = null;

  /** `protocols` and `options` as websocket-arguments.ts checked them; the first request is made by createEngine(). */
  constructor(owner: Owner, access: AttemptAccess<Owner>, protocols: readonly string[], options: WebSocketOptions) {
    this.#owner = owner;
    this.#access = access;
    this.#options = options;
    this.#protocols = protocols;
    this.#deflate = deflatePlan(options.perMessageDeflate);
  }

  /** The codec settings (threshold, level, memLevel) of the offer the server may accept. */
  get codecSettings(): PerMessageDeflateSettings {
    return this.#deflate.codecSettings;
  }

  /** The failure that replaces the engine's, when a redirect could not be followed. */
  get errorOverride(): KeelError | null {
    return this.#errorOverride;
  }

  /** An engine that writes the opening handshake request for `target` (RFC 6455 §4.1). */
  createEngine(target: ParsedWebSocketUrl, headers: Readonly<Record<string, string>>): ClientProtocol {
    const options = this.#options;
    const deflate = this.#deflate;
    return new ClientProtocol({
      target: { resource: target.resource, hostHeader: target.hostHeader },
      protocols: this.#protocols,
      headers,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      perMessageDeflate: (deflate.resolved ??= resolvePerMessageDeflateOffers(deflate.offers)),
      config: configOverrides(options),
      ...nodePrimitives,
    });
  }

  /** Connects to `first`, following redirects when allowed, until the handshake opened or failed. */
  async run(first: ParsedWebSocketUrl): Promise<void> {
    const options = this.#options;
    const owner = this.#owner;
    const access = this.#access;
    // close() aborts the deadline itself: no AbortController (nor AbortSignal.any) per connection.
    const deadline = new ConnectDeadline({ timeout: access.engine(owner).config.handshakeTimeout, signal: options.signal });
    this.#deadline = deadline;
    if (this.#aborted !== null) deadline.abort(this.#aborted);
    const diagnostics = new ConnectDiagnostics({ onDiagnostic: options.onDiagnostic });
    let target = first;
    let headers: Readonly<Record<string, string>> = options.headers ?? {};
    // Made with the first redirect: most connections never see one.
    let redirects: RedirectState | null = null;
    for (;;) {
      let socket: net.Socket;
      try {
        ({ socket } = await openConnection(target.url, options, deadline, diagnostics, access.onread));
      } catch (error) {
        deadline.finish();
        const engine = access.engine(owner);
        engine.fail(toKeelError(error));
        engine.receiveEof();
        access.process(owner);
        return;
      }
      deadline.track(socket);
      deadline.enter('handshake');
      // URL credentials (ws://user:pass@host) are never sent, and never shown: redacted like a proxy's.
      const shownUrl = redactCredentials(target.url.href);
      if (diagnostics.wants('handshake:request')) {
        const sent = headers;
        diagnostics.publish('handshake:request', () => ({
          type: 'handshake:request',
          url: shownUrl,
          headers: redactHeaders(Object.entries(sent)),
        }));
      }
      const outcome = await this.#handshake(socket);
      const engine = access.engine(owner);
      if (diagnostics.wants('handshake:response') && engine.responseHeaders.length > 0) {
        const status = engine.handshakeError?.status ?? 101;
        diagnostics.publish('handshake:response', () => ({ type: 'handshake:response', url: shownUrl, status }));
      }
      if (outcome === 'failed') {
        const failure = this.#errorOverride ?? engine.failure;
        if (failure !== null) diagnostics.publishError('handshake', failure);
      }
      if (outcome !== 'redirect') return;
      const refused = engine.handshakeError as HandshakeError;
      try {
        const decision = decideRedirect(
          { status: refused.status as number, headers: refused.headers },
          { url: target.url, headers },
          redirects ?? initialRedirectState(first.url),
          options,
        );
        if (!decision.follow) throw refused;
        redirects = decision.state;
        headers = decision.headers;
        target = parseWebSocketUrl(decision.url);
        access.detach(owner, socket);
        deadline.untrack(socket);
        access.setEngine(owner, this.createEngine(target, headers));
      } catch (error) {
        this.#errorOverride = toKeelError(error);
        diagnostics.publishError('handshake', this.#errorOverride);
        socket.destroy();
        return;
      }
    }
  }

  /** Runs the opening handshake on `socket`; resolves 'redirect' when a followable 3xx came back. */
  #handshake(socket: net.Socket): Promise<HandshakeOutcome> {
    return new Promise((resolve) => {
      this.#settle = resolve;
      this.#access.startHandshake(this.#owner, socket);
    });
  }

  /**
   * The engine failed before opening: 'redirect' when the answer was a 3xx that the options say
   * to follow (the socket is then left for run() to detach), else 'failed'.
   */
  handshakeFailed(engine: ClientProtocol): HandshakeOutcome {
    const status = engine.handshakeError?.status;
    return status !== undefined && redirectStatuses.has(status) && this.#options.followRedirects === true ? 'redirect' : 'failed';
  }

  /** Ends the wait of the current handshake (once). */
  settle(outcome: HandshakeOutcome): void {
    const settle = this.#settle;
    this.#settle = null;
    settle?.(outcome);
  }

  /** close() was called while connecting: the deadline aborts with `reason` (now, or once made). */
  abort(reason: KeelError): void {
    if (this.#deadline === null) this.#aborted = reason;
    else this.#deadline.abort(reason);
  }

  /** The handshake succeeded on `socket`: the deadline is done with it. */
  opened(socket: net.Socket | null): void {
    if (socket !== null) this.#deadline?.untrack(socket);
    this.#deadline?.finish();
    this.#deadline = null;
  }

  /** The connection failed with no socket left to report its end: the deadline stops (its failure stays readable). */
  stopDeadline(): void {
    this.#deadline?.finish();
  }

  /** The connection ends before opening: the deadline stops; its failure, once the request was out, says why. */
  ended(): KeelError | undefined {
    const deadline = this.#deadline;
    this.#deadline = null;
    const timedOut = deadline?.failure;
    deadline?.finish();
    return timedOut === undefined ? undefined : handshakeStageError(timedOut);
  }
}

function deflatePlan(option: WebSocketOptions['perMessageDeflate']): DeflatePlan {
  const settings = option ?? true;
  if (settings === true) return defaultDeflatePlan;
  const list: readonly (PerMessageDeflateSettings | boolean)[] = Array.isArray(settings)
    ? settings
    : [settings as PerMessageDeflateSettings | boolean];
  let codecSettings: PerMessageDeflateSettings = {};
  const offers: PerMessageDeflateOffer[] = [];
  for (const entry of list) {
    if (entry === false) continue;
    if (entry === true) {
      offers.push({});
      continue;
    }
    const { threshold, level, memLevel, ...offer } = entry;
    if (offers.length === 0) codecSettings = { threshold, level, memLevel };
    offers.push(offer);
  }
  return { offers, codecSettings, resolved: null };
}

/** The deadline fired once the request was out: a handshake timeout (or the abort it carries). */
function handshakeStageError(error: ConnectStageError): KeelError {
  if (error.code === 'ERR_CONNECT_TIMEOUT' && error.stage === 'handshake') {
    return new HandshakeError('ERR_HANDSHAKE_TIMEOUT', `No handshake response within the timeout (${error.message})`);
  }
  return error;
}

const noOverrides: Partial<ProtocolConfig> = Object.freeze({});

/** The engine limits the options set; one shared empty object when they set none (the common case). */
function configOverrides(options: WebSocketOptions): Partial<ProtocolConfig> {
  const { maxMessageSize, maxFragments, maxHandshakeResponseSize, handshakeTimeout, closeTimeout } = options;
  if (
    maxMessageSize === undefined &&
    maxFragments === undefined &&
    maxHandshakeResponseSize === undefined &&
    handshakeTimeout === undefined &&
    closeTimeout === undefined
  ) {
    return noOverrides;
  }
  return {
    // A message larger than the biggest Buffer this Node can make could never be delivered:
    // capping the limit there makes such a frame a 1009 at its header (RFC 6455 §7.4.1), not
    // memory accepted for gigabytes that then fails (issue 12, declared lengths over 4 GiB).
    ...(maxMessageSize === undefined ? {} : { maxMessageSize: Math.min(maxMessageSize, bufferConstants.MAX_LENGTH) }),
    ...(maxFragments === undefined ? {} : { maxFragments }),
    ...(maxHandshakeResponseSize === undefined ? {} : { maxHandshakeResponseSize }),
    ...(handshakeTimeout === undefined ? {} : { handshakeTimeout }),
    ...(closeTimeout === undefined ? {} : { closeTimeout }),
  };
}
