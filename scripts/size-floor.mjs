// What Keel's own browser code weighs without eventemitter3 (issue 6's budget analysis): bundles
// apps that import createSession, createSession + nativeTransport, and connect from the package
// SOURCES (as keel's ESM build does: SockJS loaded by URL, eventemitter3's ES build), once with the
// real eventemitter3 and once with it replaced by an empty class, and prints min+gzip sizes of what
// each page loads up front. The second column is a floor for any event emitter: it shows whether
// dropping eventemitter3 alone could meet the 5,000 B target. Not part of CI; no build needed.
//   node scripts/size-floor.mjs
import { eventemitter3, initialGzipOf, sourceAliases } from './size-budget.mjs';

const emptyEmitter = `data:text/javascript,${encodeURIComponent('export class EventEmitter { emit() {} on() {} off() {} once() {} }')}`;

const apps = {
  createSession: "import { createSession } from '@keel/session'; globalThis.x = createSession;",
  'createSession + nativeTransport':
    "import { createSession } from '@keel/session'; import { nativeTransport } from '@keel/browser'; globalThis.x = [createSession, nativeTransport];",
  connect: "import { connect } from '@keel/browser'; globalThis.x = connect;",
};

console.log('min+gzip, bytes (target for connect: 5,000)');
console.log('app imports                        with eventemitter3   with an empty emitter class');
for (const [name, source] of Object.entries(apps)) {
  const real = await initialGzipOf(source, sourceAliases(eventemitter3));
  const none = await initialGzipOf(source, sourceAliases(emptyEmitter));
  console.log(`${name.padEnd(34)} ${String(real).padStart(17)}   ${String(none).padStart(27)}`);
}
