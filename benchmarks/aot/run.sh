#!/usr/bin/env bash
# NativeAOT vs JIT, side by side, on the bank sample (samples/BankAccount):
#   - start to first accepted command: from the moment the script starts the process to the line in which the sample
#     reports its first command (CreateAccount) accepted; the host, the SQLite store (a fresh file), the simulated wire
#     network and the first command's append all fall inside it;
#   - the whole story's wall time and peak RSS (/usr/bin/time);
#   - size on disk: the AOT executable (and SQLite's native library); the JIT publish folder's linux-x64 files (plus the
#     shared .NET runtime it needs, which AOT does not).
# Publishes both (AOT: -p:PublishAot=true; JIT: a normal framework-dependent publish) under their own artifacts path,
# then runs them alternately, RUNS times each after one warm-up run each, and prints medians and the AOT/JIT ratios.
#   benchmarks/aot/run.sh [RUNS, default 15]
# Needs clang (the native linker) and GNU time: apt-get install -y clang zlib1g-dev time
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
runs="${1:-15}"
work="${CONCORDANCE_AOT_BENCH_DIR:-${TMPDIR:-/tmp}/concordance-aot-bench}"
mkdir -p "$work/db"
trap 'rm -rf "$work/db"' EXIT

for tool in clang /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool: apt-get install -y clang zlib1g-dev time" >&2; exit 1; }
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
publish() { # name, extra arguments...
  local name=$1; shift
  local started=$SECONDS
  dotnet publish samples/BankAccount -c Release "$@" --artifacts-path "$work/$name-artifacts" -o "$work/$name" -nologo -v:q \
    > "$work/$name-publish.log" 2>&1 || { cat "$work/$name-publish.log" >&2; exit 1; }
  echo "published $name in $((SECONDS - started)) s"
}
publish aot -p:PublishAot=true
publish jit

# One run: prints "<ms to first accepted command> <wall s> <peak RSS KiB>".
measure() { # executable
  local db="$work/db/$RANDOM$RANDOM.db" start marker stats
  start=$(date +%s%N)
  marker=$(/usr/bin/time -f '%e %M' -o "$work/time.txt" "$1" --db "$db" | {
    while IFS= read -r line; do
      if [[ -z "${first:-}" && $line == *"accepted: AccountCreated"* ]]; then first=$(date +%s%N); fi
    done
    echo "${first:-0}"
  })
  [[ "$marker" != 0 ]] || { echo "$1 never reported its first command accepted" >&2; exit 1; }
  stats=$(tail -n 1 "$work/time.txt")
  rm -f "$db" "$db-wal" "$db-shm"
  echo "$(( (marker - start) / 1000000 )) $stats"
}

measure "$work/aot/BankAccount" >/dev/null
measure "$work/jit/BankAccount" >/dev/null
: > "$work/aot.txt"; : > "$work/jit.txt"
for ((i = 1; i <= runs; i++)); do
  measure "$work/aot/BankAccount" >> "$work/aot.txt"
  measure "$work/jit/BankAccount" >> "$work/jit.txt"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_median() { awk -v c="$2" '{ print $c }' "$1" | median; }
aot_start=$(column_median "$work/aot.txt" 1); jit_start=$(column_median "$work/jit.txt" 1)
aot_wall=$(column_median "$work/aot.txt" 2);  jit_wall=$(column_median "$work/jit.txt" 2)
aot_rss=$(column_median "$work/aot.txt" 3);   jit_rss=$(column_median "$work/jit.txt" 3)
# What linux-x64 needs, without symbols and docs: the AOT executable and SQLite's native library beside it; the JIT
# publish folder without the other platforms' native libraries (runtimes/*), plus the shared runtime it runs on.
aot_size=$(( $(stat -c %s "$work/aot/BankAccount") + $(cat "$work"/aot/*.so | wc -c) ))
jit_size=$(( $(du -sb --exclude='*.pdb' --exclude='*.xml' --exclude=runtimes "$work/jit" | cut -f1) + $(du -sb "$work/jit/runtimes/linux-x64" | cut -f1) ))
runtime_dir=$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App 10\./ { gsub(/[\[\]]/, "", $3); dir = $3 "/" $2 } END { print dir }')
runtime_size=$(du -sb "$runtime_dir" | cut -f1)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
printf '\n%-34s %14s %14s %8s\n' "bank sample, median of $runs" "NativeAOT" "JIT" "AOT/JIT"
printf '%-34s %11s ms %11s ms %8s\n' "start to first accepted command" "$aot_start" "$jit_start" "$(ratio "$aot_start" "$jit_start")"
printf '%-34s %12s s %12s s %8s\n' "whole story (wall)" "$aot_wall" "$jit_wall" "$(ratio "$aot_wall" "$jit_wall")"
printf '%-34s %11s MB %11s MB %8s\n' "peak RSS" "$((aot_rss / 1024))" "$((jit_rss / 1024))" "$(ratio "$aot_rss" "$jit_rss")"
printf '%-34s %14s %14s %8s\n' "size on disk (linux-x64 files)" "$(mb "$aot_size")" "$(mb "$jit_size")" "$(ratio "$aot_size" "$jit_size")"
printf '%-34s %14s %14s\n' "  + shared .NET runtime needed" "none" "$(mb "$runtime_size")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
