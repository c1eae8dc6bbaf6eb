import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as protocol from '@keel/core/protocol';

const sourceDirectory = fileURLToPath(new URL('../../src/protocol/', import.meta.url));

// Which packages its sources may import (only itself and @keel/session) is checked by
// dependency-cruiser: tooling/dependency-cruiser.cjs, rule protocol-is-pure. Which NAMES it may
// take from @keel/session (the leaf error modules only) is below: a module-level rule cannot see it.
describe('@keel/core/protocol entry', () => {
  it('exports the engine surface', () => {
    for (const name of [
      'ClientProtocol',
      'defaultProtocolConfig',
      'CloseCode',
      'HandshakeError',
      'KeelError',
      'ProtocolError',
      'UsageError',
      'FrameParser',
      'FrameWriter',
      'applyMask',
      'Opcode',
      'Utf8Validator',
      'isValidUtf8',
      'expectedAccept',
      'WEBSOCKET_GUID',
      'validateCloseArguments',
      'isValidReceivedCloseCode',
      'isValidApplicationCloseCode',
      'MAX_CLOSE_REASON_BYTES',
      'negotiatePerMessageDeflate',
      'resolvePerMessageDeflateOffers',
      'formatPerMessageDeflateOffer',
    ]) {
      expect(protocol, name).toHaveProperty(name);
    }
  });

  it("its sources import only each other and @keel/session's leaf error modules: no node:*, no other packages, no DOM (DESIGN.md)", () => {
    const files = readdirSync(sourceDirectory).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    let seen = 0;
    for (const file of files) {
      const text = readFileSync(`${sourceDirectory}${file}`, 'utf8');
      const imports = [...text.matchAll(/(?:^|\s)(?:import|export)([^'";]*?)from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)];
      for (const [, names, from, dynamic] of imports) {
        const specifier = from ?? dynamic;
        if (specifier === '@keel/session') {
          for (const name of importedNames(names ?? '')) expect(leafExports, `${file} imports ${name} from @keel/session`).toContain(name);
        } else {
          expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\/[\w-]+\.js$/);
        }
      }
      seen += imports.length;
    }
    // The pattern does find the imports (client-protocol.ts alone has a dozen).
    expect(seen).toBeGreaterThan(30);
  });

  it('the session modules it may import are leaves: they import only each other', () => {
    for (const file of leafFiles) {
      const text = readFileSync(`${sessionDirectory}${file}`, 'utf8');
      for (const [, specifier] of text.matchAll(/from\s+['"]([^'"]+)['"]/g))
        expect(
          leafFiles.map((leaf) => `./${leaf.replace(/\.ts$/, '.js')}`),
          `${file} imports ${specifier}`,
        ).toContain(specifier);
    }
  });
});

// The error taxonomy, the KeelError base and the close-code rules (docs/decisions.md, "One error taxonomy").
const sessionDirectory = fileURLToPath(new URL('../../../session/src/', import.meta.url));
const leafFiles = ['error-taxonomy.ts', 'keel-error.ts', 'close-codes.ts'];
const leafExports = leafFiles.flatMap((file) =>
  [
    ...readFileSync(`${sessionDirectory}${file}`, 'utf8').matchAll(/^export (?:abstract )?(?:class|function|const|type|interface) (\w+)/gm),
  ].map((match) => match[1]),
);

/** `{ a, type B, c as d }` → ['a', 'B', 'c']; `type { A }` → ['A']. */
function importedNames(clause: string): string[] {
  const inner = /\{([^}]*)\}/.exec(clause)?.[1] ?? '';
  return inner
    .split(',')
    .map(
      (part) =>
        part
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]!,
    )
    .filter((name) => name !== '');
}
