import { it } from 'vitest';
import type { ClientFactory } from './client-under-test.js';
import { runCase, type ConformanceCase, type ExpectedMessage } from './conformance-case.js';
import { splitAt } from './frames.js';
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
  more: Omit<ConformanceCase, 'name' | 'writes' | 'expect'> & {
    messages?: readonly ExpectedMessage[];
    pongs?: readonly Uint8Array[];
    echoes?: readonly ExpectedMessage[];
    probe?: boolean;
  } = {},
): ConformanceCase => {
  const { messages, pongs, echoes, probe, ...rest } = more;
  return {
    name,
    writes,
    ...rest,
    expect: {
      outcome: 'fail',
      closeCode,
      error,
      ...(messages ? { messages } : {}),
      ...(pongs ? { pongs } : {}),
      ...(echoes ? { echoes } : {}),
      ...(probe === undefined ? {} : { probe }),
    },
  };
};

/**
 * Issue 16: `bytes` hold the text message `message`, then a protocol error (1002, `error`). A
 * client that echoes every message must write the echo before its Close: delivered as if the
 * error had not yet arrived. As one write, and split into two writes after every byte.
 */
export const echoBeforeFailure = (name: string, bytes: Buffer, message: string, error: string): ConformanceCase[] => {
  const expected = { messages: [text(message)], echoes: [text(message)] };
  return [
    fails(`${name}, in one write: the echo precedes the Close`, [bytes], 1002, error, expected),
    ...Array.from({ length: bytes.length - 1 }, (_, index) =>
      fails(`${name}, split after byte ${index + 1}: the echo precedes the Close`, splitAt(bytes, [index + 1]), 1002, error, expected),
    ),
  ];
};
