import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, consumerApp, run, tscBin } from './consumer.js';

// A consumer's TypeScript resolves keel's bundled declarations through the export conditions:
// moduleResolution "bundler" takes the default (browser) types, "nodenext" the node types.
const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node'] };

const browserGood = `
import { connect, type Session, type SessionCloseInfo } from 'keel';
const session: Session = connect('wss://example.test/chat', { protocols: ['v1'], fallback: { reprobeIntervalMs: 60_000 }, heartbeat: { interval: 20_000 } });
const result: 'sent' | 'queued' | 'dropped' = session.send('hello');
session.on('open', (info) => console.log(info.transport, info.protocol, result));
session.close(1000).then((info: SessionCloseInfo) => console.log(info.unsent.length));
`;
const browserBad = `
import { connect } from 'keel';
connect(42);
`;
const nodeGood = `
import { connect, WebSocket, createSession, type KeelError, type Session } from 'keel';
const session: Session = connect('wss://example.test/feed', { websocket: { handshakeTimeout: 5000 }, reconnect: { maxDelay: 10_000 } });
session.on('rtt', (ms: number) => console.log(ms));
const ws = new WebSocket('ws://127.0.0.1:1/');
ws.binaryType = 'arraybuffer';
const check = (error: KeelError): string => error.code;
console.log(typeof createSession, check);
`;

let app: ReturnType<typeof consumerApp>;
beforeAll(() => {
  assertBuilt();
  app = consumerApp({
    'package.json': JSON.stringify({ name: 'consumer', type: 'module' }),
    'browser-good.ts': browserGood,
    'browser-bad.ts': browserBad,
    'node-good.ts': nodeGood,
    'tsconfig.bundler.json': JSON.stringify({
      compilerOptions: { ...compilerOptions, module: 'ESNext', moduleResolution: 'bundler' },
      files: ['browser-good.ts'],
    }),
    'tsconfig.bundler-bad.json': JSON.stringify({
      compilerOptions: { ...compilerOptions, module: 'ESNext', moduleResolution: 'bundler' },
      files: ['browser-bad.ts'],
    }),
    'tsconfig.node.json': JSON.stringify({
      compilerOptions: { ...compilerOptions, module: 'NodeNext', moduleResolution: 'NodeNext' },
      files: ['node-good.ts'],
    }),
  });
});
afterAll(() => app?.remove());

describe('keel types for consumers (built .d.ts)', () => {
  it('a front-end project (moduleResolution bundler) type-checks connect() usage', async () => {
    const result = await run(tscBin, ['-p', 'tsconfig.bundler.json'], app.dir);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('the declarations are real: a wrong argument is a type error', async () => {
    const result = await run(tscBin, ['-p', 'tsconfig.bundler-bad.json'], app.dir);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('browser-bad.ts');
  });

  it('a Node project (moduleResolution nodenext) gets the Node declarations', async () => {
    const result = await run(tscBin, ['-p', 'tsconfig.node.json'], app.dir);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
