import { describe, expect, it } from 'vitest';
import { classify, classifyCloseCode, classifyStatus, defaultClassifier } from '../src/classifier.js';
import type { TransportCloseInfo } from '../src/transport.js';

const closed = (code: number): TransportCloseInfo => ({ code, reason: '', wasClean: true, beforeOpen: false });
const handshake = (status: number): TransportCloseInfo => ({ code: 1006, reason: '', wasClean: false, beforeOpen: true, status });

describe('default classifier', () => {
  it.each([1000, 1008, 4000, 4001, 4499])('stops on close code %i', (code) => {
    expect(defaultClassifier(closed(code))).toBe('stop');
  });

  it.each([1001, 1002, 1005, 1006, 1007, 1009, 1011, 1012, 1013, 1014, 3000, 4500, 4999])('retries on close code %i', (code) => {
    expect(defaultClassifier(closed(code))).toBe('retry');
  });

  it.each([400, 404, 410, 426, 499])('stops on handshake status %i', (status) => {
    expect(defaultClassifier(handshake(status))).toBe('stop');
  });

  it.each([408, 429, 500, 502, 503, 504])('retries on handshake status %i', (status) => {
    expect(defaultClassifier(handshake(status))).toBe('retry');
  });

  it.each([401, 403])('refreshes credentials on %i', (status) => {
    expect(defaultClassifier(handshake(status))).toBe('refresh');
  });

  it('retries network errors before open (ECONNREFUSED, ERR_CONNECT, timeouts)', () => {
    for (const code of ['ECONNREFUSED', 'ERR_CONNECT', 'ERR_HANDSHAKE_TIMEOUT', 'ERR_CONNECTION_LOST']) {
      const error = Object.assign(new Error('x'), { code });
      expect(defaultClassifier({ ...handshake(0), status: undefined, error })).toBe('retry');
    }
  });

  it('stops on errors that retrying cannot fix (bad input, unoffered subprotocol)', () => {
    for (const code of ['ERR_INVALID_URL', 'ERR_INVALID_HEADER', 'ERR_HANDSHAKE_SUBPROTOCOL', 'ERR_SUBPROTOCOL_UNSUPPORTED']) {
      const error = Object.assign(new Error('x'), { code });
      expect(defaultClassifier({ code: 1006, reason: '', wasClean: false, beforeOpen: true, error })).toBe('stop');
    }
  });

  it('exposes the status and close-code rules separately', () => {
    expect(classifyStatus(418)).toBe('stop');
    expect(classifyStatus(503)).toBe('retry');
    expect(classifyCloseCode(4200)).toBe('stop');
    expect(classifyCloseCode(4700)).toBe('retry');
  });
});

describe('classify with an override', () => {
  it('uses the custom decision, and the default where the custom one returns undefined', () => {
    const custom = (info: TransportCloseInfo) => (info.code === 4001 ? 'refresh' : undefined);
    expect(classify(closed(4001), custom)).toBe('refresh');
    expect(classify(closed(4002), custom)).toBe('stop');
    expect(classify(closed(1006), custom)).toBe('retry');
    expect(classify(closed(1006), () => 'stop')).toBe('stop');
  });
});
