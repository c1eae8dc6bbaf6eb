// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { inBandOffer, parseInBandAnswer } from '../src/in-band-subprotocol.js';
import { sockjsTransport } from '../src/sockjs-transport.js';
import { FakeSockJS, loadFakeSockJS, ManualClock, RecordingHandlers, settle } from './fakes.js';

// The session passes protocols to SockJS only under subprotocolFallback: 'in-band'.
const request = { url: 'ws://app.test/chat', protocols: ['chat.v2', 'chat.v1'], headers: {} };

afterEach(() => {
  FakeSockJS.instances = [];
});

async function openInBand(inBandTimeoutMs?: number) {
  const clock = new ManualClock();
  const handlers = new RecordingHandlers();
  const conn = sockjsTransport({ load: loadFakeSockJS, clock, inBandTimeoutMs }).open(request, handlers);
  await settle();
  const sock = FakeSockJS.instances[0]!;
  sock.serverOpen();
  return { clock, handlers, conn, sock };
}

describe('in-band subprotocol messages', () => {
  it('offers the protocols in preference order', () => {
    expect(JSON.parse(inBandOffer(['a', 'b']))).toEqual({ type: 'keel:subprotocol', offer: ['a', 'b'] });
  });
  it('reads an answer: the selection, null or "" for none; anything else is not an answer', () => {
    expect(parseInBandAnswer('{"type":"keel:subprotocol","selected":"a"}')).toBe('a');
    expect(parseInBandAnswer('{"type":"keel:subprotocol","selected":null}')).toBe('');
    expect(parseInBandAnswer('{"type":"keel:subprotocol","selected":""}')).toBe('');
    expect(parseInBandAnswer('{"type":"keel:subprotocol"}')).toBe('');
    expect(parseInBandAnswer('{"type":"keel:subprotocol","selected":7}')).toBeUndefined();
    expect(parseInBandAnswer('{"type":"chat","selected":"a"}')).toBeUndefined();
    expect(parseInBandAnswer('null')).toBeUndefined();
    expect(parseInBandAnswer('not json')).toBeUndefined();
  });
});

describe('SockJS in-band subprotocol negotiation', () => {
  it('sends the offer first and opens for the session only with the answer, then passes messages', async () => {
    const { handlers, conn, sock, clock } = await openInBand();
    expect(sock.sent).toEqual([inBandOffer(['chat.v2', 'chat.v1'])]);
    expect(handlers.opens).toEqual([]);
    expect(clock.pending).toBe(1);
    sock.serverMessage('{"type":"keel:subprotocol","selected":"chat.v1"}');
    expect(handlers.opens).toEqual([{ protocol: 'chat.v1', extensions: '' }]);
    expect(clock.pending).toBe(0);
    sock.serverMessage('hello');
    conn.send('out');
    expect(handlers.messages).toEqual(['hello']);
    expect(sock.sent.at(-1)).toBe('out');
  });

  it("passes the server's hello that follows the answer through as the first ordinary message", async () => {
    const { handlers, sock } = await openInBand();
    sock.serverMessage('{"type":"keel:subprotocol","selected":"chat.v1"}');
    sock.serverMessage('{"type":"keel:hello","features":["heartbeat"]}');
    expect(handlers.messages).toEqual(['{"type":"keel:hello","features":["heartbeat"]}']);
  });

  it('holds a hello that overtook the answer and delivers it right after the open', async () => {
    const { handlers, sock } = await openInBand();
    sock.serverMessage('{"type":"keel:hello","features":["heartbeat"]}');
    expect(handlers.opens).toEqual([]);
    expect(handlers.closes).toEqual([]);
    sock.serverMessage('{"type":"keel:subprotocol","selected":"chat.v2"}');
    sock.serverMessage('next');
    expect(handlers.opens).toEqual([{ protocol: 'chat.v2', extensions: '' }]);
    expect(handlers.messages).toEqual(['{"type":"keel:hello","features":["heartbeat"]}', 'next']);
  });

  it('reports the server choosing none as protocol ""', async () => {
    const { handlers, sock } = await openInBand();
    sock.serverMessage('{"type":"keel:subprotocol","selected":null}');
    expect(handlers.opens).toEqual([{ protocol: '', extensions: '' }]);
  });

  it('fails the attempt with ERR_SUBPROTOCOL_MISMATCH when no answer comes within inBandTimeoutMs', async () => {
    const { handlers, sock, clock } = await openInBand(300);
    clock.advance(299);
    expect(handlers.closes).toEqual([]);
    clock.advance(1);
    await settle();
    expect(sock.closeCalls).toHaveLength(1);
    expect(handlers.opens).toEqual([]);
    expect(handlers.closes).toHaveLength(1);
    expect(handlers.closes[0]).toMatchObject({
      code: 1006,
      beforeOpen: true,
      error: expect.objectContaining({ name: 'BrowserTransportError', code: 'ERR_SUBPROTOCOL_MISMATCH' }),
    });
  });

  it('fails the attempt when the first message is not an answer, and delivers nothing', async () => {
    const { handlers, sock, clock } = await openInBand();
    sock.serverMessage('{"type":"chat","text":"hi"}');
    await settle();
    expect(handlers.messages).toEqual([]);
    expect(clock.pending).toBe(0);
    expect(handlers.closes[0]).toMatchObject({
      beforeOpen: true,
      error: expect.objectContaining({ code: 'ERR_SUBPROTOCOL_MISMATCH', message: 'expected in-band subprotocol answer' }),
    });
  });

  it('a SockJS close before the answer is a failed open', async () => {
    const { handlers, sock, clock } = await openInBand();
    sock.serverClose(3000, 'go away');
    expect(clock.pending).toBe(0);
    expect(handlers.closes).toEqual([{ code: 3000, reason: 'go away', wasClean: true, beforeOpen: true, error: undefined }]);
  });

  it('sends no offer when no protocols are asked for', async () => {
    const handlers = new RecordingHandlers();
    sockjsTransport({ load: loadFakeSockJS }).open({ ...request, protocols: [] }, handlers);
    await settle();
    FakeSockJS.instances[0]!.serverOpen();
    expect(FakeSockJS.instances[0]!.sent).toEqual([]);
    expect(handlers.opens).toEqual([{ protocol: '', extensions: '' }]);
  });
});
