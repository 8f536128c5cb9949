#!/usr/bin/env bash
# Runs `tierbench run SCENARIO --output OUT` with name resolution that never answers: in a private mount namespace
# /etc/resolv.conf points at a UDP socket on 127.0.0.1:53 that reads queries and never replies (nothing leaves the
# machine). A resolver that ignores the connect timeout, or blocks the load loop, shows as a run far longer than its
# duration. Used by DNSTimeoutTests; needs root (unshare -m, mount --bind) and python3. Exits 77 when it cannot set up.
set -u
bin="$1"; scenario="$2"; out="$3"
command -v unshare >/dev/null && command -v python3 >/dev/null || exit 77
[ "$(id -u)" -eq 0 ] || exit 77
exec timeout 120 unshare -m bash -s "$bin" "$scenario" "$out" <<'INNER'
set -u
bin="$1"; scenario="$2"; out="$3"
conf="$(mktemp)"
printf 'nameserver 127.0.0.1\noptions timeout:5 attempts:2\n' > "$conf"
mount --bind "$conf" /etc/resolv.conf || exit 77
python3 - <<'PY' &
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
s.settimeout(0.5)
end = time.time() + 60
while time.time() < end:
    try: s.recvfrom(4096)
    except socket.timeout: pass
PY
dns=$!
for _ in $(seq 50); do python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); sys.exit(0 if s.connect_ex(("127.0.0.1",53))==0 else 1)' && break; sleep 0.1; done
sleep 0.3
"$bin" run "$scenario" --output "$out" --quiet --progress off
code=$?
kill -KILL "$dns" 2>/dev/null  # SIGKILL: a mask inherited from the caller may block SIGTERM
rm -f "$conf"
exit "$code"
INNER
