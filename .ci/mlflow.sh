#!/usr/bin/env bash
# CI: an MLflow tracking server on loopback for the MLflow logging tests.
#
# Uses the `mlflow` of the frameworks' venv (.ci/python-env.sh; override with MLFLOW_BIN) and
# starts `mlflow server` on 127.0.0.1:5055 (FOOTPRINT_MLFLOW_PORT) with a SQLite backend and an
# artifact root under /tmp/footprint-mlflow (FOOTPRINT_MLFLOW_DIR), then waits until its
# /health answers. Idempotent: a server already answering is left as it is.
# Prints the URL that .ci/run exports as FOOTPRINT_TEST_MLFLOW_URL:
#   FOOTPRINT_TEST_MLFLOW_URL=http://127.0.0.1:5055
set -euo pipefail

mlflow="${MLFLOW_BIN:-$HOME/.cache/footprint/venv/bin/mlflow}"
port="${FOOTPRINT_MLFLOW_PORT:-5055}"
state="${FOOTPRINT_MLFLOW_DIR:-/tmp/footprint-mlflow}"
url="http://127.0.0.1:$port"

# The venv's own Python checks readiness, so the script needs no curl.
python="$(dirname "$mlflow")/python"
answers() { "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" >/dev/null 2>&1; }

if ! answers "$url/health"; then
  if [ ! -x "$mlflow" ]; then
    echo "mlflow not found at $mlflow: create the venv with .ci/python-env.sh or set MLFLOW_BIN" >&2
    exit 1
  fi
  mkdir -p "$state/artifacts"
  # One worker: the tests are small, and each extra worker is another Python process to start.
  nohup "$mlflow" server --host 127.0.0.1 --port "$port" --workers 1 \
    --backend-store-uri "sqlite:///$state/mlflow.db" --default-artifact-root "$state/artifacts" \
    >"$state/mlflow.log" 2>&1 &
  echo $! >"$state/mlflow.pid"
fi

for _ in $(seq 1 120); do
  answers "$url/health" && break
  sleep 1
done
if ! answers "$url/health"; then
  echo "mlflow server did not answer $url/health within 120 s; its log:" >&2
  tail -30 "$state/mlflow.log" >&2 || true
  exit 1
fi

echo "$url"
