import net from 'node:net';
import type { ConnectDeadline } from './connect-deadline.js';
import type { ConnectDiagnostics } from './connect-diagnostics.js';
import { ConnectStageError, type ConnectStage } from './connectivity-errors.js';

/** Options of {@link connectTcp}. */
export interface TcpConnectOptions {
  /** Host name or IP literal (IPv6 with or without brackets). */
  host: string;
  /** TCP port, 1–65535. */
  port: number;
  /** The attempt's deadline: the socket is tracked, stages `lookup` then `tcp` are entered. */
  deadline: ConnectDeadline;
  /** Receives `lookup` and `tcp` events. Default: none. */
  diagnostics?: ConnectDiagnostics | undefined;
  /** Custom DNS lookup, as `net.connect` takes it. Default: `dns.lookup`. */
  lookup?: net.LookupFunction | undefined;
  /** Address family to resolve: 4, 6, or 0 for both (Happy Eyeballs). Default 0. */
  family?: 0 | 4 | 6 | undefined;
  /** Local address to bind. Default: chosen by the OS. */
  localAddress?: string | undefined;
  /** Reads into caller-chosen buffers instead of emitting 'data' (net.Socket `onread`). Default: none. */
  onread?: net.OnReadOpts | undefined;
}

/**
 * Opens a TCP connection: DNS lookup (unless `host` is an IP literal), then connect. Resolves
 * once connected, with Nagle disabled (frames are written whole). Rejects with
 * `ERR_CONNECT` (stage `lookup` or `tcp`, `systemCode` such as `ENOTFOUND`, `ECONNREFUSED`) or
 * with the deadline's error; the socket is destroyed on every failure.
 */
export function connectTcp(options: TcpConnectOptions): Promise<net.Socket> {
  const { deadline, diagnostics } = options;
  if (deadline.failure !== undefined) return Promise.reject(deadline.failure);
  const host = options.host.startsWith('[') && options.host.endsWith(']') ? options.host.slice(1, -1) : options.host;
  const ipLiteral = net.isIP(host) !== 0;
  // Node 20 honours `onread` in the constructor only (socket.connect() ignores it); @types/node
  // lists it under the connect options alone.
  const socketOptions: net.SocketConstructorOpts & { onread?: net.OnReadOpts } =
    options.onread === undefined ? {} : { onread: options.onread };
  const socket = new net.Socket(socketOptions);
  deadline.track(socket);
  let stage: ConnectStage = ipLiteral ? 'tcp' : 'lookup';
  const connected = settleOnConnect(socket, () => stage, `${host}:${options.port}`);
  const onLookup = (error: Error | null, address: string, family: number | string | null): void => {
    if (error !== null) return;
    diagnostics?.publish('lookup', () => ({
      type: 'lookup',
      host,
      address,
      family: typeof family === 'number' ? family : Number(family ?? 0),
    }));
    stage = 'tcp';
    deadline.enter('tcp');
  };
  // An IP literal is not looked up: no 'lookup' event will come.
  if (!ipLiteral) socket.on('lookup', onLookup);
  socket.setNoDelay(true);
  socket.connect({
    host,
    port: options.port,
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    ...(options.family === undefined ? {} : { family: options.family }),
    ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
  });
  return deadline.race(stage, connected).then(
    () => {
      // The listener's closure holds the deadline and diagnostics: drop it for the connection's life.
      if (!ipLiteral) socket.off('lookup', onLookup);
      diagnostics?.publish('tcp', () => ({
        type: 'tcp',
        host,
        port: options.port,
        remoteAddress: socket.remoteAddress,
        socketPath: undefined,
      }));
      return socket;
    },
    (error: unknown) => {
      socket.destroy();
      deadline.untrack(socket);
      throw error;
    },
  );
}

/** Options of {@link connectUnixSocket}. */
export interface UnixConnectOptions {
  /** Path of the Unix domain socket. */
  socketPath: string;
  /** The attempt's deadline: the socket is tracked, stage `tcp` is entered. */
  deadline: ConnectDeadline;
  /** Receives a `tcp` event carrying `socketPath`. Default: none. */
  diagnostics?: ConnectDiagnostics | undefined;
}

/**
 * Connects to a Unix domain socket (a `ws+unix:` URL). Rejects with `ERR_CONNECT` (stage `tcp`,
 * `systemCode` such as `ENOENT`, `ECONNREFUSED`, `EACCES`) or with the deadline's error.
 */
export function connectUnixSocket(options: UnixConnectOptions): Promise<net.Socket> {
  const { deadline, diagnostics, socketPath } = options;
  if (deadline.failure !== undefined) return Promise.reject(deadline.failure);
  const socket = new net.Socket();
  deadline.track(socket);
  const connected = settleOnConnect(socket, () => 'tcp', socketPath);
  socket.connect({ path: socketPath });
  return deadline.race('tcp', connected).then(
    () => {
      diagnostics?.publish('tcp', () => ({ type: 'tcp', host: 'localhost', port: 0, remoteAddress: undefined, socketPath }));
      return socket;
    },
    (error: unknown) => {
      socket.destroy();
      deadline.untrack(socket);
      throw error;
    },
  );
}

/** Resolves on 'connect'; rejects on 'error' or an early 'close' (a destroy by the deadline). */
function settleOnConnect(socket: net.Socket, stage: () => ConnectStage, peer: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      socket.off('connect', onConnect);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const onConnect = (): void => {
      cleanup();
      resolve();
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(toConnectError(error, stage(), peer));
    };
    const onClose = (): void => {
      cleanup();
      reject(new ConnectStageError('ERR_CONNECT', stage(), `Connection to ${peer} closed before it was established`));
    };
    socket.on('connect', onConnect);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

/** Maps a system error of `net` to `ERR_CONNECT`, keeping its code (`ECONNREFUSED`...). */
export function toConnectError(error: Error, stage: ConnectStage, peer: string): ConnectStageError {
  const systemCode = systemCodeOf(error);
  const detail = systemCode === undefined ? error.message : `${systemCode}: ${error.message}`;
  return new ConnectStageError('ERR_CONNECT', stage, `Could not connect to ${peer} (${detail})`, {
    cause: error,
    ...(systemCode === undefined ? {} : { systemCode }),
  });
}

function systemCodeOf(error: Error): string | undefined {
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Happy Eyeballs (autoSelectFamily) reports an AggregateError of one error per address.
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      if (inner instanceof Error) {
        const innerCode = systemCodeOf(inner);
        if (innerCode !== undefined) return innerCode;
      }
    }
  }
  return undefined;
}
