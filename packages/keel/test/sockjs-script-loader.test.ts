// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';

// The CDN bundle's SockJS loader: a <script> for keel-sockjs.min.js next to keel.min.js.
// appendChild is intercepted so that the test decides when the script "loads".

type Globals = { KeelSockJS?: unknown };
const globals = globalThis as Globals;

async function freshLoader(): Promise<typeof import('../src/sockjs-script-loader.js')> {
  vi.resetModules();
  return import('../src/sockjs-script-loader.js');
}

function interceptScripts(): HTMLScriptElement[] {
  const added: HTMLScriptElement[] = [];
  vi.spyOn(document.head, 'appendChild').mockImplementation(<T extends Node>(node: T): T => {
    added.push(node as unknown as HTMLScriptElement);
    return node;
  });
  return added;
}

afterEach(() => {
  vi.restoreAllMocks();
  delete globals.KeelSockJS;
});

describe('CDN SockJS script loader', () => {
  it('uses a keel-sockjs.min.js the page already loaded, without adding a script', async () => {
    const added = interceptScripts();
    const pageModule = { SockJS: class {}, openSockJSConnection: () => {} };
    globals.KeelSockJS = pageModule;
    const { loadSockJSModule } = await freshLoader();
    expect(await loadSockJSModule()).toBe(pageModule);
    expect(added).toEqual([]);
  });

  it('adds one script for keel-sockjs.min.js and resolves with the KeelSockJS it defines', async () => {
    const added = interceptScripts();
    const { loadSockJSModule } = await freshLoader();
    const first = loadSockJSModule();
    const second = loadSockJSModule();
    expect(added).toHaveLength(1);
    expect(added[0]!.src).toBe(new URL('keel-sockjs.min.js', document.baseURI).href);
    const KeelSockJS = { SockJS: class {}, openSockJSConnection: () => {} };
    globals.KeelSockJS = KeelSockJS;
    added[0]!.onload?.(new Event('load'));
    expect(await first).toBe(KeelSockJS);
    expect(await second).toBe(KeelSockJS);
  });

  it('resolves keel-sockjs.min.js against the URL keel.min.js was loaded from', async () => {
    const added = interceptScripts();
    Object.defineProperty(document, 'currentScript', {
      value: { src: 'https://cdn.test/keel@0.1.0/dist/keel.min.js' },
      configurable: true,
    });
    try {
      const { loadSockJSModule } = await freshLoader();
      void loadSockJSModule();
      expect(added[0]!.src).toBe('https://cdn.test/keel@0.1.0/dist/keel-sockjs.min.js');
    } finally {
      Object.defineProperty(document, 'currentScript', { value: null, configurable: true });
    }
  });

  it('a script that fails to load rejects, and the next call tries again', async () => {
    const added = interceptScripts();
    const { loadSockJSModule } = await freshLoader();
    const failed = loadSockJSModule();
    added[0]!.onerror?.(new Event('error'));
    await expect(failed).rejects.toThrow(/could not load/);
    void loadSockJSModule();
    expect(added).toHaveLength(2);
  });

  it('a script that loads without defining KeelSockJS rejects', async () => {
    const added = interceptScripts();
    const { loadSockJSModule } = await freshLoader();
    const loading = loadSockJSModule();
    added[0]!.onload?.(new Event('load'));
    await expect(loading).rejects.toThrow(/did not define KeelSockJS/);
  });
});
