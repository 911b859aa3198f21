#!/usr/bin/env bash
# Conflict retries under contention: 4 hosts on one SQLite file, 64 senders each, every command to one aggregate.
# Runs the contention test at a larger scale and prints its figures (accepted, gave up, commands/s).
#   benchmarks/contention.sh [commands per sender, default 10000] [--immediate-retries]
# --immediate-retries measures the retries of before (10, at once, no backoff) in the same way, as the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONCORDANCE_CONTENTION_COMMANDS_PER_SENDER="${1:-10000}"
[[ "${2:-}" == "--immediate-retries" ]] && export CONCORDANCE_CONTENTION_IMMEDIATE_RETRIES=1
dotnet test tests/Concordance.Runtime.Tests -c Release --filter "FullyQualifiedName~ContentionTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "contention:|Passed!|Failed!|Assert"
