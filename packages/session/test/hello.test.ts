import { describe, expect, it } from 'vitest';
import { parseHello } from '../src/hello.js';

describe('parseHello (docs/heartbeat-opt-in.md)', () => {
  it('reads the features of a keel:hello, ignoring other fields and non-string features', () => {
    expect(parseHello('{"type":"keel:hello","features":["heartbeat"]}')).toEqual({ features: ['heartbeat'] });
    expect(parseHello('{"features":["resume",7,"heartbeat"],"type":"keel:hello","server":"x"}')).toEqual({
      features: ['resume', 'heartbeat'],
    });
    expect(parseHello('{"type":"keel:hello"}')).toEqual({ features: [] });
  });

  it('is undefined for anything else: other types, arrays, bad JSON, binary', () => {
    for (const message of ['{"type":"hello"}', '["keel:hello"]', '{"type":"keel:hello"', 'keel:hello', '{"type":["keel:hello"]}']) {
      expect(parseHello(message)).toBeUndefined();
    }
    expect(parseHello(new TextEncoder().encode('{"type":"keel:hello"}'))).toBeUndefined();
  });
});
