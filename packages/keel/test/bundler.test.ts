import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { measure } from '../../../scripts/size-budget.mjs';
import { assertBuilt, keelDir } from './consumer.js';

interface Measured {
  initialFiles: string[];
  initialGzip: number;
  sockjsInInitial: string[];
  lazy: Array<{ file: string; sockjs: boolean }>;
}

beforeAll(() => assertBuilt());

describe('keel in a bundler (Vite, browser condition) and as a script tag', () => {
  it('import { connect } from "keel" pulls the browser build, with SockJS only as a lazy chunk', async () => {
    const result = (await measure()) as Measured;
    expect(result.initialFiles).toHaveLength(1);
    expect(result.sockjsInInitial).toEqual([]);
    expect(result.lazy.filter((chunk) => chunk.sockjs)).toHaveLength(1);
  });

  it('keel.min.js defines the global Keel with connect, and holds no SockJS code', () => {
    const code = readFileSync(join(keelDir, 'dist', 'keel.min.js'), 'utf8');
    const sandbox: { Keel?: Record<string, unknown> } = {};
    runInNewContext(code, sandbox);
    expect(typeof sandbox.Keel?.connect).toBe('function');
    expect(code).not.toContain('xhr-streaming');
    expect(code).toContain('keel-sockjs.min.js');
  });

  it('keel-sockjs.min.js defines the global KeelSockJS: the SockJS constructor and the connection code', () => {
    const code = readFileSync(join(keelDir, 'dist', 'keel-sockjs.min.js'), 'utf8');
    const sandbox: { KeelSockJS?: { SockJS?: unknown; openSockJSConnection?: unknown } } = {};
    runInNewContext(code, sandbox);
    expect(typeof sandbox.KeelSockJS?.SockJS).toBe('function');
    expect(typeof sandbox.KeelSockJS?.openSockJSConnection).toBe('function');
  });

  it('the lazy SockJS files hold no error class of their own, so instanceof KeelError holds across them', () => {
    // The entry hands BrowserTransportError to the lazy file (sockjs-connection.ts); a copy of the
    // class bundled there would make its errors fail `instanceof` in the app.
    for (const file of ['keel-sockjs.js', 'keel-sockjs.min.js']) {
      const code = readFileSync(join(keelDir, 'dist', file), 'utf8');
      for (const name of ['KeelError', 'SessionError', 'BrowserTransportError']) expect(code, `${file} has ${name}`).not.toContain(name);
    }
    const entry = readFileSync(join(keelDir, 'dist', 'browser.js'), 'utf8');
    expect(entry).toContain('"BrowserTransportError"');
  });

  it("the ESM build's keel-sockjs.js exports the same two names", async () => {
    const chunk = (await import(join(keelDir, 'dist', 'keel-sockjs.js'))) as { SockJS?: unknown; openSockJSConnection?: unknown };
    expect(typeof chunk.SockJS).toBe('function');
    expect(typeof chunk.openSockJSConnection).toBe('function');
  });
});
