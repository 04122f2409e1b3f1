#!/usr/bin/env bash
# Installs the Debian packages olsgd needs, and only those that are missing, so
# `make` stays fast and offline on a machine that already has them.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ccache
  libzmq3-dev cppzmq-dev libmsgpack-cxx-dev libopenblas-dev libspdlog-dev
  libgtest-dev libgmock-dev libyaml-cpp-dev libcli11-dev libbenchmark-dev
  nlohmann-json3-dev zlib1g-dev gnuplot-nox dataset-fashion-mnist iproute2 libdnnl-dev
)
# Extra tools for .ci/run (clang for the ThreadSanitizer build with the
# thread-safety analysis and for the fuzz target, clang-format for the format check).
if [[ "${1:-}" == "--ci" ]]; then
  PACKAGES+=(clang libclang-rt-14-dev clang-format)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "install-deps: installing missing packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
