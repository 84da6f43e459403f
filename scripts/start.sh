#!/usr/bin/env bash
# The main command: set-up, the local Kafka broker and FerretDB, the services built, and the system's main job:
# the decision pipeline fed by a realistic stream of AI-agent proposals, with a live summary.
set -euo pipefail
cd "$(dirname "$0")/.."
# Workspace tools straight from node_modules (npx would re-resolve them and add its own noise).
export PATH="$PWD/node_modules/.bin:$PATH"
bash scripts/setup.sh
tsx libs/testing/src/cli.ts up
nx run-many -t build --projects=tag:type:app --output-style=static
# The demo runs until Ctrl-C; arguments pass through (npm start -- --for 20; npm start -- --help).
exec tsx --tsconfig tools/demo/tsconfig.json tools/demo/run-demo.ts "$@"
