#!/bin/bash
# A small real chain: the deps detected the OS, the CPU and Python; this step uses all three.
set -e
report=$("$CM_PYTHON_BIN_WITH_PATH" -c 'import platform, sys; print(f"python {platform.python_version()} on {platform.system()}")')
echo "Host: ${CM_HOST_OS_NAME:-$CM_HOST_OS_TYPE}, CPU: $CM_HOST_CPU_MODEL_NAME x$CM_HOST_CPU_TOTAL_LOGICAL_CORES, $report"
echo "CM_HELLO_REPORT=$report on ${CM_HOST_OS_FLAVOR:-$CM_HOST_OS_TYPE} ${CM_HOST_OS_VERSION:-}, $CM_HOST_CPU_TOTAL_LOGICAL_CORES cores" > tmp-run-env.out
if [ -n "$CM_HELLO_RESULTS_DIR" ]; then
  mkdir -p "$CM_HELLO_RESULTS_DIR"
  echo "$report" > "$CM_HELLO_RESULTS_DIR/hello.txt"
  echo "CM_HELLO_RESULTS_FILE=$CM_HELLO_RESULTS_DIR/hello.txt" >> tmp-run-env.out
fi
