import { afterEach, describe, expect, it } from 'vitest';
import { UsageError, WebSocket, type WebSocketOptions } from '@keel/core';

/**
 * `new WebSocket(url, protocols, options)` checks its arguments before anything is sent, and a bad
 * one is a UsageError with a stable code, thrown by the constructor — never a TypeError from deep
 * inside, nor an ERR_INTERNAL later from the connection attempt (issue 13: every bad input gets a
 * clear, typed error). Nothing listens on port 9 of 127.0.0.1 here: constructions that pass are
 * terminated at once.
 */

const url = 'ws://127.0.0.1:9/';
const created: WebSocket[] = [];
afterEach(() => {
  for (const ws of created.splice(0)) {
    ws.onerror = null;
    ws.terminate();
  }
});

function construct(protocols: unknown, options?: unknown): unknown {
  try {
    created.push(new WebSocket(url, protocols as string[], options as WebSocketOptions));
    return null;
  } catch (error) {
    return error;
  }
}

function expectUsageError(error: unknown, code: string, message: RegExp): void {
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).code).toBe(code);
  expect((error as UsageError).message).toMatch(message);
}

describe('new WebSocket(url, protocols, options): the protocols argument', () => {
  it("options given in protocols' place (ws's two-argument form) is refused with a hint, not 'protocols is not iterable'", () => {
    expectUsageError(construct({ maxRedirects: 2 }), 'ERR_INVALID_SUBPROTOCOL', /string or an array of strings.*third argument/);
  });

  it.each([[42], [null], [true]])('protocols %j is refused as ERR_INVALID_SUBPROTOCOL', (protocols) => {
    expectUsageError(construct(protocols), 'ERR_INVALID_SUBPROTOCOL', /string or an array of strings/);
  });

  it('a string, an array and undefined are accepted', () => {
    expect([construct('chat'), construct(['chat', 'superchat']), construct(undefined)]).toEqual([null, null, null]);
  });
});

describe('new WebSocket(url, protocols, options): the options argument', () => {
  it.each([['fast'], [42], [null]])('options %j is refused as ERR_INVALID_OPTION', (options) => {
    expectUsageError(construct(undefined, options), 'ERR_INVALID_OPTION', /options must be an object/);
  });

  it.each([
    ['maxMessageSize', 0],
    ['maxMessageSize', -1],
    ['maxMessageSize', Number.NaN],
    ['maxMessageSize', '1024'],
    ['maxFragments', 0],
    ['maxHandshakeResponseSize', -5],
  ])('%s: %j is refused (a positive number of bytes or fragments, Infinity allowed)', (name, value) => {
    expectUsageError(construct(undefined, { [name]: value }), 'ERR_INVALID_OPTION', new RegExp(`^${name} must be`));
  });

  it.each([
    ['handshakeTimeout', Number.POSITIVE_INFINITY],
    ['handshakeTimeout', 0],
    ['closeTimeout', Number.POSITIVE_INFINITY],
    ['closeTimeout', 2 ** 31],
    ['closeTimeout', -1],
  ])('%s: %j is refused (milliseconds from 1 to 2,147,483,647: a Node timer cannot wait longer)', (name, value) => {
    expectUsageError(construct(undefined, { [name]: value }), 'ERR_INVALID_OPTION', new RegExp(`^${name} must be .*milliseconds`));
  });

  it.each([[-1], [1.5], ['3'], [Number.NaN]])('maxRedirects: %j is refused at construction, not at the first redirect', (value) => {
    expectUsageError(construct(undefined, { maxRedirects: value }), 'ERR_INVALID_OPTION', /^maxRedirects must be an integer ≥ 0/);
  });

  it.each([
    ['followRedirects', 'yes'],
    ['allowInsecureRedirect', 1],
  ])('%s: %j is refused (a boolean)', (name, value) => {
    expectUsageError(construct(undefined, { [name]: value }), 'ERR_INVALID_OPTION', new RegExp(`^${name} must be a boolean`));
  });

  it.each([[5], ['4']])('family: %j is refused (0, 4 or 6)', (value) => {
    expectUsageError(construct(undefined, { family: value }), 'ERR_INVALID_OPTION', /^family must be 0, 4 or 6/);
  });

  it.each([
    ['lookup', 'dns'],
    ['onDiagnostic', {}],
  ])('%s: %j is refused (a function)', (name, value) => {
    expectUsageError(construct(undefined, { [name]: value }), 'ERR_INVALID_OPTION', new RegExp(`^${name} must be a function`));
  });

  it('the limits and timeouts at their bounds are accepted', () => {
    const accepted = construct(undefined, {
      maxMessageSize: Number.POSITIVE_INFINITY,
      maxFragments: Number.POSITIVE_INFINITY,
      maxHandshakeResponseSize: 1,
      handshakeTimeout: 2 ** 31 - 1,
      closeTimeout: 1,
      maxRedirects: 0,
      followRedirects: false,
      family: 6,
    });
    expect(accepted).toBeNull();
  });
});
