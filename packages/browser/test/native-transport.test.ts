// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { BrowserTransportError } from '../src/browser-error.js';
import { nativeTransport } from '../src/native-transport.js';
import { FakeWebSocket, ManualClock, RecordingHandlers, settle } from './fakes.js';

const request = { url: 'ws://localhost:1/chat', protocols: ['v2', 'v1'], headers: { 'x-ignored': '1' } };

afterEach(() => {
  FakeWebSocket.instances = [];
});

describe('nativeTransport', () => {
  it('declares what a browser WebSocket can do', () => {
    const transport = nativeTransport({ WebSocket: FakeWebSocket });
    expect(transport.name).toBe('websocket');
    expect(transport.capabilities).toEqual({ binary: true, protocolPing: false, subprotocolNegotiation: true, customHeaders: false });
  });

  it('opens with the offered protocols and arraybuffer binaryType, and reports the selected protocol', () => {
    const handlers = new RecordingHandlers();
    nativeTransport({ WebSocket: FakeWebSocket }).open(request, handlers);
    const ws = FakeWebSocket.instances[0]!;
    expect(ws.url).toBe('ws://localhost:1/chat');
    expect(ws.protocols).toEqual(['v2', 'v1']);
    expect(ws.binaryType).toBe('arraybuffer');
    ws.serverOpen('v1');
    expect(handlers.opens).toEqual([{ protocol: 'v1', extensions: '' }]);
  });

  it('offers no protocol list when there is none', () => {
    nativeTransport({ WebSocket: FakeWebSocket }).open({ ...request, protocols: [] }, new RecordingHandlers());
    expect(FakeWebSocket.instances[0]!.protocols).toBeUndefined();
  });

  it('delivers text as string and binary as Uint8Array, and sends both', () => {
    const handlers = new RecordingHandlers();
    const conn = nativeTransport({ WebSocket: FakeWebSocket }).open(request, handlers);
    const ws = FakeWebSocket.instances[0]!;
    ws.serverOpen();
    ws.serverMessage('hello');
    ws.serverMessage(new Uint8Array([1, 2, 3]).buffer);
    expect(handlers.messages[0]).toBe('hello');
    expect(handlers.messages[1]).toBeInstanceOf(Uint8Array);
    expect([...(handlers.messages[1] as Uint8Array)]).toEqual([1, 2, 3]);
    conn.send('out');
    conn.send(new Uint8Array([9]));
    expect(ws.sent).toEqual(['out', new Uint8Array([9])]);
  });

  it('uses the page WebSocket when none is injected', () => {
    const saved = globalThis.WebSocket;
    globalThis.WebSocket = FakeWebSocket as unknown as typeof WebSocket;
    try {
      nativeTransport().open(request, new RecordingHandlers());
      expect(FakeWebSocket.instances).toHaveLength(1);
    } finally {
      globalThis.WebSocket = saved;
    }
  });

  it('reports a failed attempt once, as 1006 before open with ERR_CONNECTION_LOST', () => {
    const handlers = new RecordingHandlers();
    nativeTransport({ WebSocket: FakeWebSocket }).open(request, handlers);
    FakeWebSocket.instances[0]!.fail();
    FakeWebSocket.instances[0]!.serverClose(1006);
    expect(handlers.closes).toHaveLength(1);
    const info = handlers.closes[0]!;
    expect(info).toMatchObject({ code: 1006, wasClean: false, beforeOpen: true });
    expect(info.error).toBeInstanceOf(BrowserTransportError);
    expect((info.error as BrowserTransportError).code).toBe('ERR_CONNECTION_LOST');
  });

  it('reports the server close of an open connection with its code and reason', () => {
    const handlers = new RecordingHandlers();
    nativeTransport({ WebSocket: FakeWebSocket }).open(request, handlers);
    const ws = FakeWebSocket.instances[0]!;
    ws.serverOpen();
    ws.serverClose(4001, 'bye');
    expect(handlers.closes).toEqual([{ code: 4001, reason: 'bye', wasClean: true, beforeOpen: false, error: undefined }]);
  });

  it('reports close code 0 (no status) as 1006', () => {
    const handlers = new RecordingHandlers();
    nativeTransport({ WebSocket: FakeWebSocket }).open(request, handlers);
    FakeWebSocket.instances[0]!.serverOpen();
    FakeWebSocket.instances[0]!.serverClose(0, '', false);
    expect(handlers.closes[0]!.code).toBe(1006);
  });

  it('closes with codes a browser allows: 1000 and 3000–4999 pass, others become 1000, long reasons are cut', () => {
    const conn = nativeTransport({ WebSocket: FakeWebSocket }).open(request, new RecordingHandlers());
    const ws = FakeWebSocket.instances[0]!;
    conn.close(4321, 'app');
    conn.close(1001, 'going away');
    conn.close(1000, 'é'.repeat(100));
    conn.close();
    expect(ws.closeCalls[0]).toEqual([4321, 'app']);
    expect(ws.closeCalls[1]).toEqual([1000, 'going away']);
    expect(new TextEncoder().encode(ws.closeCalls[2]![1]).length).toBe(122);
    expect(ws.closeCalls[3]).toEqual([undefined, undefined]);
  });

  it('terminate() closes the socket, ignores its later events, and reports 1006 once', async () => {
    const handlers = new RecordingHandlers();
    const conn = nativeTransport({ WebSocket: FakeWebSocket }).open(request, handlers);
    const ws = FakeWebSocket.instances[0]!;
    ws.serverOpen();
    conn.terminate();
    ws.serverMessage('late');
    await settle();
    expect(ws.closeCalls).toHaveLength(1);
    expect(handlers.messages).toEqual([]);
    expect(handlers.closes).toEqual([{ code: 1006, reason: '', wasClean: false, beforeOpen: false, error: undefined }]);
    expect(() => conn.send('x')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_STATE' }));
  });

  it('a URL the constructor refuses ends the attempt with ERR_INVALID_URL, after open() returned', async () => {
    const handlers = new RecordingHandlers();
    nativeTransport({ WebSocket: FakeWebSocket }).open({ ...request, url: 'bad:' }, handlers);
    expect(handlers.closes).toEqual([]);
    await settle();
    expect(handlers.closes).toHaveLength(1);
    expect(handlers.closes[0]).toMatchObject({ code: 1006, beforeOpen: true, error: expect.objectContaining({ code: 'ERR_INVALID_URL' }) });
  });

  it('a page without WebSocket ends the attempt with ERR_WEBSOCKET_UNAVAILABLE', async () => {
    const saved = globalThis.WebSocket;
    // @ts-expect-error: simulating an old browser
    delete globalThis.WebSocket;
    try {
      const handlers = new RecordingHandlers();
      nativeTransport().open(request, handlers);
      await settle();
      expect(handlers.closes[0]!.error).toMatchObject({ code: 'ERR_WEBSOCKET_UNAVAILABLE' });
    } finally {
      globalThis.WebSocket = saved;
    }
  });

  it('abandons a connection not open within openTimeoutMs: ERR_OPEN_TIMEOUT, socket closed, reported once', async () => {
    const clock = new ManualClock();
    const handlers = new RecordingHandlers();
    nativeTransport({ WebSocket: FakeWebSocket, openTimeoutMs: 5000, clock }).open(request, handlers);
    const ws = FakeWebSocket.instances[0]!;
    clock.advance(4999);
    expect(ws.closeCalls).toEqual([]);
    clock.advance(1);
    expect(ws.closeCalls).toEqual([[undefined, undefined]]);
    ws.serverOpen();
    ws.serverClose(1006, '', false);
    await settle();
    expect(handlers.opens).toEqual([]);
    expect(handlers.closes).toHaveLength(1);
    expect(handlers.closes[0]).toMatchObject({
      code: 1006,
      beforeOpen: true,
      error: expect.objectContaining({ code: 'ERR_OPEN_TIMEOUT' }),
    });
  });

  it('an open in time stops the open timer', () => {
    const clock = new ManualClock();
    const handlers = new RecordingHandlers();
    nativeTransport({ WebSocket: FakeWebSocket, openTimeoutMs: 5000, clock }).open(request, handlers);
    FakeWebSocket.instances[0]!.serverOpen();
    expect(clock.pending).toBe(0);
    clock.advance(10_000);
    expect(FakeWebSocket.instances[0]!.closeCalls).toEqual([]);
    expect(handlers.closes).toEqual([]);
  });

  it("a connection the caller closes before it opens ends without an error (the browser's error event is the caller's doing)", () => {
    const clock = new ManualClock();
    const handlers = new RecordingHandlers();
    const conn = nativeTransport({ WebSocket: FakeWebSocket, openTimeoutMs: 5000, clock }).open(request, handlers);
    conn.close(1000, 'bye');
    expect(clock.pending).toBe(0);
    FakeWebSocket.instances[0]!.fail();
    expect(handlers.closes).toEqual([{ code: 1006, reason: '', wasClean: false, beforeOpen: true, error: undefined }]);
  });

  it('a refused connection ends with ERR_CONNECTION_LOST (a failed open)', () => {
    const handlers = new RecordingHandlers();
    nativeTransport({ WebSocket: FakeWebSocket }).open(request, handlers);
    FakeWebSocket.instances[0]!.fail();
    expect(handlers.closes[0]).toMatchObject({
      code: 1006,
      beforeOpen: true,
      error: expect.objectContaining({ code: 'ERR_CONNECTION_LOST', message: 'connect failed' }),
    });
  });

  it('reports bufferedAmount from the socket', () => {
    const conn = nativeTransport({ WebSocket: FakeWebSocket }).open(request, new RecordingHandlers());
    FakeWebSocket.instances[0]!.bufferedAmount = 42;
    expect(conn.bufferedAmount).toBe(42);
  });
});

describe('browserCloseArgs', () => {
  it('sends codes a browser forbids as 1000 and cuts the reason to 123 UTF-8 bytes on a code point boundary', async () => {
    const { browserCloseArgs } = await import('../src/browser-close.js');
    expect(browserCloseArgs(4000, 'bye')).toEqual({ code: 4000, reason: 'bye' });
    expect(browserCloseArgs(1001, 'going away')).toEqual({ code: 1000, reason: 'going away' });
    expect(browserCloseArgs(1000, '\u{1f600}'.repeat(40))).toEqual({ code: 1000, reason: '\u{1f600}'.repeat(30) });
    expect(browserCloseArgs(undefined, 'ignored')).toEqual({ code: undefined, reason: undefined });
  });
});
