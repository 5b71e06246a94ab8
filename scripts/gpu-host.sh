#!/usr/bin/env bash
# Runs the packed GPU run (scripts/gpu-pack.sh) on a GPU host: the speed
# table, then the full seed experiment (5000 steps, stopped at --deadline-s),
# with every log under $OUT. Extra arguments go to scripts/gpu-entry.ts.
#   bash scripts/gpu-host.sh                 # from the project root, .gpu/ beside it
#   bash scripts/gpu-host.sh --steps 1000    # e.g. a shorter experiment
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gpu=$here
[ -f "$gpu/run.sh" ] || gpu=$here/../.gpu
out=${OUT:-$PWD/gpu-out}
mkdir -p "$out"
{ nvidia-smi || true; } >"$out/nvidia-smi.txt" 2>&1
start=$(date +%s)
bash "$gpu/run.sh" --out "$out" "$@" 2>&1 | tee "$out/console.log"
status=${PIPESTATUS[0]}
echo "gpu-host: exit $status after $(( $(date +%s) - start )) s" | tee -a "$out/console.log"
exit "$status"
