#!/bin/bash
# A quick, deterministic sweep target: one short real chain (detect-os -> detect-cpu -> this step) whose key
# figures depend only on its inputs, so sweep tests can check them. batch_size <= 0 fails on purpose (exit 3).
set -e
bs="$CM_SWEEP_PROBE_BATCH_SIZE"; th="$CM_SWEEP_PROBE_THREADS"
case "$bs$th" in *[!0-9-]*) echo "app-sweep-probe: batch_size and threads must be integers (got '$bs', '$th')" >&2; exit 2 ;; esac
if [ "$bs" -le 0 ]; then echo "app-sweep-probe: batch_size must be positive (got $bs)" >&2; exit 3; fi
if [ "$CM_SWEEP_PROBE_SLEEP" != "0" ]; then sleep "$CM_SWEEP_PROBE_SLEEP"; fi
# A made-up but monotone "throughput": grows with batch and threads, with diminishing returns for large batches.
sps=$(( bs * th * 1000 / (bs + 7) ))
echo "probe: batch_size=$bs threads=$th on ${CM_HOST_CPU_TOTAL_LOGICAL_CORES:-?} cores -> $sps samples/s"
{
  echo "CM_SWEEP_PROBE_SAMPLES_PER_SECOND=$sps"
  echo "CM_SWEEP_PROBE_LATENCY_MS=$(( bs * 1000 / (sps > 0 ? sps : 1) ))"
} > tmp-run-env.out
if [ -n "$CM_SWEEP_PROBE_RESULTS_DIR" ]; then
  mkdir -p "$CM_SWEEP_PROBE_RESULTS_DIR"
  printf '{"batch_size": %s, "threads": %s, "samples_per_second": %s}\n' "$bs" "$th" "$sps" > "$CM_SWEEP_PROBE_RESULTS_DIR/probe.json"
  echo "CM_SWEEP_PROBE_RESULTS_FILE=$CM_SWEEP_PROBE_RESULTS_DIR/probe.json" >> tmp-run-env.out
fi
