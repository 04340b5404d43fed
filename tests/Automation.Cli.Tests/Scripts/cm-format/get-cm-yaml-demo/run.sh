#!/bin/bash
echo "CM_DEMO_MESSAGE=${CM_DEMO_GREETING} x${CM_DEMO_SIZE} count=${CM_DEMO_COUNT:-none} on ${CM_HOST_OS_TYPE}" > tmp-run-env.out
echo "CM_DEMO_PYTHON=${CM_PYTHON_BIN_WITH_PATH:-skipped}" >> tmp-run-env.out
