import { afterEach, describe, expect, it } from 'vitest';
import { UsageError, WebSocket, type WebSocketCloseEvent } from '@keel/core';
import { closeCodeOf } from '../conformance/client-frame-reader.js';
import { Opcode, closeFrame, textFrame } from '../conformance/frames.js';
import { startScriptedServer, type ScriptedServer } from '../conformance/scripted-server.js';
import { waitFor } from '../websocket-connectivity/helpers/client.js';

/**
 * Issue 12, crash 1: the server sends Close and keeps TCP open (legal: the client then waits up
 * to closeTimeout for the server's FIN, RFC 6455 §7.1.1). WHATWG: on receiving a Close frame
 * readyState is CLOSING; close() then does nothing; send()/ping()/pong() fail with our own
 * ERR_INVALID_STATE (docs/decisions.md, "Misuse throws"), never with the engine's.
 */

let server: ScriptedServer | null = null;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  server = null;
});

async function openAgainst(extensions?: string): Promise<{ ws: WebSocket; connection: Awaited<ReturnType<ScriptedServer['connection']>> }> {
  server = await startScriptedServer(extensions === undefined ? {} : { extensions });
  const ws = new WebSocket(server.url, undefined, { env: {} });
  sockets.push(ws);
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onclose = (event) => reject(event.error ?? new Error('closed before open'));
  });
  const connection = await server.connection();
  await opened;
  ws.onclose = null;
  return { ws, connection };
}

function stateAfterClose(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    // The server's Close was read once the client echoed it; wait for that echo instead of a delay.
    const check = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) {
        clearInterval(check);
        resolve(ws.readyState);
      }
    }, 5);
    ws.addEventListener('close', () => {
      clearInterval(check);
      resolve(ws.readyState);
    });
  });
}

function expectInvalidState(action: () => void): void {
  let thrown: unknown = null;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UsageError);
  expect((thrown as UsageError).code).toBe('ERR_INVALID_STATE');
  // Our own message (the WebSocket's state), not the engine's "the connection is closing".
  expect((thrown as UsageError).message).toMatch(/the WebSocket is CLOSING/);
}

describe('WebSocket in the closing window (server sent Close, TCP still open)', () => {
  it('readyState becomes CLOSING when the Close frame arrives, before TCP ends', async () => {
    const { ws, connection } = await openAgainst();
    await connection.write(closeFrame(1000, 'bye'));
    const echo = await connection.nextFrame((frame) => frame.opcode === Opcode.close);
    expect(closeCodeOf(echo)).toBe(1000);
    expect(await stateAfterClose(ws)).toBe(WebSocket.CLOSING);
  });

  it('send(), ping() and pong() throw ERR_INVALID_STATE and close() does nothing; the close event is clean once the server ends TCP', async () => {
    const { ws, connection } = await openAgainst();
    const closed = new Promise<WebSocketCloseEvent>((resolve) => ws.addEventListener('close', resolve));
    await connection.write(closeFrame(4001, 'later'));
    await connection.nextFrame((frame) => frame.opcode === Opcode.close);
    expect(await stateAfterClose(ws)).toBe(WebSocket.CLOSING);
    expectInvalidState(() => ws.send('late'));
    expectInvalidState(() => ws.ping());
    expectInvalidState(() => ws.pong());
    expect(() => ws.close(1000, 'mine')).not.toThrow();
    expect(ws.readyState).toBe(WebSocket.CLOSING);
    connection.end();
    const event = await closed;
    expect(event.code).toBe(4001);
    expect(event.reason).toBe('later');
    expect(event.wasClean).toBe(true);
    expect(ws.readyState).toBe(WebSocket.CLOSED);
    // Only the echo of the server's Close went out: no data, ping, pong or second Close.
    expect(connection.frames.map((frame) => frame.opcode)).toEqual([Opcode.close]);
  });

  it('a message listener that sends in reply to a message read together with the Close sees CLOSING and a typed error', async () => {
    const { ws, connection } = await openAgainst();
    const seen: Array<{ state: number; error: unknown }> = [];
    ws.onmessage = () => {
      const state = ws.readyState;
      let error: unknown = null;
      try {
        ws.send('reply');
      } catch (thrown) {
        error = thrown;
      }
      seen.push({ state, error });
    };
    const closed = new Promise<WebSocketCloseEvent>((resolve) => ws.addEventListener('close', resolve));
    await connection.writeTogether(textFrame('last words'), closeFrame(1000));
    await connection.nextFrame((frame) => frame.opcode === Opcode.close);
    connection.end();
    expect((await closed).wasClean).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.state).toBe(WebSocket.CLOSING);
    expect((seen[0]?.error as UsageError).code).toBe('ERR_INVALID_STATE');
    expect(connection.frames.map((frame) => frame.opcode)).toEqual([Opcode.close]);
  });

  it('a compressed message still being compressed when the Close arrives is dropped, and the close stays clean', async () => {
    const { ws, connection } = await openAgainst('permessage-deflate');
    const closed = new Promise<WebSocketCloseEvent>((resolve) => ws.addEventListener('close', resolve));
    // 8 MiB to compress: zlib's thread pool is busy for far longer than the Close takes to arrive.
    ws.send(Buffer.alloc(8 * 1024 * 1024, 'keel '));
    await connection.write(closeFrame(1001, 'going'));
    await connection.nextFrame((frame) => frame.opcode === Opcode.close);
    // TCP stays open until the compression is over and the message left the queue.
    expect(await waitFor(() => ws.bufferedAmount === 0 || ws.readyState === WebSocket.CLOSED)).toBe(true);
    connection.end();
    const event = await closed;
    expect(event.error).toBeNull();
    expect(event.wasClean).toBe(true);
    expect(event.code).toBe(1001);
    expect(connection.frames.map((frame) => frame.opcode)).toEqual([Opcode.close]);
  });
});
