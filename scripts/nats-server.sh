#!/usr/bin/env bash
# Starts a private nats-server with JetStream on 127.0.0.1 for development, the sample and benchmarks:
#   scripts/nats-server.sh [PORT] [STORE_DIR]     (defaults: 4222, a new temp folder)
# Installs the Debian package when nats-server is missing (2.9.10 on Debian 12). Runs in the foreground;
# Ctrl-C stops it. Never touches the system service.
set -euo pipefail
port="${1:-4222}"
dir="${2:-$(mktemp -d -t concordance-nats-XXXXXX)}"
if ! command -v nats-server >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server
fi
mkdir -p "$dir"
echo "nats-server $(nats-server --version | awk '{print $2}') on nats://127.0.0.1:$port, store in $dir" >&2
exec nats-server -js -a 127.0.0.1 -p "$port" -sd "$dir"
