// The layer rules of tooling/dependency-cruiser.cjs (DESIGN.md, "Packages and the direction of
// imports"): the real tree passes, and a tree with one forbidden import per file fails on each of
// them, in every form of import (the regex checkers this replaced missed side-effect imports and
// let browser import @keel/core).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const config = createRequire(import.meta.url)('../dependency-cruiser.cjs') as IConfiguration;

async function violations(baseDir: string): Promise<Map<string, string[]>> {
  const reported = await cruise(['packages'], { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } });
  const output = reported.output as ICruiseResult;
  const byFile = new Map<string, string[]>();
  for (const violation of output.summary.violations) {
    byFile.set(violation.from, [...(byFile.get(violation.from) ?? []), violation.rule.name]);
  }
  return byFile;
}

describe('dependency rules (tooling/dependency-cruiser.cjs)', () => {
  // Parses every source file with TypeScript: seconds on a busy machine.
  it('the workspace sources break none of them', { timeout: 30_000 }, async () => {
    const found = await violations(root);
    expect([...found]).toEqual([]);
  });

  describe('a forbidden import in each form fails', () => {
    // file (relative to the fixture root) → its one line, and the rule it must break
    const cases: Record<string, [source: string, rule: string]> = {
      'packages/core/src/protocol/side-effect.ts': [`import 'node:fs';`, 'protocol-is-pure'],
      'packages/core/src/protocol/type-only.ts': [`import type { Socket } from 'node:net';\nexport type S = Socket;`, 'protocol-is-pure'],
      'packages/core/src/protocol/bare-builtin.ts': [
        `import { createHash } from 'crypto';\nexport const h = createHash;`,
        'protocol-is-pure',
      ],
      'packages/core/src/protocol/node-client.ts': [`export { WebSocket } from '@keel/core';`, 'protocol-is-pure'],
      'packages/core/src/protocol/node-layer.ts': [`export { x } from '../node/allowed.js';`, 'protocol-is-pure'],
      'packages/session/src/timers.ts': [`import 'node:timers';`, 'session-knows-only-its-interfaces'],
      'packages/session/src/core.ts': [`export const load = () => import('@keel/core');`, 'session-knows-only-its-interfaces'],
      'packages/session/src/browser.ts': [
        `import { y } from '../../browser/src/allowed.js';\nexport const z = y;`,
        'session-knows-only-its-interfaces',
      ],
      'packages/browser/src/node.ts': [`const tls = require('node:tls');\nexport { tls };`, 'browser-no-node'],
      'packages/browser/src/core.ts': [`import { WebSocket } from '@keel/core';\nexport { WebSocket };`, 'browser-not-core'],
      'packages/browser/src/keel.ts': [`import 'keel';`, 'browser-not-core'],
      'packages/core/src/node/browser.ts': [`import '@keel/browser';`, 'core-not-up-or-sideways'],
    };
    // What each layer may import, so the fixture shows the rules also let the allowed through.
    const allowed: Record<string, string> = {
      'packages/core/src/protocol/engine.ts': `import { a } from './engine-part.js';\nexport const b = a;`,
      'packages/core/src/protocol/engine-part.ts': `export const a = 1;`,
      'packages/core/src/node/allowed.ts': `import 'node:net';\nimport { Session } from '@keel/session';\nexport const x = Session;`,
      'packages/session/src/allowed.ts': `import { EventEmitter } from 'eventemitter3';\nexport const e = EventEmitter;`,
      'packages/browser/src/allowed.ts': `import { Session } from '@keel/session';\nexport const y = Session;`,
      'node_modules/eventemitter3/package.json': `{ "name": "eventemitter3", "main": "index.js" }`,
      'node_modules/eventemitter3/index.js': `exports.EventEmitter = class {};`,
    };
    let fixture: string;
    let found: Map<string, string[]>;

    beforeAll(async () => {
      fixture = mkdtempSync(join(tmpdir(), 'keel-dependency-rules-'));
      const files = { ...allowed, ...Object.fromEntries(Object.entries(cases).map(([file, [source]]) => [file, source])) };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(fixture, file)), { recursive: true });
        writeFileSync(join(fixture, file), `${text}\n`);
      }
      found = await violations(fixture);
    });
    afterAll(() => rmSync(fixture, { recursive: true, force: true }));

    for (const [file, [source, rule]] of Object.entries(cases)) {
      it(`${file}: ${source.split('\n')[0]} → ${rule}`, () => {
        expect(found.get(file)).toEqual([rule]);
      });
    }

    it('the allowed imports break no rule', () => {
      for (const file of Object.keys(allowed)) expect(found.get(file), file).toBeUndefined();
    });
  });
});
