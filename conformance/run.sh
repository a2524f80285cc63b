#!/bin/sh
# Per-suite gateway launcher for the federation gateway audit: `sh run.sh <suite-id>`.
#
# The audit's runner starts this script (cwd = this folder) once per suite and kills it
# afterwards. It fetches the suite's supergraph from the audit's server and replaces
# itself with the gateway under test, in the foreground, so the runner's kill reaches
# the gateway itself and not an orphaned child.
#
# Environment (set by run_audit.py; defaults suit a manual run):
#   AUDIT_SERVER_PORT   port of the audit's server (subgraphs + supergraphs)  [4200]
#   GATEWAY_PORT        port the gateway under test listens on               [47180]
#   CONFORMANCE_GATEWAY govgraph | apollo                                    [govgraph]
#   GOVGRAPH_BIN        the govgraph command            [<repo>/.venv/bin/govgraph]
#   GOVGRAPH_SOURCE     run the gateway package from this folder instead (a snapshot,
#                       e.g. `git archive HEAD | tar -x -C DIR`), with the repo's .venv
#   APOLLO_NODE         node (22+) for the apollo gateway                     [node]
#   APOLLO_NODE_MODULES node_modules holding @apollo/gateway and @apollo/server
#   CONFORMANCE_WORK    where supergraphs are written                [/tmp/govgraph-conformance]
set -eu

suite="${1:?usage: run.sh <suite-id>}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
audit_port="${AUDIT_SERVER_PORT:-4200}"
port="${GATEWAY_PORT:-47180}"
work="${CONFORMANCE_WORK:-/tmp/govgraph-conformance}"
mkdir -p "$work"
supergraph="$work/$suite.supergraph.graphql"

# curl is not everywhere; python is, since the gateway is Python.
python3 - "http://127.0.0.1:$audit_port/$suite/supergraph" "$supergraph" <<'PY'
import sys, urllib.request
url, target = sys.argv[1], sys.argv[2]
try:
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
except OSError as exc:
    sys.exit(f"run.sh: cannot fetch the supergraph from {url}: {exc}")
with open(target, "wb") as out:
    out.write(body)
PY

case "${CONFORMANCE_GATEWAY:-govgraph}" in
  govgraph)
    if [ -n "${GOVGRAPH_SOURCE:-}" ]; then
      # A snapshot measures one commit, not whatever the shared working tree holds now.
      PYTHONPATH="$GOVGRAPH_SOURCE${PYTHONPATH:+:$PYTHONPATH}"
      export PYTHONPATH
      exec "$repo/.venv/bin/python" -m gateway serve \
        --supergraph "$supergraph" --port "$port" --host 127.0.0.1 --auth off
    fi
    exec "${GOVGRAPH_BIN:-$repo/.venv/bin/govgraph}" serve \
      --supergraph "$supergraph" --port "$port" --host 127.0.0.1 --auth off
    ;;
  apollo)
    NODE_PATH="${APOLLO_NODE_MODULES:-$repo/bench/apollo/node_modules}"
    export NODE_PATH
    exec "${APOLLO_NODE:-node}" "$repo/bench/apollo/index.js" \
      --supergraph "$supergraph" --port "$port" --host 127.0.0.1
    ;;
  *)
    echo "run.sh: unknown CONFORMANCE_GATEWAY '${CONFORMANCE_GATEWAY}' (govgraph | apollo)" >&2
    exit 2
    ;;
esac
