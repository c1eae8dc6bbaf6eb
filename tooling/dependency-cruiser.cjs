// The direction of imports in docs/DESIGN.md ("Packages and the direction of imports"), checked by
// dependency-cruiser on the sources: `pnpm lint:deps` from the repository root. It reads every form
// of import: static, side-effect (`import 'node:fs'`), type-only (`import type`, kept by
// tsPreCompilationDeps), re-export, dynamic `import()` and `require()`. Paths are relative to the
// repository root; a workspace package is matched by its directory or, when it cannot be resolved
// (not built yet), by its name.
/** A node:* built-in, or a bare built-in name (`fs`, `net`) that Node also accepts. */
const nodeBuiltIn = { dependencyTypes: ['core'] };
const workspacePackage = (directory, name) => `^(packages/${directory}/|${name}($|/))`;
const core = workspacePackage('core', '@keel/core');
const session = workspacePackage('session', '@keel/session');
const browser = workspacePackage('browser', '@keel/browser');
const keel = '^(packages/keel/|keel($|/))';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'protocol-is-pure',
      comment:
        "core/src/protocol (the sans-I/O engine) imports only itself and @keel/session's leaf error modules (the one error taxonomy, issue 13): no node:*, no other package. Which names it takes from @keel/session, and that those modules stay leaves, is checked by packages/core/test/protocol/index.test.ts.",
      severity: 'error',
      from: { path: '^packages/core/src/protocol/' },
      to: { pathNot: ['^packages/core/src/protocol/', session] },
    },
    {
      name: 'session-knows-only-its-interfaces',
      comment: 'session imports nothing of core, browser or keel, no node:* built-in, and no package but eventemitter3.',
      severity: 'error',
      from: { path: '^packages/session/src/' },
      to: { pathNot: ['^packages/session/src/', '(^|/)node_modules/eventemitter3/', '^eventemitter3$'] },
    },
    {
      name: 'browser-no-node',
      comment: 'browser imports no node:* built-in.',
      severity: 'error',
      from: { path: '^packages/browser/src/' },
      to: nodeBuiltIn,
    },
    {
      name: 'browser-not-core',
      comment: 'browser imports neither @keel/core (the Node client) nor keel (which sits above it).',
      severity: 'error',
      from: { path: '^packages/browser/src/' },
      to: { path: [core, keel] },
    },
    {
      name: 'core-not-up-or-sideways',
      comment: 'core imports neither browser nor keel: imports point down (keel -> core | browser -> session).',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      to: { path: [browser, keel] },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that cannot be resolved could hide any of the above.',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { couldNotResolve: true, pathNot: [core, session, browser, keel] },
    },
  ],
  options: {
    // A built workspace package resolves into its dist/: kept as a dependency (so the rules above see
    // `packages/session/dist/…` as session) but not followed; excluding dist/ would drop the import.
    doNotFollow: { path: ['node_modules', '(^|/)dist/'] },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'] },
  },
};
