#!/usr/bin/env bash
# Creates (or reuses) the virtual environment the framework tests use, outside the repository:
# ${FOOTPRINT_VENV:-$HOME/.cache/footprint/venv}. Prints its path on the last line.
#
# The frameworks come from PyPI: torch (its Linux wheel pulls the CUDA libraries, about 6 GB,
# and runs on the CPU here), lightning, transformers with accelerate (its Trainer needs it),
# keras with the jax backend,
# scikit-learn, mlflow, and pytest for the python/ package's own tests. A venv that already
# has them all is reused as it is: nothing is downloaded again.
set -euo pipefail
venv="${FOOTPRINT_VENV:-$HOME/.cache/footprint/venv}"
packages=(torch lightning transformers accelerate keras jax scikit-learn mlflow pytest)
modules=(torch lightning transformers accelerate keras jax sklearn mlflow pytest)
if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
fi
missing=0
for module in "${modules[@]}"; do
    "$venv/bin/python" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$module') is None)" || missing=1
done
if [ "$missing" = 1 ]; then
    started=$(date +%s)
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}" >&2
    echo "python-env: installed ${packages[*]} into $venv in $(( $(date +%s) - started )) s" >&2
fi
echo "$venv"
