#!/usr/bin/env bash
# The Rust core's tests, twice: on the host (the portable F32x4 fallback) and as
# WebAssembly with SIMD128 under Node's WASI (the very code paths the .wasm ships).
set -euo pipefail
cd "$(dirname "$0")/.."

host_cargo=cargo
command -v cargo >/dev/null 2>&1 || host_cargo=/usr/bin/cargo
echo "rust tests: host ($($host_cargo --version))"
$host_cargo test --quiet -p attnkit-core

echo "rust tests: wasm32-wasi with simd128 (Debian rustc, run by node:wasi)"
RUSTC=/usr/bin/rustc \
RUSTFLAGS="-C target-feature=+simd128,+bulk-memory" \
CARGO_TARGET_DIR=target/wasi \
CARGO_TARGET_WASM32_WASI_RUNNER="$PWD/node_modules/.bin/tsx $PWD/scripts/wasi-runner.ts" \
  /usr/bin/cargo test --quiet --release -p attnkit-core --target wasm32-wasi
