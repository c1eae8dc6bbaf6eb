import WebSocket from 'ws';
import { newRecorder, type ClientFactory, type ClientOptions, type ClientUnderTest } from './client-under-test.js';

/** The `ws` package's client behind the ClientUnderTest surface: the independent client that validates the scripted server. */
export const wsClient: ClientFactory = (url: string, options: ClientOptions = {}): ClientUnderTest => {
  const { client, open, message, close } = newRecorder();
  const ws = new WebSocket(url, [...(options.protocols ?? [])], {
    perMessageDeflate: options.perMessageDeflate ?? false,
    ...(options.maxMessageSize === undefined ? {} : { maxPayload: options.maxMessageSize }),
    ...(options.handshakeTimeout === undefined ? {} : { handshakeTimeout: options.handshakeTimeout }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.rejectUnauthorized }),
  });
  ws.binaryType = 'nodebuffer';
  ws.on('open', () => {
    client.events.push('open');
    open();
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    client.events.push('message');
    message(isBinary ? { kind: 'binary', data: Buffer.from(data) } : { kind: 'text', data: data.toString('utf8') });
    if (options.echo === true) ws.send(data, { binary: isBinary });
  });
  ws.on('ping', (data: Buffer) => {
    client.events.push('ping');
    client.pings.push(Buffer.from(data));
  });
  ws.on('pong', (data: Buffer) => {
    client.events.push('pong');
    client.pongs.push(Buffer.from(data));
  });
  ws.on('error', (error: Error & { code?: string }) => {
    client.events.push('error');
    client.errors.push({ code: error.code ?? null, closeCode: null, error });
  });
  ws.addEventListener('close', (event) => {
    client.events.push('close');
    close({ code: event.code, reason: event.reason, wasClean: event.wasClean, errorCode: null, error: null });
  });
  return {
    ...client,
    protocol: () => ws.protocol,
    extensions: () => ws.extensions,
    bufferedAmount: () => ws.bufferedAmount,
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    ping: (data) => ws.ping(data),
  };
};
