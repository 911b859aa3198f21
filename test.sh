#!/usr/bin/env bash
# Runs every test of the repository, as CI does. Installs and starts whatever the tests need;
# stops what it started. Prints one closing line: "Tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

# The NATS tests start their own nats-server processes; a fresh machine gets Debian's package first.
if ! command -v nats-server >/dev/null 2>&1; then
  echo "Installing nats-server (Debian package) for the NATS tests..."
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server
  fi
fi

# The NativeAOT test publishes the bank sample with PublishAot=true: ILC's native link needs clang (and zlib's headers
# and library, which the linker may ask for). Installed from Debian only when missing.
if ! command -v clang >/dev/null 2>&1 || ! [ -e /usr/include/zlib.h ]; then
  echo "Installing clang and zlib1g-dev (Debian packages) for the NativeAOT test..."
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev
  fi
fi

# The tool's diagram tests render Mermaid with @mermaid-js/mermaid-cli (versions locked in package-lock.json) in
# Debian's chromium; puppeteer never downloads a browser of its own. Skipped when already installed.
mermaid=tests/Concordance.Tool.Tests/mermaid
if ! command -v chromium >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Installing chromium and npm (Debian packages) for the diagram tests..."
  sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_if_needed apt-get update -qq
  command -v chromium >/dev/null 2>&1 || sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  command -v npm >/dev/null 2>&1 || sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
if [ ! -x "$mermaid/node_modules/.bin/mmdc" ] || [ "$mermaid/package-lock.json" -nt "$mermaid/node_modules/.package-lock.json" ]; then
  echo "Installing the Mermaid renderer (npm ci in $mermaid)..."
  (cd "$mermaid" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet build Concordance.sln -c Release -nologo -v:q 2>&1 | tail -n 3
dotnet test Concordance.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# The VS Code extension's tests (editors/vscode) run under Node's own test runner: npm ci from the
# committed lock file (skipped while node_modules matches it), then node --test. Their counts join
# the closing line as one more summary in dotnet's format, and a failure fails the run.
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Node.js (Debian package) for the editor tests..."
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
editor_tap=$(mktemp)
editor_status=0
(
  cd editors/vscode
  if ! cmp -s package-lock.json node_modules/.concordance-lock; then
    npm ci --prefer-offline --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.concordance-lock
  fi
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$editor_tap" test/*.test.js
) || editor_status=$?
read -r editor_pass editor_fail editor_skip < <(awk '
  /^# pass /      { p = $3 } /^# fail /    { f = $3 } /^# cancelled / { f += $3 }
  /^# skipped /   { s = $3 } /^# todo /    { s += $3 }
  END { print p + 0, f + 0, s + 0 }' "$editor_tap")
rm -f "$editor_tap"
if [ "$editor_status" -ne 0 ] && [ "$editor_fail" -eq 0 ]; then editor_fail=1; fi  # npm ci or node itself failed
[ "$editor_fail" -eq 0 ] || status=1
printf '%s!  - Failed: %d, Passed: %d, Skipped: %d, Total: %d - editors/vscode (node --test)\n' \
  "$([ "$editor_fail" -eq 0 ] && echo Passed || echo Failed)" "$editor_fail" "$editor_pass" "$editor_skip" \
  "$((editor_pass + editor_fail + editor_skip))" | tee -a "$log"

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12 …").
awk '
  /(Passed|Failed)! +- +Failed: / {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
    n++
  }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s; if (n == 0 || p == 0) exit 1 }
' "$log" || status=1

exit $status
