import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeelError, WebSocket, type WebSocketCloseEvent, type WebSocketErrorEvent } from '@keel/core';
import { ClientProtocol } from '../../src/protocol/client-protocol.js';
import { closeCodeOf } from '../conformance/client-frame-reader.js';
import { Opcode, frameHeader, textFrame } from '../conformance/frames.js';
import { startScriptedServer, type ScriptedConnection, type ScriptedServer } from '../conformance/scripted-server.js';

/**
 * Issue 12, crash 3's general rule: no exception may escape an I/O callback (socket data/onread,
 * socket close, timers, zlib continuations). Anything thrown there fails the connection: the
 * server gets a Close 1011 (RFC 6455 §7.4.1, internal error), the application gets `error` with
 * a typed KeelError and `close`, and the process keeps running (vitest fails a run on any
 * uncaught exception, so reaching the assertions is part of the proof).
 */

let server: ScriptedServer | null = null;
const sockets: WebSocket[] = [];
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  server = null;
});

interface Ended {
  readonly error: KeelError | null;
  readonly close: WebSocketCloseEvent;
}

async function openAgainst(
  options: ConstructorParameters<typeof WebSocket>[2] = {},
): Promise<{ ws: WebSocket; connection: ScriptedConnection; ended: Promise<Ended> }> {
  server = await startScriptedServer();
  const ws = new WebSocket(server.url, undefined, { env: {}, ...options });
  sockets.push(ws);
  let error: KeelError | null = null;
  ws.addEventListener('error', (event: WebSocketErrorEvent) => {
    error = event.error;
  });
  const ended = new Promise<Ended>((resolve) => ws.addEventListener('close', (close: WebSocketCloseEvent) => resolve({ error, close })));
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    void ended.then(({ close }) => reject(close.error ?? new Error('closed before open')));
  });
  const connection = await server.connection();
  await opened;
  return { ws, connection, ended };
}

describe('an exception inside an I/O callback fails the connection (1011) instead of the process', () => {
  it('a throw while the socket read is handed to the engine: Close 1011 to the server, ERR_INTERNAL and close 1006 to the application', async () => {
    const { ws, connection, ended } = await openAgainst();
    const broken = new Error('forced failure in the read path');
    // Plain TCP reads go through onread into receiveData or receiveInto: break both, once.
    vi.spyOn(ClientProtocol.prototype, 'receiveData').mockImplementationOnce(() => {
      throw broken;
    });
    vi.spyOn(ClientProtocol.prototype, 'receiveInto').mockImplementationOnce(() => {
      throw broken;
    });
    await connection.write(textFrame('trigger'));
    const close = await connection.nextFrame((frame) => frame.opcode === Opcode.close);
    expect(closeCodeOf(close)).toBe(1011);
    const { error, close: event } = await ended;
    expect(error).toBeInstanceOf(KeelError);
    expect(error?.code).toBe('ERR_INTERNAL');
    expect(error?.closeCode).toBe(1011);
    expect(error?.cause).toBe(broken);
    expect(event.code).toBe(1006);
    expect(event.wasClean).toBe(false);
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });

  it('a throw while the socket close is handled still dispatches error and close once', async () => {
    const { ws, connection, ended } = await openAgainst();
    // From here the timers and immediates are fake, so every one the failure leaves pending can
    // be run at the end; sockets and process.nextTick stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'] });
    let closes = 0;
    ws.addEventListener('close', () => {
      closes += 1;
    });
    vi.spyOn(ClientProtocol.prototype, 'receiveEof').mockImplementationOnce(() => {
      throw new Error('forced failure at end of input');
    });
    connection.destroy();
    const { error, close } = await ended;
    expect(error?.code).toBe('ERR_INTERNAL');
    expect(close.code).toBe(1006);
    expect(close.wasClean).toBe(false);
    // Whatever is still scheduled runs now (timers of any length, immediates, then their microtasks):
    // none of it may dispatch a second close.
    await vi.runAllTimersAsync();
    expect(closes).toBe(1);
  });

  it('a frame declaring more than 4 GiB with maxMessageSize: Infinity fails the connection, never the process', async () => {
    const { ws, connection, ended } = await openAgainst({ maxMessageSize: Number.POSITIVE_INFINITY });
    // 5 GiB declared: more than a Buffer can hold on Node 20 (buffer.constants.MAX_LENGTH is 4 GiB).
    await connection.write(Buffer.concat([frameHeader({ opcode: Opcode.binary }, 5 * 2 ** 30), Buffer.from('first bytes')]));
    const close = await connection.nextFrame((frame) => frame.opcode === Opcode.close);
    // 1011 while the engine allocates the declared length; 1009 once it refuses a length it cannot hold.
    expect([1009, 1011]).toContain(closeCodeOf(close));
    const { error, close: event } = await ended;
    expect(error).toBeInstanceOf(KeelError);
    expect(error?.closeCode).toBe(closeCodeOf(close));
    expect(event.wasClean).toBe(false);
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });
});
