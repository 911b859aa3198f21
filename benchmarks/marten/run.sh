#!/usr/bin/env bash
# Runs the Marten 9.58 + PostgreSQL vs Concordance + SQLite command benchmark.
# Installs PostgreSQL (Debian's package) if missing, starts a private cluster on 127.0.0.1 and a free port
# under a temp folder as the postgres user, runs benchmarks/Concordance.Benchmarks.Marten, and stops the
# cluster on exit whatever happens. Extra arguments go to BenchmarkDotNet (default: --filter '*').
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "Installing PostgreSQL..."
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; fi
fi
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

port=""
for candidate in $(seq 55432 55632); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port="$candidate"; break; fi
done
[ -n "$port" ] || { echo "No free port between 55432 and 55632." >&2; exit 1; }

work="$(mktemp -d /tmp/concordance-pg-XXXXXX)"
chmod 755 "$work"
chown postgres:postgres "$work" 2>/dev/null || sudo chown postgres:postgres "$work"

stop() {
    as_postgres "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$work" 2>/dev/null || sudo rm -rf "$work" || true
}
trap stop EXIT INT TERM

as_postgres "$pgbin/initdb" -D "$work/data" -U postgres -A trust --no-sync >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c max_connections=200" start >/dev/null
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $work/data)"

export CONCORDANCE_BENCH_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=128"
dotnet build -c Release "$root/benchmarks/Concordance.Benchmarks.Marten" -v quiet -nologo
if [ "$#" -eq 0 ]; then set -- --filter '*'; fi
dotnet "$root/benchmarks/Concordance.Benchmarks.Marten/bin/Release/net10.0/Concordance.Benchmarks.Marten.dll" "$@"
