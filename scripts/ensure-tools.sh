# Sourced by the README's commands: pnpm 12 (pnpm 11 crashes on Node 20; Corepack fails the
# registry signature check) and the workspace's dependencies.
if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version)" != 12.* ]]; then
  npm i -g pnpm@12.21.0 >/dev/null 2>&1 || { echo "could not install pnpm 12" >&2; exit 1; }
fi
pnpm install --frozen-lockfile
