#!/usr/bin/env bash
# Fresh-install check: the five packages in artifacts/packages install into two brand-new console
# projects outside the repository, a net10.0 one (run with dotnet) and a .NET Framework 4.8 one (built
# here with Microsoft.NETFramework.ReferenceAssemblies, run with Mono: `mono-devel`), and each works
# there against the provider sandbox.
#
#   dotnet pack Generated.sln -c Release      (first: leaves the packages in artifacts/packages/)
#   bash build/fresh-install-check.sh
#
# What it does, for each project: creates a console project in a temporary folder, adds the five packages with
# `dotnet add package`, its nuget.config naming artifacts/packages as the only source of CandidateFiles.*
# and this machine's enabled NuGet sources for their dependencies, restores into a private package folder (so no cached copy of an older build of
# the same version can stand in), copies in build/fresh-install/Program.cs, which calls every client; then starts the sandbox with
# `dotnet run --project tests/CandidateFiles.Sandbox -- --urls http://127.0.0.1:<free port>`, runs the
# programs, checks what each printed, and always stops the sandbox and deletes the folder (trap), leaving
# no process behind (no MSBuild node reuse, no compiler server). Exit 0 = every check passed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
packages="$repo/artifacts/packages"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Leave no process behind: no reusable MSBuild nodes, no shared compiler server.
export MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false

say() { printf 'fresh-install: %s\n' "$*"; }
fail() { printf 'fresh-install: FAILED: %s\n' "$*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/candidatefiles-fresh-install.XXXXXX")
sandbox_pid=""
cleanup() {
  local status=$?
  if [ -n "$sandbox_pid" ]; then
    # The sandbox runs in its own process group (setsid): dotnet run and the app it started.
    kill -TERM -- "-$sandbox_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 -- "-$sandbox_pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL -- "-$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
    if kill -0 -- "-$sandbox_pid" 2>/dev/null; then
      printf 'fresh-install: the sandbox (process group %s) is still running\n' "$sandbox_pid" >&2
      status=1
    else
      say "sandbox stopped"
    fi
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- The packages -----------------------------------------------------------------------------------
ids=(CandidateFiles.Core CandidateFiles.Ehrweb CandidateFiles.HrMax CandidateFiles.HrFlow CandidateFiles.HeadHunter)
core=$(find "$packages" -maxdepth 1 -name 'CandidateFiles.Core.[0-9]*.nupkg' 2>/dev/null | head -n 1)
[ -n "$core" ] || fail "no CandidateFiles.Core package in $packages: run 'dotnet pack Generated.sln -c Release' first"
version=$(basename "$core" .nupkg)
version=${version#CandidateFiles.Core.}
for id in "${ids[@]}"; do
  [ -f "$packages/$id.$version.nupkg" ] || fail "missing $packages/$id.$version.nupkg"
done
say "packages $version from $packages"

# Dependencies come from this machine's enabled NuGet sources (nuget.org here).
mapfile -t default_sources < <(dotnet nuget list source --format short | awk '$1 ~ /^E/ { print $2 }')
[ "${#default_sources[@]}" -gt 0 ] || default_sources=(https://api.nuget.org/v3/index.json)

# --- Brand-new console projects, outside the repository ----------------------------------------------
export NUGET_PACKAGES="$work/nuget-packages"

# new_project NAME: writes the isolation files and nuget.config into $work/NAME (the project file is already there).
isolate_project() {
  local app=$1
  # Keep the repository's Directory.Build.props / Directory.Packages.props out of it even if TMPDIR is inside.
  printf '<Project />\n' >"$app/Directory.Build.props"
  printf '<Project />\n' >"$app/Directory.Build.targets"
  printf '<Project />\n' >"$app/Directory.Packages.props"
  # The project's NuGet sources: artifacts/packages for CandidateFiles.* (and nothing else may supply
  # them: package source mapping), the machine's default sources for everything else.
  {
    printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <clear />\n'
    printf '    <add key="local" value="%s" />\n' "$packages"
    local i=0 s
    for s in "${default_sources[@]}"; do printf '    <add key="default%d" value="%s" />\n' "$i" "$s"; i=$((i + 1)); done
    printf '  </packageSources>\n  <packageSourceMapping>\n'
    printf '    <packageSource key="local">\n      <package pattern="CandidateFiles.*" />\n    </packageSource>\n'
    i=0
    for s in "${default_sources[@]}"; do printf '    <packageSource key="default%d">\n      <package pattern="*" />\n    </packageSource>\n' "$i"; i=$((i + 1)); done
    printf '  </packageSourceMapping>\n</configuration>\n'
  } >"$app/nuget.config"
}

# add_packages DIR PACKAGE@VERSION...: dotnet add package, each logged, failing loudly.
add_packages() {
  local app=$1 spec id ver
  shift
  for spec in "$@"; do
    id=${spec%@*}
    ver=${spec#*@}
    (cd "$app" && dotnet add package "$id" --version "$ver") >"$work/add-$(basename "$app")-$id.log" 2>&1 \
      || { cat "$work/add-$(basename "$app")-$id.log" >&2; fail "$(basename "$app"): dotnet add package $id $ver"; }
  done
}

candidate_packages=()
for id in "${ids[@]}"; do candidate_packages+=("$id@$version"); done
# What a caller adds to host the clients with dependency injection (the container and configuration).
hosting_packages=(Microsoft.Extensions.DependencyInjection@10.0.0 Microsoft.Extensions.Configuration@10.0.0)

# The .NET 10 project.
app="$work/FreshInstall"
dotnet new console --framework net10.0 --name FreshInstall --output "$app" >/dev/null
isolate_project "$app"
add_packages "$app" "${candidate_packages[@]}"
say "net10.0: added ${ids[*]} $version"
add_packages "$app" "${hosting_packages[@]}"

# One program for both projects (build/fresh-install/Program.cs).
cp "$repo/build/fresh-install/Program.cs" "$app/Program.cs"

(cd "$app" && dotnet build -c Release) >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "the fresh net10.0 project does not build"; }
say "net10.0: fresh project builds"

# The .NET Framework 4.8 project: built with the reference-assembly package (no Windows needed), run with Mono.
netfx="$work/FreshInstallNetFx"
mkdir -p "$netfx"
cat >"$netfx/FreshInstallNetFx.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net48</TargetFramework>
    <LangVersion>latest</LangVersion>
    <Nullable>disable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="System.Net.Http" />
  </ItemGroup>
</Project>
XML
isolate_project "$netfx"
add_packages "$netfx" Microsoft.NETFramework.ReferenceAssemblies@1.0.3
add_packages "$netfx" "${candidate_packages[@]}"
say "net48: added ${ids[*]} $version"
add_packages "$netfx" "${hosting_packages[@]}"

cp "$repo/build/fresh-install/Program.cs" "$netfx/Program.cs"

(cd "$netfx" && dotnet build -c Release) >"$work/build-netfx.log" 2>&1 || { cat "$work/build-netfx.log" >&2; fail "the fresh net48 project does not build"; }
say "net48: fresh project builds"

# --- The sandbox, on a free loopback port -------------------------------------------------------------
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});")
setsid dotnet run --project "$repo/tests/CandidateFiles.Sandbox" -c Release -- --urls "http://127.0.0.1:$port" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
say "sandbox starting on http://127.0.0.1:$port (process group $sandbox_pid)"
for _ in $(seq 1 600); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; fail "the sandbox exited"; }
  sleep 0.2
