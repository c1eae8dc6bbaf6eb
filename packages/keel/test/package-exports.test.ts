import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, consumerApp, keelDir, run } from './consumer.js';

// Which file of the BUILT package each kind of consumer gets, and that it loads and works there.
// Node is run as a child process so that its real resolver (with --conditions) decides.

const probe = `
const k = await import('keel');
console.log(JSON.stringify({ resolved: import.meta.resolve('keel'), WebSocket: typeof k.WebSocket, connect: typeof k.connect, createSession: typeof k.createSession, fallbackTransport: typeof k.fallbackTransport }));
`;
const probeCjs = `
const k = require('keel');
console.log(JSON.stringify({ resolved: require.resolve('keel'), WebSocket: typeof k.WebSocket, connect: typeof k.connect, createSession: typeof k.createSession, fallbackTransport: typeof k.fallbackTransport }));
`;

let app: ReturnType<typeof consumerApp>;
beforeAll(() => {
  assertBuilt();
  app = consumerApp({ 'probe.mjs': probe, 'probe.cjs': probeCjs });
});
afterAll(() => app?.remove());

async function node(args: string[]): Promise<Record<string, string>> {
  const result = await run(process.execPath, args, app.dir);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, string>;
}

const dist = (file: string): string => `file://${join(keelDir, 'dist', file)}`;

describe('keel export conditions (built package)', () => {
  it('Node import gets dist/node.js: connect() over Keel’s own client, its WebSocket, the session', async () => {
    const out = await node(['probe.mjs']);
    expect(out.resolved).toBe(dist('node.js'));
    expect(out).toMatchObject({ connect: 'function', WebSocket: 'function', createSession: 'function', fallbackTransport: 'undefined' });
  });

  it('Node require gets dist/node.cjs, which loads as CommonJS', async () => {
    const out = await node(['probe.cjs']);
    expect(`file://${out.resolved}`).toBe(dist('node.cjs'));
    expect(out).toMatchObject({ connect: 'function', WebSocket: 'function', createSession: 'function', fallbackTransport: 'undefined' });
  });

  it('the browser condition (import) gets dist/browser.js with connect() and the browser transports', async () => {
    const out = await node(['--conditions=browser', 'probe.mjs']);
    expect(out.resolved).toBe(dist('browser.js'));
    expect(out).toMatchObject({ connect: 'function', fallbackTransport: 'function', WebSocket: 'undefined' });
  });

  it('the browser condition (require) gets dist/browser.cjs', async () => {
    const out = await node(['--conditions=browser', 'probe.cjs']);
    expect(`file://${out.resolved}`).toBe(dist('browser.cjs'));
    expect(out).toMatchObject({ connect: 'function', fallbackTransport: 'function' });
  });
});
