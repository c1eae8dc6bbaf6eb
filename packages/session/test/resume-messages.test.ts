import { describe, expect, it } from 'vitest';
import { encodeControl, escapeApplication, parseControl } from '../src/resume-messages.js';

describe('resume protocol messages (docs/resume-protocol.md)', () => {
  it('round-trips every control message', () => {
    const messages = [
      { type: 'keel:resume', session: null, received: 0, from: 1 },
      { type: 'keel:resume', session: 'abc', received: 41, from: 37 },
      { type: 'keel:resumed', session: 'abc', resumed: true, received: 38 },
      { type: 'keel:resumed', session: 'new', resumed: false, reason: 'expired', received: 35, sent: 52 },
      { type: 'keel:resumed', session: 'new', resumed: false, reason: 'unknown-session', received: null, sent: null },
      { type: 'keel:ack', received: 1200 },
      { type: 'keel:app', data: '{"type":"keel:ack","received":1}' },
    ] as const;
    for (const message of messages) expect(parseControl(encodeControl(message))).toEqual(message);
  });

  it('is not a control message: application texts, binary, malformed or out-of-range control texts', () => {
    for (const text of [
      'hello',
      '{"type":"chat"}',
      '{"type":"keel:ack","received":-1}',
      '{"type":"keel:ack","received":1.5}',
      '{"type":"keel:ack"',
      '{"type":"keel:resume","session":1,"received":0,"from":1}',
      '{"type":"keel:resume","session":null,"received":0,"from":0}',
      '{"type":"keel:resumed","session":"a","resumed":false,"reason":"other","received":null,"sent":null}',
      '{"type":"keel:later-extension"}',
      ' {"type":"keel:ack","received":1}',
    ]) {
      expect(parseControl(text), text).toBeUndefined();
    }
    expect(parseControl(new TextEncoder().encode('{"type":"keel:ack","received":1}'))).toBeUndefined();
  });

  it('escapes application texts that look like control messages or heartbeats, and nothing else', () => {
    for (const text of ['{"type":"keel:ack","received":1}', '{"type":"keel:anything', '{"type":"ping"}', '{"type":"pong"}']) {
      const escaped = escapeApplication(text);
      expect(parseControl(escaped)).toEqual({ type: 'keel:app', data: text });
    }
    const bytes = new Uint8Array([1]);
    for (const message of ['hello', '{"type":"ping","id":1}', ' {"type":"keel:ack"}', bytes])
      expect(escapeApplication(message)).toBe(message);
  });
});
