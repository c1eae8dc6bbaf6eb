// Serves the demo, the test pages, the built packages and sockjs-client from disk. Every URL
// prefix maps to one folder; nothing outside those folders can be reached.
import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

/** URL prefix → folder, longest prefix first. '/' is the built demo. */
export const staticRoutes = [
  ['/vendor/sockjs-client/', join(dirname(require.resolve('sockjs-client/package.json')), 'dist')],
  ['/keel/', join(repo, 'packages/keel/dist')],
  ['/pages/', join(repo, 'e2e/dist/pages')],
  ['/cdn.html', join(repo, 'demo/cdn.html')],
  ['/', join(repo, 'demo/dist')],
];

/** The URL the SockJS server hands to its iframe transports. */
export const sockjsClientUrl = '/vendor/sockjs-client/sockjs.min.js';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Resolves a URL path to a file, or null. `/x/` and `/x` serve `/x/index.html`. */
export function resolveStatic(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  for (const [prefix, target] of staticRoutes) {
    if (decoded === prefix || (prefix.endsWith('/') && decoded.startsWith(prefix))) {
      const rest = prefix.endsWith('/') ? decoded.slice(prefix.length) : '';
      const file = normalize(join(target, rest));
      if (file !== target && !file.startsWith(target + sep)) return null;
      return fileOrIndex(file);
    }
  }
  return null;
}

function fileOrIndex(file) {
  try {
    const stat = statSync(file);
    if (stat.isFile()) return file;
    if (stat.isDirectory()) return fileOrIndex(join(file, 'index.html'));
  } catch {
    // missing: fall through
  }
  return null;
}

/** @param {import('node:http').ServerResponse} res */
export function sendFile(res, file, method) {
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  if (method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

/** A page that tells the reader how to build what is missing instead of a bare 404. */
export function sendMissing(res, pathname) {
  const hint = pathname.startsWith('/keel/')
    ? 'Build the packages: pnpm build'
    : pathname.startsWith('/pages/')
      ? 'Build the test pages: pnpm --filter ./e2e build'
      : pathname === '/' || pathname === '/index.html'
        ? 'Build the demo: pnpm --filter ./demo build'
        : 'Not found';
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${pathname}: not found. ${hint}\n`);
}
