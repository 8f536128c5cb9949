# Sourced by the screenshot scripts: sets $browser to a headless-capable Chromium, installing Debian's `chromium`
# package (and a font) with apt-get when none is on PATH.
find_chromium() {
    for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$candidate" >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if ! browser="$(find_chromium)"; then
    echo "== installing chromium (Debian package) with apt-get"
    sudo_cmd=()
    if [[ "$(id -u)" -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        chromium fonts-dejavu-core >/dev/null
    browser="$(find_chromium)" || { echo "FAIL: chromium is still not installed" >&2; exit 1; }
fi
echo "== browser: $("$browser" --version 2>/dev/null || echo "$browser")"
