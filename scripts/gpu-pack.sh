#!/usr/bin/env bash
# Packs the GPU run into .gpu/ (keep it out of git): compiles the model
# variants scripts/gpu-entry.ts times, writes the entry that hands them to it,
# and bundles that with ../shared/gpu/pack.sh (node, Dawn, libvulkan, MNIST).
#
#   usage, from the project root after npm ci:
#     scripts/gpu-pack.sh                          # the seed's sizes
#     scripts/gpu-pack.sh --set hidden_size=16     # a small rehearsal, e.g. on lavapipe
#   then on the GPU host:  bash scripts/gpu-host.sh    (or bash .gpu/run.sh [options of gpu-entry.ts])
set -euo pipefail
cd "$(dirname "$0")/.."
pack=${GRAPHC_PACK:-../shared/gpu/pack.sh}
[ -x "$pack" ] || [ -f "$pack" ] || { echo "gpu-pack: no pack.sh at $pack (set GRAPHC_PACK)" >&2; exit 2; }
build=.graphc/gpu-build
rm -rf "$build"
mkdir -p "$build"

# name | label | train? | timed steps per round | --set overrides
variants=(
  "seed|Bi-GRU 2-layer, block_gru (fused kernels)|true|20|"
  "bigru2_gru|Bi-GRU 2-layer, gru (composite ops)|false|3|cell_type=gru"
  "bigru1|Bi-GRU 1-layer, block_gru (fused kernels)|false|20|layer_num=1"
  "bigru1_gru|Bi-GRU 1-layer, gru (composite ops)|false|3|layer_num=1 cell_type=gru"
)
imports=""
entries=""
for v in "${variants[@]}"; do
  IFS='|' read -r name label train steps sets <<<"$v"
  args=()
  for s in $sets; do args+=(--set "$s"); done
  compile=(node bin/graphc.js compile graphs/bigru.yaml --out-dir "$build/$name" "$@" "${args[@]}")
  "${compile[@]}" >/dev/null 2>&1 || "${compile[@]}"  # quiet unless it fails
  imports+="import { model as ${name} } from './${name}/bigru.js';"$'\n'
  entries+="  { label: '${label}', model: ${name}, train: ${train}, benchSteps: ${steps} },"$'\n'
done
cat > "$build/entry.ts" <<TS
// Written by scripts/gpu-pack.sh $*
import { main } from '../../scripts/gpu-entry.js';
${imports}
process.exitCode = await main([
${entries}], process.argv.slice(2));
TS
"$pack" "$build/entry.ts" .gpu
cp scripts/gpu-host.sh .gpu/host.sh
