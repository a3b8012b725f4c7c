#!/usr/bin/env bash
# The lecture's terrain MLPs (H = 10, 100, 1000) trained in PyTorch through `footprint wrap` and by
# Footprint's own trainer (`footprint train`) on the same configurations, three runs each, then
# written side by side to Reports/pytorch.md (time, training energy with startup excluded, FLOPs,
# quality, 95% intervals) with a line in Reports/index.md.
#
#   Benchmarks/pytorch_demo.sh [--python PATH] [--footprint PATH] [--epochs N] [--runs N] [--output DIR]
#
# Python: --python, else $FOOTPRINT_PYTHON, else python3; it needs torch and numpy (the frameworks'
# venv of .ci/python-env.sh has them). footprint: --footprint, else .build/release/footprint, else
# `footprint` on PATH (build in release first: `swift build -c release --product footprint`).
#
# Both sides train the same thing: python/examples/torch_terrain.py rebuilds Footprint's terrain
# profile, its 80/20 split and its standardisation exactly (the same 1,639 training rows), with
# the terrain defaults of `footprint train` (Adam 0.9/0.999/1e-8, learning rate 0.01, batch 32,
# seed 42). Weight initialisation and batch order are each framework's own. The epochs are chosen
# as the demo chooses them: a calibration times H = 10 (the cheapest) in both frameworks, and every
# configuration gets the epochs that make the faster of the two train for 30 resolution steps of
# the meter in use (the update period of footprint's energy figure), so every figure is a result.
set -euo pipefail

repository="$(cd "$(dirname "$0")/.." && pwd)"
python="${FOOTPRINT_PYTHON:-python3}"
footprint=""
epochs=""
runs=3
output="Reports"
while [ $# -gt 0 ]; do
  case "$1" in
    --python) python="$2"; shift 2 ;;
    --footprint) footprint="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pytorch_demo: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
if [ -z "$footprint" ]; then
  if [ -x "$repository/.build/release/footprint" ]; then footprint="$repository/.build/release/footprint"
  elif command -v footprint >/dev/null 2>&1; then footprint="$(command -v footprint)"
  else echo "pytorch_demo: no footprint binary: build one (swift build -c release --product footprint) or pass --footprint PATH" >&2; exit 1
  fi
fi
if ! "$python" -c 'import torch, numpy' >/dev/null 2>&1; then
  echo "pytorch_demo: $python cannot import torch and numpy: install them (pip install torch numpy), or pass --python PATH (or set FOOTPRINT_PYTHON) to a Python that has them, such as the venv of .ci/python-env.sh" >&2
  exit 1
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/footprint-pytorch-demo.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
db="$scratch/runs.sqlite"
script="$repository/python/examples/torch_terrain.py"
export PYTHONPATH="$repository/python${PYTHONPATH:+:$PYTHONPATH}"
common=(--db "$db")
widths=(10 100 1000)
# footprint's own tables go to a log, shown when a step fails.
quietly() {
  "$@" >>"$scratch/log" 2>&1 || { status=$?; tail -n 30 "$scratch/log" >&2; echo "pytorch_demo: failed ($status): $*" >&2; exit "$status"; }
}

if [ -z "$epochs" ]; then
  echo "pytorch_demo: calibrating: H = 10 for 30 epochs in each framework…" >&2
  quietly "$footprint" wrap "${common[@]}" --tag calibration --json-output "$scratch/calibrate-torch.json" -- \
    "$python" "$script" --hidden 10 --epochs 30
  quietly "$footprint" train "${common[@]}" --tag calibration --dataset terrain --hidden 10 --epochs 30 --batch-size 32 \
    --lr 0.01 --optimizer adam --seed 42 --json-output "$scratch/calibrate-footprint.json"
  epochs=$("$python" - "$scratch" <<'EOF'
import json, math, sys
scratch = sys.argv[1]
torch = json.load(open(f"{scratch}/calibrate-torch.json"))
own = json.load(open(f"{scratch}/calibrate-footprint.json"))
torch_epoch = sum(e.get("seconds") or 0 for e in torch["history"]) / 30
own_epoch = own["seconds"]["wall"] / 30
period = max(torch["energy"]["resolution"]["periodSeconds"], own["energy"]["resolution"]["periodSeconds"])
needed = 30 * period
epochs = max(10, math.ceil(needed / min(torch_epoch, own_epoch)))
print(f"pytorch_demo: an epoch of H = 10 took {torch_epoch * 1e3:.2f} ms in PyTorch, {own_epoch * 1e3:.2f} ms in Footprint; "
      f"30 resolution steps of {period * 1e3:.1f} ms need {needed:.2f} s: {epochs} epochs for every configuration", file=sys.stderr)
print(epochs)
EOF
)
fi

for width in "${widths[@]}"; do
  echo "pytorch_demo: H = $width, $epochs epochs, $runs runs in PyTorch…" >&2
  quietly "$footprint" wrap "${common[@]}" --repeat "$runs" --tag pytorch-demo-torch --name "pytorch terrain H=$width" \
    --json-output "$scratch/torch-$width.json" -- "$python" "$script" --hidden "$width" --epochs "$epochs" \
    --batch-size 32 --lr 0.01 --seed 42
  echo "pytorch_demo: H = $width, $epochs epochs, $runs runs in Footprint's trainer…" >&2
  quietly "$footprint" train "${common[@]}" --repeat "$runs" --tag pytorch-demo-footprint --name "footprint terrain H=$width" \
    --dataset terrain --hidden "$width" --epochs "$epochs" --batch-size 32 --lr 0.01 --optimizer adam --seed 42 \
    --json-output "$scratch/footprint-$width.json"
done
"$footprint" compare "${common[@]}" --tag pytorch-demo-torch --json >"$scratch/compare-torch.json"
"$footprint" compare "${common[@]}" --tag pytorch-demo-footprint --json >"$scratch/compare-footprint.json"

mkdir -p "$output"
"$python" "$repository/Benchmarks/pytorch_demo_report.py" "$scratch" "$output" "$epochs" "$runs" "${widths[@]}"
echo "pytorch_demo: wrote $output/pytorch.md" >&2
