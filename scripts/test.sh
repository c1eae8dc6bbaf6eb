#!/usr/bin/env bash
# Runs every test on a fresh machine that has only Node 20 and npm: installs pnpm and the
# dependencies, builds, type-checks, then runs the unit, conformance and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-tools.sh
pnpm build
pnpm typecheck
pnpm lint:imports
mkdir -p .reports
NO_COLOR=1 pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json
node scripts/summary.mjs
