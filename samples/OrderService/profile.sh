#!/usr/bin/env bash
# Profile first, on the order service: record where the original allocates under load (alloc-profile), write the
# hot-path fragment it produces into .editorconfig, build with the analyzers and a SARIF log, and rank the findings
# by the measured bytes. Outputs: docs/profiles/OrderService/ and samples/OrderService/.editorconfig.
#   bash samples/OrderService/profile.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/docs/profiles/OrderService"
sarif="$(mktemp -d)/build.sarif"
profiler=(dotnet run -c Release --project "$root/src/AllocAnalyzers.Profiler" --)

# 1. Profile: one load-driver child, the original service, 200 000 requests on 2 threads. Run from the repository root
#    with a relative path: the report quotes the command line, and committed docs hold no machine's paths.
dotnet build -c Release "$here/LoadDriver" -nologo -v quiet -clp:NoSummary >/dev/null
cd "$root"
"${profiler[@]}" run --out "$out" -- dotnet samples/OrderService/LoadDriver/bin/Release/net10.0/OrderService.LoadDriver.dll -child -variant original -requests 200000 -threads 2 | grep -v '^RESULT'

# 2. Fragment: the methods that allocated 80% of the bytes become the hot paths.
{
  echo "# Hot paths for both copies of the order service (Original/ and its fixed twin, Fixed/), as alloc-profile wrote them"
  echo "# from a profile of the original under load (samples/OrderService/profile.sh)."
  cat "$out/hot-paths.editorconfig"
} > "$here/.editorconfig"

# 3. Build with the analyzers, findings as SARIF; 4. rank them by measured bytes.
dotnet build "$here/Original" --no-incremental -nologo -v quiet "-p:ErrorLog=$sarif%2Cversion=2.1" >/dev/null
"${profiler[@]}" report --profile "$out/profile.json" --sarif "$sarif" --out "$out"
rm -rf "$(dirname "$sarif")"
