#!/usr/bin/env bash
# Obtains the official MLPerf LoadGen source and builds it, unaltered, plus the project's C ABI shim
# (src/Automation.LoadGen.Official/native) into this cache entry (the working directory).
# Source, first that applies: CM_MLPERF_LOADGEN_SOURCE (folder or archive, offline), a get-git-repo checkout
# (CM_GIT_REPO_CHECKOUT_PATH), else `git clone --depth 1 --branch $CM_MLPERF_LOADGEN_GIT_TAG $CM_MLPERF_LOADGEN_GIT_URL`.
set -euo pipefail

out="$PWD"
shim_src="${CM_MLPERF_LOADGEN_SHIM_SOURCE:-$CM_TMP_CURRENT_SCRIPT_PATH/../../src/Automation.LoadGen.Official/native}"
[ -f "$shim_src/build.sh" ] || { echo "get-mlperf-inference-loadgen: no shim sources at $shim_src; set CM_MLPERF_LOADGEN_SHIM_SOURCE to src/Automation.LoadGen.Official/native" >&2; exit 1; }

ready=0
if [ -n "${CM_MLPERF_LOADGEN_SOURCE:-}" ]; then
  source="$CM_MLPERF_LOADGEN_SOURCE"
  case "$source" in /*) ;; *) source="${CM_TMP_CURRENT_PATH:-$PWD}/$source" ;; esac
  [ -e "$source" ] || { echo "get-mlperf-inference-loadgen: CM_MLPERF_LOADGEN_SOURCE=$CM_MLPERF_LOADGEN_SOURCE does not exist; give a LoadGen folder, an mlcommons/inference checkout or an archive of either" >&2; exit 1; }
elif [ -n "${CM_GIT_REPO_CHECKOUT_PATH:-}" ]; then
  source="$CM_GIT_REPO_CHECKOUT_PATH"
else
  command -v git >/dev/null || { echo "get-mlperf-inference-loadgen: git is needed to clone $CM_MLPERF_LOADGEN_GIT_URL (or pass --source=PATH for an offline build)" >&2; exit 1; }
  rm -rf "$out/src"
  echo "get-mlperf-inference-loadgen: cloning $CM_MLPERF_LOADGEN_GIT_URL at $CM_MLPERF_LOADGEN_GIT_TAG" >&2
  git clone --quiet --depth 1 --branch "$CM_MLPERF_LOADGEN_GIT_TAG" "$CM_MLPERF_LOADGEN_GIT_URL" "$out/src" \
    || { echo "get-mlperf-inference-loadgen: git clone failed; check the tag (--tag=...) and network, or pass --source=PATH for an offline build" >&2; exit 1; }
  source="$out/src"
  ready=1
fi

echo "get-mlperf-inference-loadgen: building LoadGen from $source (about a minute)" >&2
built="$(PYTHON="${CM_PYTHON_BIN_WITH_PATH:-python3}" CMAKE="${CM_CMAKE_BIN_WITH_PATH:-cmake}" MLPERF_LOADGEN_SRC_READY=$ready \
  bash "$shim_src/build.sh" "$source" "$out")"
value() { printf '%s\n' "$built" | sed -n "s/^$1=//p" | tail -n 1; }
loadgen="$(value LOADGEN_SOURCE)"

{
  echo "CM_MLPERF_LOADGEN_SHIM_LIB=$(value SHIM_LIB)"
  echo "CM_MLPERF_LOADGEN_VERSION=$(value LOADGEN_VERSION)"
  echo "CM_MLPERF_LOADGEN_SRC_PATH=$loadgen"
  echo "CM_MLPERF_LOADGEN_INCLUDE_PATH=$loadgen"
  echo "CM_MLPERF_LOADGEN_LIBRARY=$(find "$out/build/loadgen" -maxdepth 2 -name 'libmlperf_loadgen.a' | head -n 1)"
  echo "CM_MLPERF_LOADGEN_MLPERF_CONF=$loadgen/mlperf.conf"
  echo "CM_VERSION=$(value LOADGEN_VERSION)"
} > tmp-run-env.out
