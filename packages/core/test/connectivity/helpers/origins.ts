import net from 'node:net';
import tls from 'node:tls';
import { trackSockets } from '../../websocket-connectivity/helpers/servers.js';

/** A test server on 127.0.0.1 and what it saw. */
export interface TestOrigin {
  readonly port: number;
  /** SNI of each TLS connection (`false` when the client sent none); empty for plain servers. */
  readonly servernames: Array<string | false>;
  /** Connections accepted. */
  connections: number;
  /** Errors of TLS handshakes the server refused (e.g. `ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE`). */
  readonly clientErrors: string[];
  close(): Promise<void>;
}

function track(server: net.Server): { close: () => Promise<void> } {
  const destroyAll = trackSockets(server);
  return {
    close: async () => {
      destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/**
 * A raw TLS origin that greets each client with `hello <SNI>\n` and then echoes what it reads.
 * `requestCert` with the CA makes it require a client certificate.
 */
export async function startTlsEchoOrigin(options: { key: Buffer; cert: Buffer; ca?: Buffer; requestCert?: boolean }): Promise<TestOrigin> {
  const servernames: Array<string | false> = [];
  const clientErrors: string[] = [];
  const server = tls.createServer({
    key: options.key,
    cert: options.cert,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.requestCert === true ? { requestCert: true, rejectUnauthorized: true } : {}),
  });
  const origin = { port: 0, servernames, clientErrors, connections: 0, close: async () => undefined } as TestOrigin;
  server.on('connection', () => {
    origin.connections += 1;
  });
  server.on('tlsClientError', (error: Error & { code?: string }) => clientErrors.push(error.code ?? error.message));
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    const servername = (socket as tls.TLSSocket & { servername?: string | false }).servername ?? false;
    servernames.push(servername);
    socket.write(`hello ${servername === false ? '-' : servername}\n`);
    socket.pipe(socket);
  });
  const { close } = track(server);
  Object.assign(origin, { port: await listen(server), close });
  return origin;
}

/** A plain TCP origin that greets with `hello plain\n` and echoes. */
export async function startTcpEchoOrigin(): Promise<TestOrigin> {
  const server = net.createServer((socket) => {
    socket.write('hello plain\n');
    socket.pipe(socket);
  });
  const origin = { port: 0, servernames: [], clientErrors: [], connections: 0, close: async () => undefined } as TestOrigin;
  server.on('connection', () => {
    origin.connections += 1;
  });
  const { close } = track(server);
  Object.assign(origin, { port: await listen(server), close });
  return origin;
}

/** A TCP server that accepts and never writes: any TLS or HTTP exchange with it stalls. */
export async function startSilentServer(): Promise<TestOrigin & { accepted: Promise<void> }> {
  let markAccepted: () => void = () => undefined;
  const accepted = new Promise<void>((resolve) => {
    markAccepted = resolve;
  });
  const server = net.createServer((socket) => {
    // Read and drop everything: a socket that never reads never sees the client leave.
    socket.resume();
    markAccepted();
  });
  const origin = { port: 0, servernames: [], clientErrors: [], connections: 0, accepted, close: async () => undefined } as TestOrigin & {
    accepted: Promise<void>;
  };
  server.on('connection', () => {
    origin.connections += 1;
  });
  const { close } = track(server);
  Object.assign(origin, { port: await listen(server), close });
  return origin;
}

/** Reads from `socket` (resuming it) until `marker` arrived; returns everything read and pauses it again. */
export function readUntil(socket: net.Socket, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (text.includes(marker)) {
        cleanup();
        resolve(text);
      }
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error(`closed before ${JSON.stringify(marker)}; got ${JSON.stringify(text)}`));
    };
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.pause();
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.resume();
  });
}
