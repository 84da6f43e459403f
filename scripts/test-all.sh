#!/usr/bin/env bash
# Every check and every test: formatting, lint, types, the unit ring, and the integration/end-to-end ring
# against a real Kafka broker and FerretDB that this script starts and always stops again (the console's in
# Debian's Chromium, installed here when missing).
# Ends with the totals alone on a line: `tests: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
# Workspace tools straight from node_modules (npx would re-resolve them and add its own noise).
export PATH="$PWD/node_modules/.bin:$PATH"

if ! bash scripts/setup.sh || ! bash scripts/ensure-chromium.sh; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
rm -rf tmp/test-results
mkdir -p tmp

# Infra started here is stopped here, even when tests fail or the run is interrupted; infra that was already
# running (a developer's) is left as it was.
infra_was_up=0
if tsx libs/testing/src/cli.ts status >/dev/null 2>&1; then infra_was_up=1; fi
stop_infra() { if [ "$infra_was_up" = 0 ]; then tsx libs/testing/src/cli.ts down; fi; }
trap 'stop_infra; exit 130' INT TERM

failed_steps=()
step() {
  local name=$1
  shift
  echo "::: $name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

step "format" prettier --check . --log-level=warn
step "lint" nx run-many -t lint --output-style=static
step "typecheck" nx run-many -t typecheck --output-style=static
# High or critical advisories against production dependencies (exceptions, with reasons: security/).
step "dependency audit" node scripts/dependency-audit.js
step "unit tests" nx run-many -t test --output-style=static
if tsx libs/testing/src/cli.ts up; then
  step "build" nx run-many -t build --output-style=static
  # Every service the ring starts records its store queries in this run's own directory; the store access
  # check then fails on any query shape that scans a collection (docs/store-access.md).
  store_commands="$PWD/tmp/store-commands/$(date -u +%Y%m%dT%H%M%SZ)"
  step "integration tests" env STORE_COMMAND_LOG="$store_commands" nx run-many -t e2e --parallel=1 --output-style=static
  step "store access" env STORE_COMMAND_LOG="$store_commands" nx run store-access:check --output-style=static
  # The benchmark at smoke size, so it cannot rot: it fails only when the run itself fails (a decision or an
  # audit record lost, a stage stalled, a service crashed, no span exported), never on a missed target. With
  # tracing on and a Prometheus scraping, so the overhead runs (README, "Overhead of metrics and tracing") work.
  step "benchmark (smoke)" env BENCH_RESULTS_DIR=tmp/bench-results tsx --tsconfig bench/tsconfig.json bench/run-bench.ts --smoke --tracing
  step "benchmark overhead report (smoke)" env BENCH_RESULTS_DIR=tmp/bench-results tsx --tsconfig bench/tsconfig.json bench/overhead-report.ts tmp/bench-results/latest-smoke-tracing.json tmp/bench-results/latest-smoke-tracing.json tmp/bench-results/latest-smoke-tracing.json
  # The soak at smoke size (one minute at 5/s on a 1,000-record seed, every service and simulated reviewers):
  # the same rule, it fails only on a crash, a stall or lost data.
  step "soak benchmark (smoke)" env BENCH_RESULTS_DIR=tmp/bench-results tsx --tsconfig bench/tsconfig.json bench/run-bench.ts --soak --smoke
  # The fault-injection run at smoke size (each service SIGKILLed and restarted in turn on one short stream):
  # it fails on any decision lost or done twice, any event missing or doubled in the trail, a broken chain.
  step "chaos (smoke)" env BENCH_RESULTS_DIR=tmp/bench-results tsx --tsconfig bench/tsconfig.json bench/run-chaos.ts --smoke
else
  failed_steps+=("infra")
fi

stop_infra
trap - INT TERM
# Last, so the totals line is the run's last line.
node scripts/test-totals.js "${#failed_steps[@]}" "${failed_steps[@]}"
