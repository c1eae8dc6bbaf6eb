import { describe, expect, it } from 'vitest';
import { checkSockJSEndpoint, type FetchLike } from '../src/sockjs-evidence.js';
import { infoFetch, ManualClock, settle } from './fakes.js';

describe('checkSockJSEndpoint: evidence that WebSocket is blocked while the server is reachable', () => {
  it('a SockJS endpoint (200, JSON with `websocket`) answered: GET <endpoint>/info, query kept', async () => {
    const atPath = infoFetch('answered');
    expect(await checkSockJSEndpoint('wss://app.test/chat', '/sockjs/chat', new ManualClock(), 1000, atPath)).toBe('answered');
    expect(atPath.requests).toEqual(['cors https://app.test/sockjs/chat/info']);
    const fetch = infoFetch('answered');
    expect(await checkSockJSEndpoint('ws://app.test/chat?room=1', undefined, new ManualClock(), 1000, fetch)).toBe('answered');
    expect(fetch.requests).toEqual(['cors http://app.test/chat/info?room=1']);
  });

  it('a plain server (404 or not SockJS JSON) is missing', async () => {
    expect(await checkSockJSEndpoint('http://app.test/', undefined, new ManualClock(), 1000, infoFetch('missing'))).toBe('missing');
    const json200: FetchLike = async () => ({ ok: true, json: async () => ({ hello: 'world' }) });
    expect(await checkSockJSEndpoint('http://app.test/', undefined, new ManualClock(), 1000, json200)).toBe('missing');
  });

  it('a cross-origin server without CORS headers (cors request fails, no-cors answers) is missing, not unreachable', async () => {
    const requests: string[] = [];
    const fetch: FetchLike = async (url, init) => {
      requests.push(init.mode);
      if (init.mode === 'cors') throw new TypeError('Failed to fetch');
      return { ok: false, json: async () => null };
    };
    expect(await checkSockJSEndpoint('http://other.test/ws', undefined, new ManualClock(), 1000, fetch)).toBe('missing');
    expect(requests).toEqual(['cors', 'no-cors']);
  });

  it('a page without fetch cannot look: its failed upgrades alone are the evidence', async () => {
    const saved = globalThis.fetch;
    // @ts-expect-error: an old browser
    delete globalThis.fetch;
    try {
      expect(await checkSockJSEndpoint('http://app.test/', undefined, new ManualClock(), 1000)).toBe('answered');
    } finally {
      globalThis.fetch = saved;
    }
  });

  it('no answer at all is unreachable (an outage)', async () => {
    expect(await checkSockJSEndpoint('http://app.test/', undefined, new ManualClock(), 1000, infoFetch('unreachable'))).toBe('unreachable');
  });

  it('a request that hangs is aborted after timeoutMs: unreachable, and no timer is left', async () => {
    const clock = new ManualClock();
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        if (init.signal.aborted) reject(new DOMException('aborted', 'AbortError'));
        init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const verdict = checkSockJSEndpoint('http://app.test/', undefined, clock, 1000, hanging);
    await settle();
    clock.advance(1000);
    expect(await verdict).toBe('unreachable');
    expect(clock.pending).toBe(0);
  });
});
