#!/usr/bin/env bash
# Profile first, then check every finding against the profile, on the order service: record where the original and
# its fixed twin allocate under the same load (alloc-profile run), write the hot-path fragment the original's profile
# produces into .editorconfig, build both with the analyzers and a SARIF log, rank the original's findings by measured
# bytes (alloc-profile report), and verify each finding line by line against the profiles (alloc-profile verify).
# Outputs: docs/profiles/OrderService/ (the original's profile and report; verify/ the verification with the twin's
# figures beside each finding; fixed/ the twin's own verification) and samples/OrderService/.editorconfig.
#   bash samples/OrderService/profile.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/docs/profiles/OrderService"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
dotnet build -c Release "$root/src/AllocAnalyzers.Profiler" -nologo -v quiet -clp:NoSummary >/dev/null
profiler=(dotnet "$root/src/AllocAnalyzers.Profiler/bin/Release/net10.0/alloc-profile.dll")
driver=samples/OrderService/LoadDriver/bin/Release/net10.0/OrderService.LoadDriver.dll

# 1. Profile: one load-driver child per variant, 400 000 requests on 2 threads each, the whole run: both recordings
#    then cover the same work, so each finding's bytes before and after the fixes compare. verify sets apart what
#    tier-0 code allocated during warm-up (the findings' claims are about the optimized code). Run from the repository
#    root with a relative path: the report quotes the command line, and committed docs hold no machine's paths.
dotnet build -c Release "$here/LoadDriver" -nologo -v quiet -clp:NoSummary >/dev/null
cd "$root"
"${profiler[@]}" run --out "$out" -- dotnet "$driver" -child -variant original -requests 400000 -threads 2 | grep -v '^RESULT'
"${profiler[@]}" run --out "$scratch/fixed-profile" -- dotnet "$driver" -child -variant fixed -requests 400000 -threads 2 | grep -v '^RESULT'


# 2. Fragment: the methods that allocated 80% of the bytes become the hot paths.
{
  echo "# Hot paths for both copies of the order service (Original/ and its fixed twin, Fixed/), as alloc-profile wrote them"
  echo "# from a profile of the original under load (samples/OrderService/profile.sh)."
  cat "$out/hot-paths.editorconfig"
} > "$here/.editorconfig"

# 3. Build both with the analyzers, findings as SARIF (Release: the claims then describe the optimized code profiled); 4. rank the original's by measured bytes; 5. verify each finding
#    at its line, the original's with the twin's figures beside them, and the twin's own remaining findings.
dotnet build "$here/Original" -c Release --no-incremental -nologo -v quiet "-p:ErrorLog=$scratch/original.sarif%2Cversion=2.1" >/dev/null
dotnet build "$here/Fixed" -c Release --no-incremental -nologo -v quiet "-p:ErrorLog=$scratch/fixed.sarif%2Cversion=2.1" >/dev/null
"${profiler[@]}" report --profile "$out/profile.json" --sarif "$scratch/original.sarif" --out "$out"
"${profiler[@]}" verify --profile "$out/profile.json" --sarif "$scratch/original.sarif" --after "$scratch/fixed-profile/profile.json" --out "$out/verify"
"${profiler[@]}" verify --profile "$scratch/fixed-profile/profile.json" --sarif "$scratch/fixed.sarif" --out "$out/fixed"

# 6. The committed outputs name source files relative to the repository root, not this machine's checkout (the PDBs
#    and SARIF logs hold absolute paths; verify matches files by their path's tail, so relative ones still join).
for file in "$out/profile.json" "$out/verify/verified.sarif" "$out/fixed/verified.sarif"; do
  sed -i -e "s#file://$root/##g" -e "s#$root/##g" "$file"
done
