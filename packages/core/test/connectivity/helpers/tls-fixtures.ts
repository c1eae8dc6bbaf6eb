import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const read = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));

/** The PEM files of ../fixtures (see its README). */
export const tlsFixtures = {
  ca: read('ca-cert.pem'),
  serverCert: read('server-cert.pem'),
  serverKey: read('server-key.pem'),
  clientCert: read('client-cert.pem'),
  clientKey: read('client-key.pem'),
  wrongHostCert: read('wrong-host-cert.pem'),
  wrongHostKey: read('wrong-host-key.pem'),
  selfSignedCert: read('self-signed-cert.pem'),
  selfSignedKey: read('self-signed-key.pem'),
} as const;
