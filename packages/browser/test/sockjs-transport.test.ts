// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { loadSockJSModule, type SockJSModule } from '../src/sockjs-loader.js';
import { KeelError } from '@keel/session';
import { BrowserTransportError } from '../src/browser-error.js';
import { sockjsTransport } from '../src/sockjs-transport.js';
import { sockjsUrl } from '../src/sockjs-url.js';
import { FakeSockJS, loadFakeSockJS, RecordingHandlers, settle } from './fakes.js';

// No protocols: the session offers them to SockJS only in-band (in-band-subprotocol.test.ts).
const request = { url: 'wss://example.test:8443/chat?room=1', protocols: [], headers: {} };
let loads = 0;
const load = (): Promise<SockJSModule> => {
  loads += 1;
  return loadFakeSockJS();
};

afterEach(() => {
  FakeSockJS.instances = [];
  loads = 0;
});

describe('sockjsUrl', () => {
  it('maps ws to http and wss to https, keeping host, port, path and query', () => {
    expect(sockjsUrl('ws://localhost:8080/chat')).toBe('http://localhost:8080/chat');
    expect(sockjsUrl('wss://example.test/chat?room=1')).toBe('https://example.test/chat?room=1');
  });
  it('replaces the path when one is configured', () => {
    expect(sockjsUrl('ws://localhost:8080/ws?t=1', '/sockjs/chat')).toBe('http://localhost:8080/sockjs/chat?t=1');
  });
  it('resolves a relative URL against the page', () => {
    expect(sockjsUrl('/chat')).toBe(new URL('/chat', location.href).href);
  });
});

