#!/usr/bin/env bash
# Runs every test on a fresh machine that has only Node 20 and npm: installs pnpm and the
# dependencies, builds, type-checks, lints (ESLint, dependency-cruiser, Prettier), then runs the
# unit, conformance and integration tests, then the end-to-end tests in Chromium (installed from
# Debian's apt when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-tools.sh
pnpm build
# The browser entry of keel (issue 6): prints the 5,000 B target and the shortfall; fails above its
# regression ceiling or with SockJS in the entry. Deferred so the tests still run, but a failure
# makes the run exit non-zero (last line).
node scripts/size-budget.mjs || size_status=$?
node scripts/consumer-check.mjs  # issue 14: the packed tarballs installed with npm outside the workspace
pnpm typecheck
pnpm --filter ./demo --filter ./e2e run typecheck
pnpm lint          # ESLint 10 + typescript-eslint 8 (tooling/eslint.config.js): sources and tests
pnpm lint:deps     # dependency-cruiser 17 (tooling/dependency-cruiser.cjs): DESIGN.md's import directions
pnpm format:check  # Prettier 3 (.prettierrc.json): `pnpm format` rewrites what it lists
mkdir -p .reports
rm -f .reports/vitest.json .reports/playwright.json  # never count a previous run's results
NO_COLOR=1 pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json || vitest_status=$?
# End to end: Playwright in Debian's Chromium (Playwright cannot download browsers here).
source scripts/ensure-chromium.sh
pnpm --filter ./e2e exec playwright test || playwright_status=$?
node scripts/summary.mjs
exit $(( ${vitest_status:-0} || ${playwright_status:-0} || ${size_status:-0} ))
