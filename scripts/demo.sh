#!/usr/bin/env bash
# Starts the demo on a fresh machine: installs pnpm and the dependencies, builds the packages and
# the chat page, then starts the bundled server (WebSocket + SockJS) and prints the demo's URL.
# PORT=N picks the port (default 8080, or any free port when 8080 is taken).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-tools.sh
pnpm build
pnpm --filter ./demo build
exec node demo/server.mjs
