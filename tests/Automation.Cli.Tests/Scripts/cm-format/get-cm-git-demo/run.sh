#!/bin/bash
${CM_GIT_DEMO_BIN_WITH_PATH} --version > tmp-ver.out
