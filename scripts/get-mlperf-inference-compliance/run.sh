#!/usr/bin/env bash
# Lays MLPerf's official compliance tests (compliance/TESTnn: audit.config, run_verification.py, verify_*.py) out in
# this cache entry as they sit in an mlcommons/inference checkout, with tools/submission/log_parser.py beside them
# (TEST01's verify_performance.py imports it from ../../tools/submission), and finds a python3 with numpy for them.
# Source, first that applies: CM_MLPERF_COMPLIANCE_SOURCE (comma-separated folders or archives, offline),
# CM_MLPERF_INFERENCE_SOURCE (CM's key for an inference checkout), else
# `git clone --depth 1 --branch $CM_MLPERF_INFERENCE_GIT_TAG $CM_MLPERF_INFERENCE_GIT_URL`.
set -euo pipefail

out="$PWD"
me=get-mlperf-inference-compliance
stage="$out/stage"
rm -rf "$stage" "$out/inference"
mkdir -p "$stage"

sources=()
if [ -n "${CM_MLPERF_COMPLIANCE_SOURCE:-}" ]; then
  IFS=',' read -r -a sources <<< "$CM_MLPERF_COMPLIANCE_SOURCE"
elif [ -n "${CM_MLPERF_INFERENCE_SOURCE:-}" ]; then
  sources=("$CM_MLPERF_INFERENCE_SOURCE")
else
  command -v git >/dev/null || { echo "$me: git is needed to clone $CM_MLPERF_INFERENCE_GIT_URL (or pass --compliance_source=PATH for offline use)" >&2; exit 1; }
  echo "$me: cloning $CM_MLPERF_INFERENCE_GIT_URL at $CM_MLPERF_INFERENCE_GIT_TAG" >&2
  git clone --quiet --depth 1 --branch "$CM_MLPERF_INFERENCE_GIT_TAG" "$CM_MLPERF_INFERENCE_GIT_URL" "$stage/clone" \
    || { echo "$me: git clone failed; check the tag (--tag=...) and network, or pass --compliance_source=PATH for offline use" >&2; exit 1; }
  sources=("$stage/clone")
fi

# Each source is a folder or an archive; archives are unpacked into the staging folder.
roots=()
n=0
for source in "${sources[@]}"; do
  [ -n "$source" ] || continue
  case "$source" in /*) ;; *) source="${CM_TMP_CURRENT_PATH:-$PWD}/$source" ;; esac
  [ -e "$source" ] || { echo "$me: source $source does not exist; give an mlcommons/inference checkout, its compliance/ folder or an archive of either" >&2; exit 1; }
  if [ -d "$source" ]; then roots+=("$source"); continue; fi
  n=$((n + 1)); mkdir -p "$stage/$n"
  case "$source" in
    *.zip) "${CM_PYTHON_BIN_WITH_PATH:-python3}" -m zipfile -e "$source" "$stage/$n" ;;
    *) tar -xf "$source" -C "$stage/$n" || { echo "$me: $source is neither a folder nor an archive tar can unpack" >&2; exit 1; } ;;
  esac
  roots+=("$stage/$n")
done

find_one() { # $1: file path that must end the match; prints the first root-relative hit's full path
  for r in "${roots[@]}"; do
    hit="$(find "$r" -maxdepth 6 -path "*/$1" -print 2>/dev/null | sort | head -n 1)"
    [ -n "$hit" ] && { printf '%s\n' "$hit"; return 0; }
  done
  return 1
}
test01="$(find_one 'TEST01/run_verification.py')" || { echo "$me: no compliance/TEST01/run_verification.py in ${sources[*]}; give the compliance/ folder of mlcommons/inference" >&2; exit 1; }
find_one 'TEST04/run_verification.py' >/dev/null || { echo "$me: no compliance/TEST04/run_verification.py in ${sources[*]}" >&2; exit 1; }
parser="$(find_one 'tools/submission/log_parser.py')" || { echo "$me: no tools/submission/log_parser.py in ${sources[*]}; TEST01's verify_performance.py imports it: give the inference checkout or also its tools/submission/ (e.g. the submission checker's archive)" >&2; exit 1; }

mkdir -p "$out/inference/tools/submission"
cp -R "$(dirname "$(dirname "$test01")")" "$out/inference/compliance"
cp "$parser" "$out/inference/tools/submission/log_parser.py"
rm -rf "$stage"

# TEST01's scripts import numpy: the detected python3 if it has it, else Debian's.
python=""
for candidate in "${CM_PYTHON_BIN_WITH_PATH:-}" python3 /usr/bin/python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import numpy' 2>/dev/null; then python="$(command -v "$candidate")"; break; fi
done
[ -n "$python" ] || { echo "$me: no python3 with numpy found (TEST01's verification imports it); install it with: apt-get install python3-numpy" >&2; exit 1; }

{
  echo "CM_MLPERF_COMPLIANCE_PATH=$out/inference/compliance"
  echo "CM_MLPERF_COMPLIANCE_PYTHON=$python"
} > tmp-run-env.out
