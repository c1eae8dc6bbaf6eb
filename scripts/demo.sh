#!/usr/bin/env bash
# Starts the demo on a fresh machine: installs pnpm and the dependencies, builds, then runs the
# example that connects to a local echo server and prints what it gets.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-tools.sh
pnpm build
exec node demo/echo-example.mjs
