#!/usr/bin/env bash
# Installs the benchmark's peers on demand (called by bench/peers.bench.ts, so by `pnpm bench`;
# never by CI): the npm packages pinned in bench/peers/package-lock.json, into
# bench/peers/node_modules (~500 MB, outside the pnpm workspace), and Debian's python3-torch,
# which scripts/onnx/export.py uses to write the ONNX models. Idempotent and quiet: does
# nothing when node_modules already matches the lockfile.
set -euo pipefail
cd "$(dirname "$0")"
# onnxruntime-node's postinstall would fetch CUDA files from a host this machine cannot reach.
export ONNXRUNTIME_NODE_INSTALL=skip
stamp=node_modules/.attnkit-lock-sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bench/peers: npm ci (onnxruntime-web, onnxruntime-node, tfjs-core, tfjs-backend-wasm, transformers.js)" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "bench/peers: installing python3-torch (apt)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq python3-torch >/dev/null
  fi
fi
