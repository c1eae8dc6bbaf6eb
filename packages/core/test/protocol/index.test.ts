import { describe, expect, it } from 'vitest';
import * as protocol from '@keel/core/protocol';

// That its sources import only each other (DESIGN.md) is checked by dependency-cruiser:
// tooling/dependency-cruiser.cjs, rule protocol-is-pure, and tooling/test/dependency-rules.test.ts.
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
});
