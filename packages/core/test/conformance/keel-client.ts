import { KeelError, WebSocket } from '../../src/node/index.js';
import { newRecorder, type ClientFactory, type ClientOptions, type ClientUnderTest } from './client-under-test.js';

type WithData = Event & { readonly data: unknown };
type WithError = Event & { readonly error: unknown };
type WithClose = Event & { readonly code: number; readonly reason: string; readonly wasClean: boolean; readonly error: unknown };

const codeOf = (error: unknown): string | null => (error instanceof KeelError ? error.code : null);

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return Buffer.from(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`unexpected event data: ${Object.prototype.toString.call(data)}`);
}

/** Keel's Node WebSocket, the client under test, behind the ClientUnderTest surface (binaryType 'arraybuffer'). */
export const keelClient: ClientFactory = (url: string, options: ClientOptions = {}): ClientUnderTest => {
  const { client, open, message, close } = newRecorder();
  const { protocols, echo, ...rest } = options;
  const ws = new WebSocket(url, protocols === undefined ? undefined : [...protocols], rest);
  ws.binaryType = 'arraybuffer';
  ws.addEventListener('open', () => {
    client.events.push('open');
    open();
  });
  ws.addEventListener('message', (event) => {
    client.events.push('message');
    const { data } = event as WithData;
    message(typeof data === 'string' ? { kind: 'text', data } : { kind: 'binary', data: toBuffer(data) });
    if (echo === true) ws.send(data as string | ArrayBuffer);
  });
  ws.addEventListener('ping', (event) => {
    client.events.push('ping');
    client.pings.push(toBuffer((event as WithData).data));
  });
  ws.addEventListener('pong', (event) => {
    client.events.push('pong');
    client.pongs.push(toBuffer((event as WithData).data));
  });
  ws.addEventListener('error', (event) => {
    client.events.push('error');
    const { error } = event as WithError;
    client.errors.push({ code: codeOf(error), closeCode: error instanceof KeelError ? error.closeCode : null, error });
  });
  ws.addEventListener('close', (event) => {
    client.events.push('close');
    const { code, reason, wasClean, error } = event as WithClose;
    close({ code, reason, wasClean, errorCode: codeOf(error), error });
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
