// What Keel's own browser code weighs without eventemitter3 (issue 6's budget analysis): bundles
// apps that import createSession, createSession + nativeTransport, and connect from the package
// SOURCES (as keel's ESM build does: SockJS loaded by URL, eventemitter3's ES build), once with the
// real eventemitter3 and once with it replaced by an empty class, and prints min+gzip sizes of what
// each page loads up front. The second column is a floor for any event emitter: it shows whether
// dropping eventemitter3 alone could meet the 5,000 B target. Not part of CI; no build needed.
//   node scripts/size-floor.mjs
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initialGzipOf } from './size-budget.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const eventemitter3 = join(
  dirname(createRequire(join(root, 'packages/keel/package.json')).resolve('eventemitter3/package.json')),
  'dist/eventemitter3.esm.js',
);
const emptyEmitter = `data:text/javascript,${encodeURIComponent('export class EventEmitter { emit() {} on() {} off() {} once() {} }')}`;

const apps = {
  createSession: "import { createSession } from '@keel/session'; globalThis.x = createSession;",
  'createSession + nativeTransport':
    "import { createSession } from '@keel/session'; import { nativeTransport } from '@keel/browser'; globalThis.x = [createSession, nativeTransport];",
  connect: "import { connect } from '@keel/browser'; globalThis.x = connect;",
};

const sources = (emitter) => [
  { find: /^\.\/sockjs-loader\.js$/, replacement: join(root, 'packages/keel/src/sockjs-url-loader.ts') },
  { find: /^eventemitter3$/, replacement: emitter },
  { find: /^@keel\/session$/, replacement: join(root, 'packages/session/src/index.ts') },
  { find: /^@keel\/browser$/, replacement: join(root, 'packages/browser/src/index.ts') },
];

console.log('min+gzip, bytes (target for connect: 5,000)');
console.log('app imports                        with eventemitter3   with an empty emitter class');
for (const [name, source] of Object.entries(apps)) {
  const real = await initialGzipOf(source, sources(eventemitter3));
  const none = await initialGzipOf(source, sources(emptyEmitter));
  console.log(`${name.padEnd(34)} ${String(real).padStart(17)}   ${String(none).padStart(27)}`);
}
