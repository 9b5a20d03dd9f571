#!/usr/bin/env bash
# Installs what attnkit's build and tests need when it is missing, quietly and
# idempotently: a Rust toolchain with the wasm32 targets (Debian's packages), pnpm
# (the version pinned in package.json), Chromium for the browser tests, and the
# workspace's node_modules (workerd, Deno and Bun come from npm).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bootstrap: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "need root to run: $*"; exit 1
  fi
}

# A rustc whose wasm32-unknown-unknown and wasm32-wasi standard libraries are present.
has_wasm_targets() {
  local rustc=$1 dir
  command -v "$rustc" >/dev/null 2>&1 || return 1
  for target in wasm32-unknown-unknown wasm32-wasi; do
    dir=$("$rustc" --print target-libdir --target "$target" 2>/dev/null) || return 1
    [ -d "$dir" ] || return 1
  done
}

apt_packages=()
has_wasm_targets rustc || has_wasm_targets /usr/bin/rustc || apt_packages+=(rustc cargo libstd-rust-dev-wasm32 lld-14)
[[ " ${apt_packages[*]-} " == *" lld-14 "* ]] || command -v wasm-ld >/dev/null 2>&1 || [ -x /usr/bin/wasm-ld-14 ] || apt_packages+=(lld-14)
# The runtime tests drive Debian's Chromium headless (playwright-core cannot download one).
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || apt_packages+=(chromium)
if [ ${#apt_packages[@]} -gt 0 ]; then
  say "installing ${apt_packages[*]} (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  say "installing pnpm $pnpm_version (npm)"
  npm install --global --silent --no-fund --no-audit "pnpm@$pnpm_version" >/dev/null 2>&1 || as_root npm install --global --silent "pnpm@$pnpm_version" >/dev/null
fi

pnpm install --reporter=silent --prefer-offline
