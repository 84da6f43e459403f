#!/usr/bin/env bash
# All set-up, idempotent: checks the host tools, installs npm packages from the lock file, fetches the Kafka
# broker's jars (Maven Central) and builds FerretDB (Go module proxy). Downloads are cached in ~/.npm, ~/.m2
# and ~/go, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
# Workspace tools straight from node_modules (npx would re-resolve them and add its own noise).
export PATH="$PWD/node_modules/.bin:$PATH"

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "setup: \`$1\` is not installed; it is needed to $2." >&2
    exit 1
  fi
}
need node "run the services and tests (Node 20.19 or newer)"
need npm "install the JavaScript dependencies"
need java "run the Kafka broker (Java 17 or newer)"
need mvn "fetch the Kafka broker's jars from Maven Central"
need go "build FerretDB, the MongoDB-compatible store"

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error(`setup: Node ${process.versions.node} is too old; 20.19 or newer is needed.`); process.exit(1) }'

# Reinstall only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# STORE_BACKEND=postgres runs FerretDB on a local PostgreSQL (Debian's postgresql-15); the default here must
# match DEFAULT_STORE_BACKEND in infra-config.ts.
if [ "${STORE_BACKEND:-postgres}" = postgres ] && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 &&
  [ -z "${POSTGRES_BIN_DIR:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing PostgreSQL 15 for STORE_BACKEND=postgres (apt-get install postgresql-15)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
  else
    echo "setup: PostgreSQL is not installed; it is needed for STORE_BACKEND=postgres. Install Debian's" \
      "postgresql-15 (sudo apt-get install -y postgresql-15), set POSTGRES_BIN_DIR to a folder holding" \
      "initdb and postgres, or use STORE_BACKEND=sqlite." >&2
    exit 1
  fi
fi

# kcat (Debian's, formerly kafkacat) is a Kafka client nobody here wrote: the hostile-input suite publishes and
# reads back raw bytes with it, so what it checks does not depend on kafkajs's encoding.
if ! command -v kcat >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing kcat for the hostile-input tests (apt-get install kcat)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null
  else
    echo "setup: kcat is not installed; the hostile-input tests publish and read Kafka with it. Install" \
      "Debian's kcat (sudo apt-get install -y kcat) or put a kcat 1.7+ on the PATH." >&2
    exit 1
  fi
fi

# Prometheus and promtool (Debian's prometheus): the gateway's operations tests start a Prometheus of their own,
# and the dashboards' unit test parses every panel's PromQL with promtool.
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Prometheus and promtool (apt-get install prometheus)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  else
    echo "setup: prometheus and promtool are not installed; the operations tests and the dashboard check need" \
      "them. Install Debian's prometheus (sudo apt-get install -y prometheus) or put both on the PATH." >&2
    exit 1
  fi
fi

echo "setup: fetching Kafka jars and building FerretDB (cached after the first run)"
tsx libs/testing/src/cli.ts prepare

# Schemathesis (PyPI) fuzzes the gateway's HTTP API from its own OpenAPI description (e2e/api-fuzz). Pinned,
# in a virtualenv of the workspace's own; skipped when that version is already there.
SCHEMATHESIS_VERSION=4.32.5
need python3 "run schemathesis, the HTTP API fuzzer (Python 3.10 or newer, with venv)"
fuzz_venv=.infra/venv
if ! "$fuzz_venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$SCHEMATHESIS_VERSION')" 2>/dev/null; then
  echo "setup: installing schemathesis $SCHEMATHESIS_VERSION (PyPI) into $fuzz_venv"
  if ! python3 -m venv "$fuzz_venv"; then
    # Debian's python3 keeps venv (ensurepip) in a package of its own.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$fuzz_venv" && python3 -m venv "$fuzz_venv"
    else
      echo "setup: python3 cannot make a virtualenv; install python3-venv (sudo apt-get install -y python3-venv)" >&2
      exit 1
    fi
  fi
  "$fuzz_venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
