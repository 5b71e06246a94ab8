#!/usr/bin/env bash
# Runs a GPU pack (a folder made by scripts/gpu-pack.sh) on an x86-64 Linux
# host with a Vulkan-capable GPU driver: no Node.js, npm or network needed,
# only bash and python3 or xz (to unpack node and Dawn, once, beside this
# script: the folder grows to ~160 MB, so it must be writable).
#
#   bash run.sh [--out DIR] [options of scripts/gpu-entry.ts]
#
# --out DIR (default ./gpu-out, from where it is started) receives the logs:
# console.log (everything printed), host.txt (the machine, its GPU, the Vulkan
# driver used), and what the program writes (gpu-run.log, bench.json,
# reference-experiment/). The exit status is the program's.
#
# WebGPU (the npm package `webgpu`, Google's Dawn) reaches the GPU through the
# Vulkan loader (packed: lib/libvulkan.so.1), which needs the GPU driver's
# Vulkan ICD. NVIDIA's driver serves Vulkan from libEGL_nvidia.so.0: where that
# library is found (and VK_ICD_FILENAMES / VK_DRIVER_FILES are not set), this
# script names it to the loader in an ICD file of its own. Elsewhere (AMD,
# Intel, or Mesa's lavapipe on the CPU) the loader finds the system's ICDs.
set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)

out=gpu-out
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --out) [ $# -ge 2 ] || { echo "run.sh: --out takes a folder" >&2; exit 2; }; out=$2; shift 2 ;;
    --out=*) out=${1#--out=}; shift ;;
    -h | --help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
mkdir -p "$out" && out=$(cd "$out" && pwd) || { echo "run.sh: cannot make the log folder $out" >&2; exit 2; }

# node and dawn.node travel xz-compressed; unpack each once (to a temporary
# name first, so an interrupted unpack is redone rather than left half-written).
unpack() {
  local src=$1 dst=$2 tmp="$2.partial.$$"
  [ -f "$dst" ] && return 0
  [ -f "$src" ] || { echo "run.sh: $src is missing: pack again with scripts/gpu-pack.sh" >&2; return 1; }
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$src" >"$tmp"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import lzma, shutil, sys
with lzma.open(sys.argv[1]) as i, open(sys.argv[2], "wb") as o: shutil.copyfileobj(i, o)' "$src" "$tmp"
  else
    echo "run.sh: needs xz or python3 to unpack $src" >&2
    return 1
  fi || { rm -f "$tmp"; echo "run.sh: could not unpack $src into $dir (is it writable?)" >&2; return 1; }
  mv "$tmp" "$dst"
}
unpack "$dir/node.xz" "$dir/node" && chmod +x "$dir/node" || exit 1
dawn=$dir/node_modules/webgpu/dist/linux-x64/dawn.node
unpack "$dawn.xz" "$dawn" || exit 1

# The NVIDIA driver's Vulkan ICD, where there is one: ldconfig's libraries,
# then where the NVIDIA container runtime mounts the driver.
icd="the system's Vulkan drivers (VK_ICD_FILENAMES / VK_DRIVER_FILES unset)"
egl=""
if [ -n "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
  icd="VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-} VK_DRIVER_FILES=${VK_DRIVER_FILES:-} (set by the caller)"
else
  for c in $(PATH=$PATH:/sbin:/usr/sbin ldconfig -p 2>/dev/null | awk '/libEGL_nvidia\.so\.0 .*x86-64/ {print $NF}') /usr/local/nvidia/lib64/libEGL_nvidia.so.0; do
    [ -f "$c" ] && { egl=$c; break; }
  done
  if [ -n "$egl" ]; then
    mkdir -p "$dir/vulkan"
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$egl" >"$dir/vulkan/nvidia_icd.json"
    export VK_ICD_FILENAMES=$dir/vulkan/nvidia_icd.json
    icd="NVIDIA's $egl (through $VK_ICD_FILENAMES)"
  fi
fi
export LD_LIBRARY_PATH="$dir/lib${egl:+:$(dirname "$egl")}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GRAPHC_GPU_DATA="$dir/data"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(uname -srm)"
  echo "pack: $dir"
  echo "vulkan: $icd"
  if command -v nvidia-smi >/dev/null 2>&1; then
    echo "nvidia-smi:"
    nvidia-smi 2>&1 | sed 's/^/  /'
  fi
} >"$out/host.txt"

start=$(date +%s)
"$dir/node" "$dir/main.mjs" --out "$out" ${args[@]+"${args[@]}"} 2>&1 | tee "$out/console.log"
status=${PIPESTATUS[0]}
echo "run.sh: exit $status after $(($(date +%s) - start)) s; logs in $out" | tee -a "$out/console.log"
exit "$status"
