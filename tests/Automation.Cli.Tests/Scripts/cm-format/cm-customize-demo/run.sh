#!/bin/bash
echo "CM_CUSTOMIZE_DEMO_RAN=yes" > tmp-run-env.out
