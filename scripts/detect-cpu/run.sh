#!/bin/bash
# Reports the CPU and memory in CM's key names from /proc (Linux) or sysctl (macOS).
set -e
out=tmp-run-env.out
: > "$out"
if [ -r /proc/cpuinfo ]; then
  model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  threads=$(grep -c '^processor' /proc/cpuinfo)
  cores=$(grep '^core id' /proc/cpuinfo | sort -u | wc -l)
  sockets=$(grep '^physical id' /proc/cpuinfo | sort -u | wc -l)
  flags=$(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2-)
  [ "$cores" -gt 0 ] || cores=$threads
  [ "$sockets" -gt 0 ] || sockets=1
  mem_kb=$(grep '^MemTotal' /proc/meminfo | awk '{print $2}')
  vendor=$(grep -m1 '^vendor_id' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
else
  model=$(sysctl -n machdep.cpu.brand_string 2>/dev/null || echo unknown)
  threads=$(sysctl -n hw.logicalcpu 2>/dev/null || echo 1)
  cores=$(sysctl -n hw.physicalcpu 2>/dev/null || echo 1)
  sockets=1
  flags=$(sysctl -n machdep.cpu.features 2>/dev/null | tr 'A-Z' 'a-z')
  mem_kb=$(( $(sysctl -n hw.memsize 2>/dev/null || echo 0) / 1024 ))
  vendor=$(sysctl -n machdep.cpu.vendor 2>/dev/null || echo unknown)
fi
has() { case " $flags " in *" $1 "*) echo yes ;; *) echo no ;; esac; }
# Frequency and caches for systems/*.json (CM's key names); lscpu is util-linux, present on every Debian.
max_mhz=""; l1d=""; l2=""; l3=""
if command -v lscpu >/dev/null 2>&1; then
  info=$(LC_ALL=C lscpu 2>/dev/null || true)
  field() { printf '%s\n' "$info" | grep -m1 "^$1:" | cut -d: -f2- | sed 's/^ *//; s/ *(.*//'; }
  max_mhz=$(field 'CPU max MHz'); l1d=$(field 'L1d cache'); l2=$(field 'L2 cache'); l3=$(field 'L3 cache')
fi
[ -n "$max_mhz" ] || max_mhz=$(grep -m1 '^cpu MHz' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
{
  echo "CM_HOST_CPU_MODEL_NAME=${model:-unknown}"
  echo "CM_HOST_CPU_VENDOR_ID=${vendor:-unknown}"
  echo "CM_HOST_CPU_TOTAL_LOGICAL_CORES=$threads"
  echo "CM_HOST_CPU_TOTAL_PHYSICAL_CORES=$cores"
  echo "CM_HOST_CPU_SOCKETS=$sockets"
  echo "CM_HOST_CPU_THREADS_PER_CORE=$(( threads / (cores > 0 ? cores : 1) ))"
  echo "CM_HOST_CPU_ARCHITECTURE=$(uname -m)"
  echo "CM_HOST_CPU_AVX2=$(has avx2)"
  echo "CM_HOST_CPU_AVX512=$(has avx512f)"
  echo "CM_HOST_CPU_FMA=$(has fma)"
  [ -z "$max_mhz" ] || echo "CM_HOST_CPU_MAX_MHZ=${max_mhz%%.*}"
  [ -z "$l1d" ] || echo "CM_HOST_CPU_L1D_CACHE_SIZE=$l1d"
  [ -z "$l2" ] || echo "CM_HOST_CPU_L2_CACHE_SIZE=$l2"
  [ -z "$l3" ] || echo "CM_HOST_CPU_L3_CACHE_SIZE=$l3"
  echo "CM_HOST_MEMORY_CAPACITY_KB=${mem_kb:-0}"
  echo "CM_HOST_MEMORY_CAPACITY=$(( ${mem_kb:-0} / 1048576 ))G"
} >> "$out"
