#!/usr/bin/env bash
# Runs the NATS benchmarks against a private nats-server (JetStream, 127.0.0.1, a free port, a temp store folder):
#   benchmarks/nats/run.sh [BenchmarkDotNet arguments]      (default: --filter '*')
#   benchmarks/nats/run.sh interleaved [rounds] [text]      (the command workloads, raw and ours alternating; text: only those rows)
# Installs the Debian package when nats-server is missing; stops the server and removes its folder on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if ! command -v nats-server >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server
fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
dir="$(mktemp -d -t concordance-nats-bench-XXXXXX)"
nats-server -js -a 127.0.0.1 -p "$port" -sd "$dir" >"$dir.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir" "$dir.log"; }
trap cleanup EXIT INT TERM
for _ in $(seq 100); do
  (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$dir.log" >&2; exit 1; }
  sleep 0.1
done
echo "nats-server $(nats-server --version | awk '{print $2}') on nats://127.0.0.1:$port, store in $dir" >&2
dotnet build -c Release "$root/benchmarks/Concordance.Benchmarks.Nats" >&2
cd "$root/benchmarks/Concordance.Benchmarks.Nats"
export CONCORDANCE_NATS_URL="nats://127.0.0.1:$port"
if [ "$#" -eq 0 ]; then set -- --filter '*'; fi
dotnet bin/Release/net10.0/Concordance.Benchmarks.Nats.dll "$@"
