#!/usr/bin/env bash
# Issue #6's first figure: fresh clone -> README main command -> results, on this machine, then the second run.
# Clones this checkout's HEAD into a temp folder beside a link to ../shared, points NuGet at an empty package folder
# (so restore downloads everything, as on a new machine) and times the README's main command twice.
# The Debian package dataset-fashion-mnist is system state and left as it is: `apt-get remove dataset-fashion-mnist`
# first to include its install in the figure.
# Usage: bench/fresh-clone.sh [--keep-nuget]   (--keep-nuget: reuse ~/.nuget/packages, i.e. a warm machine)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/cm-fresh-clone.XXXXXX)"
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/main"
[ -d "$repo/../shared" ] && ln -s "$(cd "$repo/../shared" && pwd)" "$work/shared"
[ "${1:-}" = "--keep-nuget" ] || export NUGET_PACKAGES="$work/nuget"
dotnet build-server shutdown >/dev/null 2>&1 || true
cmd=(./cm run script --tags=app,mlperf,inference,_fashion-mnist,_offline,_submission --test_query_count=20000 --quiet)
cd "$work/main"
timed() { local s e; s=$(date +%s.%N); "$@" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'; }
first=$(timed "${cmd[@]}")
grep -E "result |accuracy|samples per second" "$work/out.txt" | sed 's/^/  /'
second=$(timed "${cmd[@]}")
grep -q "get-ml-model-fashion-mnist,_fp32,_onnx (cached" "$work/out.txt" || { echo "second run did not reuse the model"; exit 1; }
awk -v f="$first" -v s="$second" 'BEGIN {
  printf "%-46s %8.1f s   target <= 300 s: %s\n", "fresh clone -> results (build, install, train)", f, (f <= 300 ? "ok" : "MISSED")
  printf "%-46s %8.2f s   ratio to the first run: %.4f\n", "second run (cache reused, LoadGen only)", s, s / f }'
