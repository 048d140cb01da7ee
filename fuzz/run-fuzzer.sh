#!/bin/sh
# Runs one libFuzzer target on a fresh copy of its seed corpus (the ctest entries fuzz_*).
# Usage: run-fuzzer.sh FUZZER SEED_CORPUS WORK_DIR [libFuzzer options…]
# The copy and any crash artifact stay in WORK_DIR (the build tree); the seed corpus in the
# source tree is only read.
set -eu
fuzzer=$1
seeds=$2
work=$3
shift 3
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$seeds"/* "$work/corpus/"
exec "$fuzzer" -artifact_prefix="$work/artifacts/" "$@" "$work/corpus"
