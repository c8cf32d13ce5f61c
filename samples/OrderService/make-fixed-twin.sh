#!/usr/bin/env bash
# Produces Fixed/ from Original/ by applying AllocAnalyzers' own code fixes (Fix All, through `dotnet format analyzers`).
# Nothing in Fixed/ is edited by hand: run this after changing Original/, and commit both.
#   bash samples/OrderService/make-fixed-twin.sh [output-directory]    (default: samples/OrderService/Fixed)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$here/Fixed}"

# Every ID that has a code fix. ALLOC101's ObjectPool fix is offered only where Microsoft.Extensions.ObjectPool is
# referenced, which the order service does not do.
fixable="ALLOC101 ALLOC102 ALLOC201 ALLOC205 ALLOC301 ALLOC303 ALLOC401"

# The analyzers and fixes as built from this repository.
dotnet build "$root/src/AllocAnalyzers.CodeFixes/AllocAnalyzers.CodeFixes.csproj" -c Release -nologo -v quiet -clp:NoSummary >/dev/null
bin="$root/src/AllocAnalyzers.CodeFixes/bin/Release/netstandard2.0"

# A scratch project outside the repository, referencing them the way a package does (Analyzer items), with the same
# hot-path configuration; dotnet format rewrites its copies of the files.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here"/Original/*.cs "$here/.editorconfig" "$work"/
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Packages.props"
cat > "$work/OrderService.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <Analyzer Include="$bin/AllocAnalyzers.dll" />
    <Analyzer Include="$bin/AllocAnalyzers.CodeFixes.dll" />
  </ItemGroup>
</Project>
PROJECT
dotnet restore "$work/OrderService.csproj" -v quiet >/dev/null
# shellcheck disable=SC2086
# One ID at a time, in this order: given several IDs at once, dotnet format fixes them in an order that changes from run
# to run, and a Fix All it starts from a diagnostic that one fixer cannot fix is skipped (see README "Code fixes"), so the twin would
# differ between runs.
for id in $fixable; do
  dotnet format analyzers "$work/OrderService.csproj" --no-restore --diagnostics "$id" --severity info -v quiet
done

mkdir -p "$out"
find "$out" -maxdepth 1 -name '*.cs' -delete
cp "$work"/*.cs "$out"/
