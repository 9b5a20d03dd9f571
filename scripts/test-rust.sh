#!/usr/bin/env bash
# The Rust core's tests, twice: on the host (the portable F32x4 fallback) and as
# WebAssembly with SIMD128 under Node's WASI (the very code paths the .wasm ships).
set -euo pipefail
cd "$(dirname "$0")/.."

host_cargo=cargo
command -v cargo >/dev/null 2>&1 || host_cargo=/usr/bin/cargo
echo "rust tests: host ($($host_cargo --version))"
$host_cargo test --quiet -p attnkit-core

# The first rustc with the wasm32-wasi standard library: a rustup toolchain with the
# target, else Debian's (libstd-rust-dev-wasm32), with its own cargo.
wasi_rustc=/usr/bin/rustc wasi_cargo=/usr/bin/cargo
if dir=$(rustc --print target-libdir --target wasm32-wasi 2>/dev/null) && [ -d "$dir" ]; then
  wasi_rustc=rustc wasi_cargo=cargo
fi
echo "rust tests: wasm32-wasi with simd128 ($($wasi_rustc --version), run by node:wasi)"
RUSTC=$wasi_rustc \
RUSTFLAGS="-C target-feature=+simd128,+bulk-memory" \
CARGO_TARGET_DIR=target/wasi \
CARGO_TARGET_WASM32_WASI_RUNNER="$PWD/node_modules/.bin/tsx $PWD/scripts/wasi-runner.ts" \
NODE_OPTIONS=--no-warnings \
  $wasi_cargo test --quiet --release -p attnkit-core --target wasm32-wasi
