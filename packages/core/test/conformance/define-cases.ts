import { it } from 'vitest';
import type { ClientFactory } from './client-under-test.js';
import { runCase, type ConformanceCase, type ExpectedMessage } from './conformance-case.js';
import { wsClient } from './ws-client.js';

/**
 * The client the tables run against: Keel (strict: its error codes and close events are checked
 * too). `KEEL_CONFORMANCE_CLIENT=ws` runs the same tables against `ws` instead, checking only
 * what goes over the wire, to tell a wrong expectation from a Keel bug.
 */
export const againstWs = process.env['KEEL_CONFORMANCE_CLIENT'] === 'ws';
export const factory: ClientFactory = againstWs ? wsClient : (await import('./keel-client.js')).keelClient;

/** One `it` per case. */
export function defineCases(cases: readonly ConformanceCase[]): void {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      await runCase(factory, testCase, { strict: !againstWs });
    });
  }
}

export const text = (value: string): ExpectedMessage => ({ text: value });
export const binary = (value: Uint8Array): ExpectedMessage => ({ binary: value });

/** A case the client must accept, delivering `messages`. */
export const accepts = (
  name: string,
  writes: readonly Buffer[],
  messages: readonly ExpectedMessage[],
  more: Omit<ConformanceCase, 'name' | 'writes' | 'expect'> & { pongs?: readonly Uint8Array[] } = {},
): ConformanceCase => {
  const { pongs, ...rest } = more;
  return { name, writes, ...rest, expect: { outcome: 'accept', messages, ...(pongs ? { pongs } : {}) } };
};

/** A case the client must fail with Close(`closeCode`) and error `error`. */
export const fails = (
  name: string,
  writes: readonly Buffer[],
  closeCode: number,
  error: string,
  more: Omit<ConformanceCase, 'name' | 'writes' | 'expect'> & { messages?: readonly ExpectedMessage[]; pongs?: readonly Uint8Array[]; probe?: boolean } = {},
): ConformanceCase => {
  const { messages, pongs, probe, ...rest } = more;
  return {
    name,
    writes,
    ...rest,
    expect: { outcome: 'fail', closeCode, error, ...(messages ? { messages } : {}), ...(pongs ? { pongs } : {}), ...(probe === undefined ? {} : { probe }) },
  };
};
