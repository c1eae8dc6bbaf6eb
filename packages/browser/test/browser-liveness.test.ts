// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { browserLiveness, pageEnvironment, type LivenessTarget } from '../src/browser-liveness.js';

function recorder(): LivenessTarget & { calls: string[] } {
  const calls: string[] = [];
  return { calls, probe: () => calls.push('probe'), pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('browserLiveness', () => {
  it('offline pauses and probes; online resumes and probes', () => {
    const target = recorder();
    const stop = browserLiveness(target, pageEnvironment());
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    expect(target.calls).toEqual(['pause', 'probe', 'resume', 'probe']);
    stop();
  });

  it('probes when the tab becomes visible, not when it is hidden', () => {
    const target = recorder();
    const stop = browserLiveness(target, pageEnvironment());
    setVisibility('hidden');
    expect(target.calls).toEqual([]);
    setVisibility('visible');
    expect(target.calls).toEqual(['probe']);
    stop();
  });

  it('probes on pageshow (back/forward cache restore)', () => {
    const target = recorder();
    const stop = browserLiveness(target, pageEnvironment());
    window.dispatchEvent(new Event('pageshow'));
    expect(target.calls).toEqual(['probe']);
    stop();
  });

  it('pauses at once when the page starts offline', () => {
    const target = recorder();
    const listeners = new EventTarget();
    const stop = browserLiveness(target, { window: listeners, navigator: { onLine: false } });
    expect(target.calls).toEqual(['pause']);
    stop();
  });

  it('the returned function removes every listener', () => {
    const target = recorder();
    const stop = browserLiveness(target, pageEnvironment());
    stop();
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('pageshow'));
    setVisibility('visible');
    expect(target.calls).toEqual([]);
  });

  it('does nothing outside a page', () => {
    const target = recorder();
    const stop = browserLiveness(target, undefined);
    stop();
    expect(target.calls).toEqual([]);
  });
});

describe('pageEnvironment', () => {
  it("is the page's window, document and navigator", () => {
    const env = pageEnvironment();
    expect(env?.window).toBe(window);
    expect(env?.document).toBe(document);
    expect(env?.navigator).toBe(navigator);
  });

  it('is undefined without a window that takes listeners (Node, workers)', () => {
    vi.stubGlobal('window', undefined);
    try {
      expect(pageEnvironment()).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
