#!/usr/bin/env bash
# The main command: set-up, the local Kafka broker and FerretDB, the services built, and the system's main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsx libs/testing/src/cli.ts up
npx nx run-many -t build --projects=tag:type:app --output-style=static
npx tsx --tsconfig tools/demo/tsconfig.json tools/demo/run-demo.ts
