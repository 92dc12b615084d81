#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, start it, run every test, stop it.
#   - Debian's chromium (+ CJK fonts) for the browser tests (never a downloaded browser) and the PDF fixtures
#   - Debian's antiword and catdoc, which read DOC and WPS files
#   - a Python venv (.venv) with polgraph and its test extras
#   - Neo4j 5.26 LTS Community assembled from Maven Central, started on 127.0.0.1 (scripts/neo4j-server.sh)
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k trace`.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

say "system packages (chromium, fonts-noto-cjk, antiword, catdoc)"
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
   || ! command -v antiword >/dev/null 2>&1 || ! command -v catdoc >/dev/null 2>&1; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk \
    antiword catdoc >/dev/null
fi
chromium --version >&2

say "python environment (.venv)"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'

say "neo4j 5.26 community (maven central)"
bash scripts/neo4j-server.sh build
bash scripts/neo4j-server.sh start
trap 'bash scripts/neo4j-server.sh stop || true' EXIT
NEO4J_URI=$(bash scripts/neo4j-server.sh uri)
export NEO4J_URI NEO4J_USER=neo4j NEO4J_PASSWORD= NEO4J_DATABASE=neo4j

say "tests"
.venv/bin/python -m pytest -ra "$@"
