#!/usr/bin/env bash
# Builds a throwaway project whose only schema has RECORDS records of 20 fields each (6,215: about 2 MB) and prints
# the build's peak memory and wall-clock time. The project references this repository's runtime and, as analyzers,
# its schema, generator and analyzer assemblies, and imports the runtime's build props: what the package does.
# The references are built first; the timed build compiles only the consumer, with the compiler as a child process
# (no compiler server) so that /usr/bin/time sees its memory. A schema over 24,000 fields and generated types (over
# 1,090 records of 20 fields) is refused with CC0029: the script then prints the error and what the refused build cost.
#   benchmarks/large-schema/run.sh [RECORDS]      (needs /usr/bin/time: apt-get install time)
set -euo pipefail
records="${1:-6215}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export MSBUILDDISABLENODEREUSE=1 DOTNET_NOLOGO=1

python3 - "$records" > "$work/Big.concordance" <<'PY'
import sys
kinds = ["string", "int", "decimal", "string?", "timestamp", "list<string>", "map<string, int>", "long", "bool", "guid",
         "double", "date", "int?", "decimal?", "list<int>", "string", "string", "duration", "bytes", "string"]
print("namespace Big;\n")
for r in range(int(sys.argv[1])):
    print(f"record Record{r} {{ " + ", ".join(f"f{i}x{r % 7}: {k}" for i, k in enumerate(kinds)) + " }")
PY

cat > "$work/Big.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
  </PropertyGroup>
  <Import Project="$repo/src/Concordance.Runtime/build/Concordance.props" />
  <ItemGroup>
    <ProjectReference Include="$repo/src/Concordance.Runtime/Concordance.Runtime.csproj" />
    <ProjectReference Include="$repo/src/Concordance.Schema/Concordance.Schema.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$repo/src/Concordance.Generators/Concordance.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$repo/src/Concordance.Analyzers/Concordance.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
XML

echo "schema: $records records x 20 fields, $(wc -c < "$work/Big.concordance") bytes"
dotnet build "$repo/src/Concordance.Runtime" -v:q -nologo > /dev/null
dotnet restore "$work/Big.csproj" -v:q > /dev/null
status=0
/usr/bin/time -v dotnet build "$work/Big.csproj" --no-dependencies --no-restore -p:UseSharedCompilation=false -m:1 -v:q -nologo \
    > "$work/build.txt" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    # A schema over a limit is refused by a schema diagnostic (CC0028, CC0029): show it; anything else, the end of the log.
    if grep -q "error CC00" "$work/build.txt"; then echo "refused:"; grep -o "[^/]*\.concordance([0-9,]*): error CC00.*" "$work/build.txt" | sort -u | head -3; else tail -20 "$work/build.txt"; exit 1; fi
fi
grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time" "$work/build.txt"
