#!/usr/bin/env bash
# Every test: installs what is missing, builds, then the Rust tests (host and
# WebAssembly SIMD) and the TypeScript suites (vitest). The README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm run --silent build
pnpm run --silent typecheck
bash scripts/test-rust.sh
pnpm exec vitest run