describe('sockjsTransport', () => {
  it('loads the lazy chunk: the real sockjs-client constructor and the connection code', async () => {
    const chunk = await loadSockJSModule();
    expect(typeof chunk.SockJS).toBe('function');
    expect((chunk.SockJS as unknown as { CONNECTING: number }).CONNECTING).toBe(0);
    expect(typeof chunk.openSockJSConnection).toBe('function');
  });

  it('declares a text-only transport without negotiation', () => {
    const transport = sockjsTransport({ load });
    expect(transport.name).toBe('sockjs');
    expect(transport.capabilities).toEqual({
      binary: false,
      protocolPing: false,
      subprotocolNegotiation: false,
      inBandSubprotocols: true,
      customHeaders: false,
    });
  });

  it('loads SockJS lazily, once, and connects to the derived http(s) URL with the given options', async () => {
    const transport = sockjsTransport({ load, path: '/sockjs', sockjs: { transports: ['xhr-polling'] } });
    expect(loads).toBe(0);
    transport.open(request, new RecordingHandlers());
    transport.open(request, new RecordingHandlers());
    await settle();
    expect(loads).toBe(1);
    expect(FakeSockJS.instances.map((s) => s.url)).toEqual([
      'https://example.test:8443/sockjs?room=1',
      'https://example.test:8443/sockjs?room=1',
    ]);
    expect(FakeSockJS.instances[0]!.options).toEqual({ transports: ['xhr-polling'] });
  });

  it('opens with no protocol, passes text both ways', async () => {
    const handlers = new RecordingHandlers();
    const conn = sockjsTransport({ load }).open(request, handlers);
    await settle();
    const sock = FakeSockJS.instances[0]!;
    sock.serverOpen();
    sock.serverMessage('hi');
    conn.send('there');
    expect(handlers.opens).toEqual([{ protocol: '', extensions: '' }]);
    expect(handlers.messages).toEqual(['hi']);
    expect(sock.sent).toEqual(['there']);
  });

  it('rejects binary sends with ERR_BINARY_UNSUPPORTED', async () => {
    const conn = sockjsTransport({ load }).open(request, new RecordingHandlers());
    await settle();
    FakeSockJS.instances[0]!.serverOpen();
    expect(() => conn.send(new Uint8Array([1]))).toThrow(
      expect.objectContaining({ name: 'BrowserTransportError', code: 'ERR_BINARY_UNSUPPORTED' }),
    );
    expect(FakeSockJS.instances[0]!.sent).toEqual([]);
  });

  it('refuses send before open with ERR_INVALID_STATE', async () => {
    const conn = sockjsTransport({ load }).open(request, new RecordingHandlers());
    expect(() => conn.send('early')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_STATE' }));
    await settle();
    expect(() => conn.send('early')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_STATE' }));
  });

  it('reports SockJS failure codes (2000 all transports failed) before open as 1006 with the SockJS code kept', async () => {
    const handlers = new RecordingHandlers();
    sockjsTransport({ load }).open(request, handlers);
    await settle();
    FakeSockJS.instances[0]!.serverClose(2000, 'All transports failed', false);
    expect(handlers.closes).toHaveLength(1);
    expect(handlers.closes[0]).toMatchObject({ code: 1006, beforeOpen: true, wasClean: false });
    expect((handlers.closes[0]!.error as Error).message).toContain('2000');
  });

  it("reports errors from the lazy file as the entry's BrowserTransportError, a KeelError", async () => {
    // The lazy file is handed the class (sockjs-connection.ts) instead of bundling its own copy.
    const handlers = new RecordingHandlers();
    sockjsTransport({ load }).open(request, handlers);
    await settle();
    FakeSockJS.instances[0]!.serverClose(2000, 'All transports failed', false);
    const error = handlers.closes[0]!.error;
    expect(error).toBeInstanceOf(BrowserTransportError);
    expect(error).toBeInstanceOf(KeelError);
    expect(error).toMatchObject({ code: 'ERR_CONNECTION_LOST', closeCode: 1006 });
  });

  it('reports a server close after open with the code a close event may carry, else 1006 with an error', async () => {
    const reported = async (code: number) => {
      const handlers = new RecordingHandlers();
      sockjsTransport({ load }).open(request, handlers);
      await settle();
      FakeSockJS.instances.at(-1)!.serverOpen();
      FakeSockJS.instances.at(-1)!.serverClose(code, 'bye', true);
      return handlers.closes[0]!;
    };
    for (const code of [1000, 1005, 1006, 1011, 1014, 3000, 4999]) {
      expect(await reported(code), `${code}`).toEqual({ code, reason: 'bye', wasClean: true, beforeOpen: false });
    }
    for (const code of [1015, 2000, 5000]) {
      expect(await reported(code), `${code}`).toMatchObject({
        code: 1006,
        error: expect.objectContaining({ code: 'ERR_CONNECTION_LOST' }),
      });
    }
  });

  it('reports a server close after open with its RFC 6455 code', async () => {
    const handlers = new RecordingHandlers();
    sockjsTransport({ load }).open(request, handlers);
    await settle();
    FakeSockJS.instances[0]!.serverOpen();
    FakeSockJS.instances[0]!.serverClose(3000, 'Go away!');
    expect(handlers.closes).toEqual([{ code: 3000, reason: 'Go away!', wasClean: true, beforeOpen: false }]);
  });

  it('close() limits the code as browsers do', async () => {
    const conn = sockjsTransport({ load }).open(request, new RecordingHandlers());
    await settle();
    conn.close(1001, 'bye');
    expect(FakeSockJS.instances[0]!.closeCalls).toEqual([[1000, 'bye']]);
  });

  it('close() while the chunk loads never creates the socket and reports the attempt ended', async () => {
    const handlers = new RecordingHandlers();
    const conn = sockjsTransport({ load }).open(request, handlers);
    conn.close();
    await settle();
    expect(FakeSockJS.instances).toEqual([]);
    expect(handlers.closes).toHaveLength(1);
    expect(handlers.closes[0]).toMatchObject({ code: 1006, beforeOpen: true });
  });

  it('terminate() reports 1006 once and ignores the socket afterwards', async () => {
    const handlers = new RecordingHandlers();
    const conn = sockjsTransport({ load }).open(request, handlers);
    await settle();
    const sock = FakeSockJS.instances[0]!;
    sock.serverOpen();
    conn.terminate();
    sock.serverMessage('late');
    sock.serverClose(1000);
    await settle();
    expect(handlers.messages).toEqual([]);
    expect(handlers.closes).toEqual([{ code: 1006, reason: '', wasClean: false, beforeOpen: false, error: undefined }]);
  });

  it('a chunk that fails to load ends the attempt with ERR_SOCKJS_LOAD, and the next attempt loads again', async () => {
    let calls = 0;
    const flaky = (): Promise<SockJSModule> => (++calls === 1 ? Promise.reject(new Error('offline')) : loadFakeSockJS());
    const transport = sockjsTransport({ load: flaky });
    const first = new RecordingHandlers();
    transport.open(request, first);
    await settle();
    expect(first.closes[0]).toMatchObject({ code: 1006, beforeOpen: true, error: expect.objectContaining({ code: 'ERR_SOCKJS_LOAD' }) });
    transport.open(request, new RecordingHandlers());
    await settle();
    expect(calls).toBe(2);
    expect(FakeSockJS.instances).toHaveLength(1);
  });

  it('a URL that does not parse ends the attempt with ERR_INVALID_URL', async () => {
    const handlers = new RecordingHandlers();
    sockjsTransport({ load }).open({ ...request, url: 'ws://[bad' }, handlers);
    await settle();
    expect(handlers.closes[0]!.error).toMatchObject({ code: 'ERR_INVALID_URL' });
  });
});
