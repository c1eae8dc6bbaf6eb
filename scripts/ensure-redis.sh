# Sourced by scripts/test.sh: Debian's redis-server for @keel/server's Redis store tests, which
# start it themselves on 127.0.0.1 with an ephemeral port and stop it by PID. CI runs as root on
# Debian 12; elsewhere sudo is used when present.
if ! command -v redis-server >/dev/null 2>&1; then
  if [[ "$(id -u)" -eq 0 ]]; then as_root=(); elif command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "redis-server is missing and neither root nor sudo is available: apt-get install redis-server" >&2; exit 1
  fi
  echo "Installing redis-server from Debian (apt-get)…"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  unset as_root
fi
