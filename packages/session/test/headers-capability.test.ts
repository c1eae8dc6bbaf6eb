import { describe, expect, it } from 'vitest';
import { createSession } from '../src/session.js';
import { FakeTransport, settle } from './helpers/fake-transport.js';

// Options a transport cannot honour are refused, never silently ignored (issue 11 #5): browsers'
// WebSocket and SockJS cannot send handshake headers (their capability customHeaders is false).
describe('headers and the transport’s customHeaders capability', () => {
  it('refuses headers with ERR_INVALID_OPTION when the transport cannot send them', () => {
    const transport = new FakeTransport({ customHeaders: false }, 'websocket');
    const create = () => createSession({ url: 'ws://example.test/', transport, headers: { Authorization: 'Bearer t' } });
    expect(create).toThrow(
      expect.objectContaining({
        name: 'SessionError',
        code: 'ERR_INVALID_OPTION',
        message: 'headers must be left out: the websocket transport cannot send them',
      }),
    );
    // A header function is refused the same way, before it is ever called.
    let called = false;
    const headers = () => {
      called = true;
      return {};
    };
    expect(() => createSession({ url: 'ws://example.test/', transport, headers })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
    expect(called).toBe(false);
  });

  it('accepts headers when the transport sends them (Node)', async () => {
    const transport = new FakeTransport({ customHeaders: true });
    const session = createSession({ url: 'ws://example.test/', transport, headers: { Authorization: 'Bearer t' }, heartbeat: false });
    await settle();
    expect(transport.last.request.headers).toEqual({ Authorization: 'Bearer t' });
    await session.close();
  });
});
