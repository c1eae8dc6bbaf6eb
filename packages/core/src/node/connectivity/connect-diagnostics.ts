import diagnosticsChannel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { ConnectStage } from './connectivity-errors.js';

/** Fields every diagnostic event carries. */
interface DiagnosticBase {
  /** Identifies one connection attempt; events of one attempt share it. */
  readonly connectId: number;
  /** Milliseconds since the attempt started (monotonic clock). */
  readonly elapsedMs: number;
}

/** One step of a connection attempt, as published on the `keel:*` diagnostics channels. */
export type ConnectDiagnosticEvent =
  | (DiagnosticBase & {
      /** A host name was resolved (not published for IP literals or Unix sockets). */
      readonly type: 'lookup';
      readonly host: string;
      readonly address: string;
      readonly family: number;
    })
  | (DiagnosticBase & {
      /** A stream connection was established (TCP, or a Unix socket when `socketPath` is set). */
      readonly type: 'tcp';
      readonly host: string;
      readonly port: number;
      readonly remoteAddress: string | undefined;
      readonly socketPath: string | undefined;
    })
  | (DiagnosticBase & {
      /** A TLS handshake completed, with the origin or with an `https://` proxy. */
      readonly type: 'tls';
      readonly peer: 'origin' | 'proxy';
      readonly servername: string;
      /** Negotiated version, e.g. `TLSv1.3`. */
      readonly protocol: string | null;
      readonly alpnProtocol: string | false | null;
    })
  | (DiagnosticBase & {
      /** The proxy answered CONNECT (any status; a non-2xx one is followed by an error event). */
      readonly type: 'proxy';
      /** The proxy URL without credentials. */
      readonly proxy: string;
      readonly target: string;
      readonly status: number;
    })
  | (DiagnosticBase & {
      /** The opening handshake request was written (RFC 6455 §4.1). */
      readonly type: 'handshake:request';
      /** The URL requested; credentials in it (`user:pass@`) read `***@`. */
      readonly url: string;
      /** Header values of `authorization`, `cookie` and `proxy-authorization` read `[redacted]`. */
      readonly headers: ReadonlyArray<readonly [string, string]>;
    })
  | (DiagnosticBase & {
      /** The server's answer to the handshake was parsed (101, a redirect, or a refusal). */
      readonly type: 'handshake:response';
      /** The URL requested; credentials in it (`user:pass@`) read `***@`. */
      readonly url: string;
      readonly status: number;
    })
  | (DiagnosticBase & {
      /** The attempt failed. */
      readonly type: 'error';
      readonly stage: ConnectStage;
      /** The KeelError code, e.g. `ERR_PROXY_STATUS`. */
      readonly code: string;
      readonly message: string;
      readonly error: unknown;
    });

/** The type names of {@link ConnectDiagnosticEvent}. */
export type ConnectDiagnosticType = ConnectDiagnosticEvent['type'];

/** An event as the connect code builds it: {@link ConnectDiagnostics} adds `connectId` and `elapsedMs`. */
export type ConnectDiagnosticInput = ConnectDiagnosticEvent extends infer E
  ? E extends ConnectDiagnosticEvent
    ? Omit<E, 'connectId' | 'elapsedMs'>
    : never
  : never;

/** The `node:diagnostics_channel` name each event type is published on. */
export const diagnosticChannelNames = Object.freeze({
  lookup: 'keel:connect:lookup',
  tcp: 'keel:connect:tcp',
  tls: 'keel:connect:tls',
  proxy: 'keel:connect:proxy',
  'handshake:request': 'keel:handshake:request',
  'handshake:response': 'keel:handshake:response',
  error: 'keel:connect:error',
} as const satisfies Record<ConnectDiagnosticType, string>);

const channels = Object.fromEntries(
  Object.entries(diagnosticChannelNames).map(([type, name]) => [type, diagnosticsChannel.channel(name)]),
) as Record<ConnectDiagnosticType, diagnosticsChannel.Channel>;

let lastConnectId = 0;

/** Options of {@link ConnectDiagnostics}. */
export interface ConnectDiagnosticsOptions {
  /**
   * Called synchronously with every event of this attempt, in order. An exception it throws is
   * reported as a process warning and does not disturb the connection. Default: none (events
   * still go to `keel:*` diagnostics channels that have subscribers).
   */
  onDiagnostic?: ((event: ConnectDiagnosticEvent) => void) | undefined;
}

/**
 * Publishes the events of one connection attempt to the `keel:*` channels of
 * `node:diagnostics_channel` and to the optional `onDiagnostic` hook. Nothing is built when
 * neither listens (`channel.hasSubscribers`).
 */
export class ConnectDiagnostics {
  /** This attempt's id (process-wide counter). */
  readonly connectId: number;
  readonly #start = performance.now();
  readonly #hook: ((event: ConnectDiagnosticEvent) => void) | undefined;

  constructor(options: ConnectDiagnosticsOptions = {}) {
    lastConnectId += 1;
    this.connectId = lastConnectId;
    this.#hook = options.onDiagnostic;
  }

  /** Whether anyone would receive an event of `type`. */
  wants(type: ConnectDiagnosticType): boolean {
    return this.#hook !== undefined || channels[type].hasSubscribers;
  }

  /** Publishes the event `build()` returns, calling `build` only when someone listens. */
  publish(type: ConnectDiagnosticType, build: () => ConnectDiagnosticInput): void {
    if (!this.wants(type)) return;
    const event = { ...build(), connectId: this.connectId, elapsedMs: performance.now() - this.#start } as ConnectDiagnosticEvent;
    const channel = channels[event.type];
    if (channel.hasSubscribers) channel.publish(event);
    if (this.#hook !== undefined) {
      try {
        this.#hook(event);
      } catch (error) {
        process.emitWarning(`onDiagnostic threw: ${error instanceof Error ? error.message : String(error)}`, {
          code: 'KEEL_DIAGNOSTIC_HOOK',
        });
      }
    }
  }

  /** Publishes an `error` event for a failed attempt (code from a KeelError, else `ERR_CONNECT`). */
  publishError(stage: ConnectStage, error: unknown): void {
    this.publish('error', () => {
      const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
      const errorStage: unknown = error instanceof Error ? (error as { stage?: unknown }).stage : undefined;
      return {
        type: 'error',
        stage: typeof errorStage === 'string' ? (errorStage as ConnectStage) : stage,
        code: typeof code === 'string' && code.startsWith('ERR_') ? code : 'ERR_CONNECT',
        message: error instanceof Error ? error.message : String(error),
        error,
      };
    });
  }
}

const sensitiveHeaders = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Header pairs for a diagnostic event, with credential values replaced by `[redacted]`. */
export function redactHeaders(headers: Iterable<readonly [string, string]>): Array<readonly [string, string]> {
  return Array.from(headers, ([name, value]) => [name, sensitiveHeaders.has(name.toLowerCase()) ? '[redacted]' : value] as const);
}
