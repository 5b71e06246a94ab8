#!/usr/bin/env bash
# Installs Mesa's lavapipe, a Vulkan driver that runs on the CPU, so that
# WebGPU (the npm package `webgpu`, Dawn) finds an adapter on machines without
# a GPU, e.g. CI. Dawn refuses lavapipe older than Mesa 24, so on Debian
# bookworm (Mesa 22) it comes from bookworm-backports. Idempotent and quiet;
# needs root or sudo, and apt.
set -euo pipefail

major() { sed -e 's/^[0-9]*://' -e 's/[.~+-].*//'; }
installed=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | major || true)
if [ "${installed:-0}" -ge 24 ] 2>/dev/null && dpkg-query -W libvulkan1 >/dev/null 2>&1; then exit 0; fi

command -v apt-get >/dev/null || { echo "install-lavapipe: needs apt-get; install Mesa's Vulkan drivers (lavapipe) 24 or newer and libvulkan1" >&2; exit 1; }
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive

$sudo apt-get update -qq
suite=()
candidate=$(apt-cache policy mesa-vulkan-drivers | awk '/Candidate:/ {print $2}' | major)
if ! [ "${candidate:-0}" -ge 24 ] 2>/dev/null; then
  # The release is too old: take Mesa from its backports suite.
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$codename" ] && [ -n "$uri" ] || { echo "install-lavapipe: cannot find this release's backports suite; install Mesa 24 or newer yourself" >&2; exit 1; }
  echo "deb $uri $codename-backports main" | $sudo tee /etc/apt/sources.list.d/graphc-backports.list >/dev/null
  $sudo apt-get update -qq
  suite=(-t "$codename-backports")
fi
$sudo apt-get install -y -qq "${suite[@]}" mesa-vulkan-drivers libvulkan1 >/dev/null
