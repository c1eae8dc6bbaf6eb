# Sourced by scripts/test.sh: Debian's redis-server for @keel/server's Redis store tests, which
# start it themselves on 127.0.0.1 with an ephemeral port and stop it by PID.
source "$(dirname "${BASH_SOURCE[0]}")/ensure-debian-package.sh"
ensure_debian_package redis-server redis-server || exit 1
