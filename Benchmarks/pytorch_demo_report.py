#!/usr/bin/env python3
"""Writes Reports/pytorch.md from what Benchmarks/pytorch_demo.sh recorded, and links it from
Reports/index.md. Standard library only.

    pytorch_demo_report.py SCRATCH OUTPUT EPOCHS RUNS WIDTH...

SCRATCH holds `torch-H.json` and `footprint-H.json` (each `--repeat`'s `--json-output`: the runs'
documents) and `compare-torch.json` / `compare-footprint.json` (`footprint compare --json`).
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

# Student's t, 97.5th percentile, by degrees of freedom (the interval footprint's repeat summary uses).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}


def interval(values: List[float]) -> Tuple[float, Optional[float], Optional[float]]:
    """The log-normal median (the geometric mean) and its 95% interval by Student's t on the
    logarithms, as `footprint` states repeats and comparison points."""
    if len(values) < 2 or min(values) <= 0:
        return statistics.median(values), None, None
    logs = [math.log(v) for v in values]
    half = T975.get(len(values) - 1, 1.96) * statistics.stdev(logs) / math.sqrt(len(values))
    centre = statistics.fmean(logs)
    return math.exp(centre), math.exp(centre - half), math.exp(centre + half)


def si(value: float, unit: str) -> str:
    for factor, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ")):
        if abs(value) >= factor:
            return f"{value / factor:.3g} {prefix}{unit}"
    return f"{value:.3g} {unit}"


def stated(values: List[float], unit: str) -> str:
    median, low, high = interval(values)
    if low is None or high is None:
        return si(median, unit)
    return f"{si(median, unit)} [{si(low, unit)} – {si(high, unit)}]"


def figures(document: dict, wrapped: bool) -> Dict[str, Optional[float]]:
    energy = document.get("energy") or {}
    wall = (document.get("seconds") or {}).get("wall")
    startup = document.get("startupSeconds")
    metrics = document.get("metrics") or {}
    return {
        "seconds": wall - startup if wrapped and wall is not None and startup is not None else wall,
        "joules": energy.get("trainingJoules", energy.get("joules")),
        "startup_joules": energy.get("startupJoules"),
        "startup_seconds": startup,
        "flops": (document.get("flops") or {}).get("total"),
        "mse": metrics.get("mse"),
        "parameters": (document.get("model") or {}).get("parameters"),
    }


def main(argv: List[str]) -> int:
    scratch, output, epochs, runs_each = Path(argv[0]), Path(argv[1]), int(argv[2]), int(argv[3])
    widths = [int(w) for w in argv[4:]]
    rows = []
    provenance = host = None
    for width in widths:
        for framework, wrapped, label in (("torch", True, "PyTorch (wrap)"), ("footprint", False, "Footprint (train)")):
            runs = json.loads((scratch / f"{framework}-{width}.json").read_text())["runs"]
            facts = [figures(run, wrapped) for run in runs]
            first = runs[0]
            host = host or first.get("host")
            energy = first.get("energy") or {}
            provenance = provenance or (energy.get("provenance"), energy.get("estimateModel"))
            column = lambda key: [f[key] for f in facts if f[key] is not None]  # noqa: E731
            rows.append([
                f"H = {width}",
                label,
                f"{facts[0]['parameters']:,}" if facts[0]["parameters"] is not None else "—",
                stated(column("seconds"), "s") if column("seconds") else "—",
                stated(column("joules"), "J") if column("joules") else "—",
                stated(column("startup_joules"), "J") if column("startup_joules") else "—",
                si(statistics.median(column("flops")), "FLOP") if column("flops") else "—",
                f"{statistics.median(column('mse')):.0f} m²" if column("mse") else "—",
            ])
    conclusions = {
        name: json.loads((scratch / f"compare-{name}.json").read_text()).get("conclusion", "")
        for name in ("torch", "footprint")
    }
    header = ["Configuration", "Trained by", "Parameters", "Training time", "Training energy", "Startup energy", "FLOPs", "Validation MSE"]
    lines = [
        "# The terrain MLPs in PyTorch beside Footprint's trainer",
        "",
        f"Recorded on **{host}** by `Benchmarks/pytorch_demo.sh`: the lecture's MLPs 1 → H → 1 (ReLU) for H = "
        + ", ".join(str(w) for w in widths)
        + f" on Footprint's terrain profile, {epochs} epochs each, Adam (learning rate 0.01), batch 32, seed 42, {runs_each} runs per "
        "configuration in each framework. PyTorch trains on exactly Footprint's rows (`python/examples/torch_terrain.py` rebuilds "
        "the profile, the split and the standardisation; a test checks them against `footprint train`); the weights' "
        "initialisation and the batch order are each framework's own.",
        "",
        f"Energy is **{provenance[0] if provenance else 'unknown'}**"
        + (f" ({provenance[1]})" if provenance and provenance[1] else "")
        + ". Log-normal medians (geometric means) with 95% intervals (Student's t on the logarithms of the runs' values), as `footprint` states repeats. PyTorch's time and energy "
        "are the training's: the program's startup (importing torch, building the data) before its `train_begin` is left out "
        "and shown in its own column. FLOPs differ in convention: PyTorch's are FlopCounterMode's (matrix products of the "
        "forward and backward passes, per sample × samples), Footprint's count every layer's forward, backward, optimizer "
        "and evaluation work.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += [
        "",
        f"- PyTorch, `footprint compare --tag pytorch-demo-torch`: {conclusions['torch']}",
        f"- Footprint, `footprint compare --tag pytorch-demo-footprint`: {conclusions['footprint']}",
        "",
        "Reproduce: `Benchmarks/pytorch_demo.sh --python PATH/TO/VENV/bin/python` (after `swift build -c release --product footprint`).",
        "",
    ]
    output.mkdir(parents=True, exist_ok=True)
    (output / "pytorch.md").write_text("\n".join(lines))
    index = output / "index.md"
    entry = "- [The terrain MLPs in PyTorch beside Footprint's trainer](pytorch.md): time, training energy (startup excluded) and FLOPs per configuration, side by side (`Benchmarks/pytorch_demo.sh`)."
    text = index.read_text() if index.exists() else "# Footprint reports\n"
    if "(pytorch.md)" not in text:
        marker = "\n## "
        at = text.find(marker)
        text = (text[:at].rstrip("\n") + "\n" + entry + "\n" + text[at:]) if at >= 0 else text.rstrip("\n") + "\n\n" + entry + "\n"
        index.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
