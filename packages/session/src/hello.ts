import type { TransportMessage } from './transport.js';

/**
 * The opt-in a Keel-aware server sends as the FIRST message of every connection
 * (docs/heartbeat-opt-in.md): `{"type":"keel:hello","features":["heartbeat"]}`. Other fields and
 * features may be added later and are ignored.
 */
export interface Hello {
  /** What the server speaks; "heartbeat": it answers `{"type":"ping"}` with `{"type":"pong"}`. */
  readonly features: readonly string[];
}

/** The hello in `message`, or undefined when it is anything else (then it is an ordinary message). */
export function parseHello(message: TransportMessage): Hello | undefined {
  // Cheap test first: most first messages are not hellos and may be large.
  if (typeof message !== 'string' || !message.startsWith('{') || !message.includes('keel:hello')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  // null, numbers, strings and arrays have no `type` of "keel:hello" either.
  const { type, features } = (value ?? {}) as { type?: unknown; features?: unknown };
  if (type !== 'keel:hello') return undefined;
  return { features: Array.isArray(features) ? features.filter((f): f is string => typeof f === 'string') : [] };
}
