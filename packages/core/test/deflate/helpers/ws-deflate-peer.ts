import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PerMessageDeflateParams } from '../../../src/protocol/permessage-deflate-negotiation.js';

/** The parts of ws's internal PerMessageDeflate (lib/permessage-deflate.js) the tests drive. */
interface WsPerMessageDeflate {
  params: Record<string, boolean | number> | null;
  compress(data: Buffer, fin: boolean, callback: (error: Error | null, result?: Buffer) => void): void;
  decompress(data: Buffer, fin: boolean, callback: (error: Error | null, result?: Buffer) => void): void;
  cleanup(): void;
}
type WsPerMessageDeflateClass = new (options: { isServer: boolean; maxPayload?: number }) => WsPerMessageDeflate;

const require = createRequire(import.meta.url);
// ws does not export its lib/ files; its permessage-deflate is loaded by path as an independent peer.
const PerMessageDeflate = require(join(dirname(require.resolve('ws')), 'lib', 'permessage-deflate.js')) as WsPerMessageDeflateClass;

export interface DeflatePeer {
  /** What the server would send: compressed with the server's parameters, tail stripped. */
  compress(data: Buffer, fin?: boolean): Promise<Buffer>;
  /** What the server does with what we send: inflated with the client's parameters. */
  decompress(data: Buffer, fin?: boolean): Promise<Buffer>;
  close(): void;
}

/** ws in the server role, with the agreed parameters set as if it had accepted our offer. */
export function wsServerPeer(params: PerMessageDeflateParams): DeflatePeer {
  const peer = new PerMessageDeflate({ isServer: true });
  peer.params = {
    server_no_context_takeover: params.serverNoContextTakeover,
    client_no_context_takeover: params.clientNoContextTakeover,
    server_max_window_bits: params.serverMaxWindowBits,
    client_max_window_bits: params.clientMaxWindowBits,
  };
  const call = (method: 'compress' | 'decompress', data: Buffer, fin: boolean): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      peer[method](data, fin, (error, result) => {
        if (error) reject(error);
        else resolve(result ?? Buffer.alloc(0));
      });
    });
  return {
    compress: (data, fin = true) => call('compress', data, fin),
    decompress: (data, fin = true) => call('decompress', data, fin),
    close: () => peer.cleanup(),
  };
}
