import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { expect, test } from './fixtures.js';

// The bundled server's hello (@keel/server: heartbeat and resume offered), seen on the wire by peers that
// are not Keel: `ws`'s client, and sockjs-client's Node build speaking Keel's in-band exchange by hand.
const require = createRequire(import.meta.url);
const SockJS = require('sockjs-client') as new (url: string) => {
  onopen: (() => void) | null;
  onmessage: ((event: { data: string }) => void) | null;
  send(data: string): void;
  close(): void;
};
const hello = '{"type":"keel:hello","features":["heartbeat","resume"]}';

test('a WebSocket connection gets the hello as its first message, and pings are answered', async ({ server }) => {
  const ws = new WebSocket(`${server.wsUrl}/echo`);
  const received: string[] = [];
  ws.on('message', (data) => received.push(String(data)));
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send('{"type":"ping"}');
  await expect.poll(() => received.length).toBe(2);
  expect(received).toEqual([hello, '{"type":"pong"}']);
  ws.close();
});

test('over SockJS with the in-band subprotocol exchange, the hello comes right after the answer', async ({ server }) => {
  const sock = new SockJS(`${server.url}/chat`);
  const received: string[] = [];
  sock.onmessage = (event) => received.push(event.data);
  await new Promise<void>((resolve) => (sock.onopen = resolve));
  sock.send('{"type":"keel:subprotocol","offer":["keel.chat.v1"]}');
  await expect.poll(() => received.length).toBe(2);
  expect(received).toEqual(['{"type":"keel:subprotocol","selected":"keel.chat.v1"}', hello]);
  sock.close();
});

test('over SockJS without an offer, the hello still comes first (after a short wait for one)', async ({ server }) => {
  const sock = new SockJS(`${server.url}/echo`);
  const received: string[] = [];
  sock.onmessage = (event) => received.push(event.data);
  await new Promise<void>((resolve) => (sock.onopen = resolve));
  await expect.poll(() => received).toEqual([hello]);
  sock.send('echoed');
  await expect.poll(() => received).toEqual([hello, 'echoed']);
  sock.close();
});
