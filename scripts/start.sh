#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the attnkit command line.
# Without arguments it walks the worked example's sentence.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm run --silent build >&2
if [ $# -eq 0 ]; then set -- demo; fi
exec node packages/attnkit/dist/cli.js "$@"
