#!/usr/bin/env bash
# Installs what tierbench needs to build on a fresh Debian/Ubuntu machine with the Swift toolchain:
# libcurl's development files and pkg-config. Does nothing when they are already there.
set -euo pipefail

need=()
if ! pkg-config --exists libcurl 2>/dev/null; then
    need+=(libcurl4-openssl-dev)
fi
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)

if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: the Swift toolchain (6.1 or later) is required: https://www.swift.org/install/linux/" >&2
    exit 1
fi
echo "setup: libcurl $(pkg-config --modversion libcurl), $(swift --version 2>&1 | head -1)"
