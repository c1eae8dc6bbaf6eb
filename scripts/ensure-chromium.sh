# Sourced by scripts/test.sh: Debian's Chromium for Playwright, which cannot download its own
# browser here (TOOLCHAIN.md). CI runs as root on Debian 12; elsewhere sudo is used when present.
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ "$(id -u)" -eq 0 ]]; then as_root=(); elif command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "Chromium is missing and neither root nor sudo is available: apt-get install chromium" >&2; exit 1
  fi
  echo "Installing Chromium from Debian (apt-get)…"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
  unset as_root
fi
