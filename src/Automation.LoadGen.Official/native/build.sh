#!/usr/bin/env bash
# Builds the official MLPerf LoadGen (unaltered, as a static library) and this folder's C ABI shim around it.
#
#   build.sh SOURCE OUT
#
# SOURCE: a git checkout of mlcommons/inference (its loadgen/ folder is used), a LoadGen folder (with loadgen.h),
#         or an archive (.tar.gz/.tgz/.tar.xz/.tar/.zip) of either. It is copied or extracted into OUT/src first:
#         LoadGen's CMake step writes a header into its source folder, and SOURCE may be read-only.
# OUT:    output folder; the shim ends up at OUT/lib/libmlperf_loadgen_shim.so (prints "SHIM_LIB=<path>").
# Env:    CMAKE (default cmake), PYTHON (default python3; LoadGen's CMake step runs version_generator.py),
#         CMAKE_BUILD_PARALLEL_LEVEL (default: number of CPUs), MLPERF_LOADGEN_SRC_READY=1 when OUT/src is already
#         the source (e.g. a fresh git clone there).
set -euo pipefail

source_arg="${1:?usage: build.sh SOURCE OUT}"
out="${2:?usage: build.sh SOURCE OUT}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmake_bin="${CMAKE:-cmake}"
python_bin="${PYTHON:-python3}"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}"

die() { echo "build.sh: $*" >&2; exit 1; }
command -v "$cmake_bin" >/dev/null || die "cmake not found ($cmake_bin); install cmake (apt-get install cmake)"
command -v "$python_bin" >/dev/null || die "python3 not found ($python_bin); LoadGen's CMake step needs it"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
src="$out/src"
if [ "${MLPERF_LOADGEN_SRC_READY:-0}" != 1 ]; then
  rm -rf "$src" && mkdir -p "$src"
  if [ -d "$source_arg" ]; then
    cp -R "$source_arg/." "$src/"
  elif [ -f "$source_arg" ]; then
    case "$source_arg" in
      *.zip) command -v unzip >/dev/null || die "unzip is needed for $source_arg"; unzip -q "$source_arg" -d "$src" ;;
      *) tar -xf "$source_arg" -C "$src" ;;
    esac
  else
    die "LoadGen source '$source_arg' is neither a folder nor an archive"
  fi
fi

# Find the LoadGen folder: the source itself, its loadgen/ folder, or one level below (an archive's top folder).
loadgen=""
for candidate in "$src" "$src/loadgen" "$src"/*/ "$src"/*/loadgen; do
  candidate="${candidate%/}"
  if [ -f "$candidate/loadgen.h" ] && [ -f "$candidate/CMakeLists.txt" ]; then loadgen="$candidate"; break; fi
done
[ -n "$loadgen" ] || die "no LoadGen sources (loadgen.h + CMakeLists.txt) found in '$source_arg'"

build_type="${CMAKE_BUILD_TYPE:-Release}"
"$cmake_bin" -S "$loadgen" -B "$out/build/loadgen" -DCMAKE_BUILD_TYPE="$build_type" \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DPYTHON_EXECUTABLE="$(command -v "$python_bin")" >"$out/build-loadgen.log" 2>&1 \
  || { tail -n 40 "$out/build-loadgen.log" >&2; die "configuring LoadGen failed (log: $out/build-loadgen.log)"; }
"$cmake_bin" --build "$out/build/loadgen" --target mlperf_loadgen >>"$out/build-loadgen.log" 2>&1 \
  || { tail -n 40 "$out/build-loadgen.log" >&2; die "building LoadGen failed (log: $out/build-loadgen.log)"; }
library="$(find "$out/build/loadgen" -maxdepth 2 -name 'libmlperf_loadgen.a' | head -n 1)"
[ -n "$library" ] || die "LoadGen built no libmlperf_loadgen.a (log: $out/build-loadgen.log)"

"$cmake_bin" -S "$here" -B "$out/build/shim" -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_INSTALL_PREFIX="$out" \
  -DMLPERF_LOADGEN_SOURCE_DIR="$loadgen" -DMLPERF_LOADGEN_LIBRARY="$library" >"$out/build-shim.log" 2>&1 \
  && "$cmake_bin" --build "$out/build/shim" >>"$out/build-shim.log" 2>&1 \
  && "$cmake_bin" --install "$out/build/shim" >>"$out/build-shim.log" 2>&1 \
  || { tail -n 40 "$out/build-shim.log" >&2; die "building the shim failed (log: $out/build-shim.log)"; }

shim="$out/lib/libmlperf_loadgen_shim.so"
[ -f "$shim" ] || die "the shim was not installed at $shim"
echo "LOADGEN_SOURCE=$loadgen"
echo "LOADGEN_VERSION=$(tr -d '[:space:]' < "$loadgen/VERSION.txt")"
echo "SHIM_LIB=$shim"
