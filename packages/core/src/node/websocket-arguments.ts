import { UsageError } from '../protocol/errors.js';
import type { WebSocketOptions } from './websocket-options.js';
import { shownValue } from './shown-value.js';

/**
 * The checks `new WebSocket(url, protocols, options)` makes before anything is sent: each bad
 * argument is a UsageError with a stable code, thrown by the constructor, instead of a TypeError
 * from deep inside or an ERR_INTERNAL from the connection attempt later. The engine checks what
 * goes on the wire (header and subprotocol tokens, RFC 6455 §4.1); this file checks types and
 * ranges of the Node layer's options.
 */

/** The longest delay a Node timer keeps: longer ones fire after 1 ms (with a TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

const noProtocols: readonly string[] = Object.freeze([]);

/** WHATWG `protocols`: a string or a sequence of strings (each a token, checked by the engine). */
export function protocolsArgument(protocols: unknown): readonly string[] {
  if (protocols === undefined) return noProtocols;
  if (typeof protocols === 'string') return [protocols];
  if (Array.isArray(protocols)) return [...(protocols as unknown[])] as string[];
  const hint =
    typeof protocols === 'object' && protocols !== null ? '; options go in the third argument: new WebSocket(url, undefined, options)' : '';
  throw new UsageError('ERR_INVALID_SUBPROTOCOL', `protocols must be a string or an array of strings, got ${shownValue(protocols)}${hint}`);
}

/** The options argument: an object whose fields have the documented types and ranges. */
export function checkOptions(options: unknown): WebSocketOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw invalid(`options must be an object, got ${shownValue(options)}`);
  const checked = options as WebSocketOptions;
  // Sizes and counts: positive, Infinity meaning "no limit" (maxMessageSize is capped later at what Node can hold).
  for (const name of ['maxMessageSize', 'maxFragments', 'maxHandshakeResponseSize'] as const) {
    const value: unknown = checked[name];
    if (value !== undefined && !(typeof value === 'number' && value > 0)) {
      throw invalid(`${name} must be a number > 0 (Infinity for no limit), got ${shownValue(value)}`);
    }
  }
  for (const name of ['handshakeTimeout', 'closeTimeout'] as const) {
    const value: unknown = checked[name];
    if (value !== undefined && !(typeof value === 'number' && value >= 1 && value <= MAX_TIMER_MS)) {
      throw invalid(
        `${name} must be a number of milliseconds from 1 to ${MAX_TIMER_MS} (a Node timer's longest), got ${shownValue(value)}`,
      );
    }
  }
  const { maxRedirects, family } = checked;
  if (maxRedirects !== undefined && !(Number.isInteger(maxRedirects) && maxRedirects >= 0)) {
    throw invalid(`maxRedirects must be an integer ≥ 0, got ${shownValue(maxRedirects)}`);
  }
  for (const name of ['followRedirects', 'allowInsecureRedirect'] as const) {
    const value: unknown = checked[name];
    if (value !== undefined && typeof value !== 'boolean') throw invalid(`${name} must be a boolean, got ${shownValue(value)}`);
  }
  if (family !== undefined && family !== 0 && family !== 4 && family !== 6) {
    throw invalid(`family must be 0, 4 or 6 (any, IPv4 or IPv6), got ${shownValue(family)}`);
  }
  for (const name of ['lookup', 'onDiagnostic'] as const) {
    const value: unknown = checked[name];
    if (value !== undefined && typeof value !== 'function') throw invalid(`${name} must be a function, got ${shownValue(value)}`);
  }
  return checked;
}

function invalid(message: string): UsageError {
  return new UsageError('ERR_INVALID_OPTION', message);
}
