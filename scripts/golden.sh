#!/usr/bin/env bash
# Regenerates test/golden/ from PyTorch (Debian's python3-torch, installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "golden: installing python3-torch (apt)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq python3-torch >/dev/null
  fi
fi
/usr/bin/python3 scripts/golden/generate.py
/usr/bin/python3 scripts/golden/bert.py
