import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as protocol from '@keel/core/protocol';

const sourceDirectory = fileURLToPath(new URL('../../src/protocol/', import.meta.url));

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

  it('its sources import only each other: no node:*, no packages, no DOM (DESIGN.md)', () => {
    const files = readdirSync(sourceDirectory).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    let seen = 0;
    for (const file of files) {
      const text = readFileSync(`${sourceDirectory}${file}`, 'utf8');
      const specifiers = [...text.matchAll(/(?:^|\s)(?:import|export)[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((match) => match[1] ?? match[2]);
      for (const specifier of specifiers) expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\/[\w-]+\.js$/);
      seen += specifiers.length;
    }
    // The pattern does find the imports (client-protocol.ts alone has a dozen).
    expect(seen).toBeGreaterThan(30);
  });
});
