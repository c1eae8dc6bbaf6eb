# Sourced by scripts/test.sh: Debian's Chromium for Playwright, which cannot download its own
# browser here (TOOLCHAIN.md); the e2e config launches /usr/bin/chromium.
source "$(dirname "${BASH_SOURCE[0]}")/ensure-debian-package.sh"
ensure_debian_package /usr/bin/chromium chromium || exit 1
