# Sourced by the scripts that need a program from Debian's apt (Playwright's Chromium, which it
# cannot download here; the redis-server of @keel/server's Redis store tests).
# ensure_debian_package <program> <package>: installs <package> when <program> is not on the PATH.
# CI runs as root on Debian 12; elsewhere sudo is used when present.
ensure_debian_package() {
  local program=$1 package=$2
  command -v "$program" >/dev/null 2>&1 && return 0
  local as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
      echo "$program is missing and neither root nor sudo is available: apt-get install $package" >&2
      return 1
    fi
  fi
  echo "Installing $package from Debian (apt-get)…"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$package" >/dev/null
}
