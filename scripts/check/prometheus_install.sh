#!/usr/bin/env bash
# Installs Debian's `prometheus` package (it brings `prometheus` and `promtool`) when they are missing, without
# leaving the package's system service running: a policy-rc.d that forbids service starts during the install, and a
# stop of the unit afterwards in case one started anyway. Exit 0 when both binaries are present afterwards, 1 when not
# (the reason on stderr). Used by scripts/check/prometheus_check.sh.
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "prometheus: not installed and no apt-get on this machine" >&2
    exit 1
fi
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo_cmd="sudo -n"
    else
        echo "prometheus: not installed, and installing needs root (no password-less sudo)" >&2
        exit 1
    fi
fi

policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
    # 101 = "action forbidden": invoke-rc.d starts no service while the package installs.
    printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$policy" >/dev/null
    $sudo_cmd chmod 755 "$policy"
    made_policy=1
fi
cleanup_policy() { if [ "$made_policy" = 1 ]; then $sudo_cmd rm -f "$policy"; fi; }
trap cleanup_policy EXIT

echo "prometheus: installing Debian's prometheus package (apt-get)"
# `env` carries DEBIAN_FRONTEND through sudo (which drops the caller's environment); the lock timeout waits for an
# unattended-upgrades run on a fresh machine instead of failing at once.
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
log="$(mktemp "${TMPDIR:-/tmp}/tierbench-prometheus-apt.XXXXXX")"
if ! timeout 600 $sudo_cmd "${apt[@]}" update -qq >"$log" 2>&1; then
    echo "prometheus: apt-get update failed (no network or no package mirror)" >&2
    tail -n 5 "$log" >&2 || true
fi
if ! timeout 900 $sudo_cmd "${apt[@]}" install -y -qq --no-install-recommends prometheus >>"$log" 2>&1; then
    echo "prometheus: apt-get install prometheus failed (log: $log)" >&2
    tail -n 5 "$log" >&2 || true
    exit 1
fi
rm -f "$log"
# Should a service manager have started it anyway, stop it: the check runs its own server on a free port.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $sudo_cmd systemctl stop prometheus >/dev/null 2>&1 || true
    $sudo_cmd systemctl disable prometheus >/dev/null 2>&1 || true
fi
if command -v service >/dev/null 2>&1; then $sudo_cmd service prometheus stop >/dev/null 2>&1 || true; fi
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || {
    echo "prometheus: the package installed but promtool/prometheus are not on PATH" >&2
    exit 1
}
echo "prometheus: $(prometheus --version 2>&1 | head -n 1)"