done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { cat "$work/sandbox.log" >&2; fail "the sandbox did not listen within 120 s"; }

# --- Run them and check what each did --------------------------------------------------------------------
# run_and_check LABEL COMMAND...: runs the program against the sandbox and checks every provider's line.
run_and_check() {
  local label=$1 log="$work/run-$1.log" run_status expected
  shift
  set +e
  SANDBOX_URL="http://127.0.0.1:$port/" "$@" >"$log" 2>&1
  run_status=$?
  set -e
  sed "s/^/[$label] /" "$log"
  [ "$run_status" -eq 0 ] || fail "$label: the fresh project exited with $run_status"
  for expected in \
    "ehrweb headshot 68 bytes image/png" \
    "hrmax roundtrip 'fresh install'" \
    "hrmax detached" \
    "hrflow attachments 2" \
    "headhunter photo uploaded listed 1 deleted" \
    "FRESH-INSTALL OK"; do
    grep -qxF "$expected" "$log" || fail "$label: expected the line: $expected"
  done
  say "$label: OK"
}

run_and_check net10.0 dotnet run --project "$app" -c Release --no-build
# Mono stands in for .NET Framework 4.8 on Linux (docs/target-frameworks.md says what that proves and what not).
command -v mono >/dev/null || fail "mono is not installed (Debian: apt-get install -y --no-install-recommends mono-devel)"
run_and_check net48-mono mono "$netfx/bin/Release/net48/FreshInstallNetFx.exe"
grep -q "^runtime Mono" "$work/run-net48-mono.log" || fail "net48: did not run on Mono"
say "OK: the five packages install from $packages into a new net10.0 project and a new .NET Framework 4.8 project; both build and run against the sandbox (the net48 one under $(mono --version | head -n 1 | sed 's/ (.*//'))"
