#!/usr/bin/env bash
# Regenerates test/vectors/ with gensim and numpy (Debian's python3-gensim and
# python3-numpy, installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import gensim, numpy' 2>/dev/null; then
  echo "vectors: installing python3-gensim python3-numpy (apt)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-gensim python3-numpy >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq python3-gensim python3-numpy >/dev/null
  fi
fi
/usr/bin/python3 scripts/vectors/generate.py
