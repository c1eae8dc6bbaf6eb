import { Blob } from 'node:buffer';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError, WebSocket } from '@keel/core';
import { startWsPeer, type WsPeer } from '../interop/ws-server.js';

/**
 * WHATWG send(data): data is converted to (BufferSource or Blob or USVString) before the method's
 * steps run (WebIDL), so a value of another type is a TypeError whatever the readyState. Keel
 * throws its own UsageError with code ERR_INVALID_ARGUMENT (issue 13 item 4), not ERR_INVALID_STATE.
 */

let peer: WsPeer | null = null;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await peer?.close();
  peer = null;
});

async function openSocket(): Promise<WebSocket> {
  peer = await startWsPeer();
  const ws = new WebSocket(peer.url, undefined, { env: {} });
  sockets.push(ws);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onclose = (event) => reject(event.error ?? new Error('closed before open'));
  });
  ws.onclose = null;
  return ws;
}

function thrownBy(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return null;
}

describe('WebSocket.send() arguments', () => {
  it.each([
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['a plain object', { data: 'x' }],
  ])('rejects %s on an open socket with UsageError ERR_INVALID_ARGUMENT', async (_name, value) => {
    const ws = await openSocket();
    const error = thrownBy(() => ws.send(value as unknown as string));
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  it('checks the argument before the state: a bad argument while connecting is ERR_INVALID_ARGUMENT', async () => {
    peer = await startWsPeer();
    const ws = new WebSocket(peer.url, undefined, { env: {} });
    sockets.push(ws);
    expect(thrownBy(() => ws.send(42 as unknown as string))).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(thrownBy(() => ws.send('fine'))).toMatchObject({ code: 'ERR_INVALID_STATE' });
  });

  it('still sends every accepted type after a rejected call', async () => {
    const ws = await openSocket();
    const server = await (peer as WsPeer).connection();
    const received: string[] = [];
    const all = new Promise<void>((resolve) => {
      server.on('message', (data, binary) => {
        received.push(`${binary ? 'binary' : 'text'}:${Buffer.from(data as Buffer).toString()}`);
        if (received.length === 4) resolve();
      });
    });
    thrownBy(() => ws.send(42 as unknown as string));
    ws.send('text');
    ws.send(new TextEncoder().encode('view'));
    ws.send(new TextEncoder().encode('buffer').buffer);
    ws.send(new Blob(['blob']));
    await all;
    expect(received).toEqual(['text:text', 'binary:view', 'binary:buffer', 'binary:blob']);
  });
});
