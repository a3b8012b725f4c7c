"""``examples/torch_mlp.py`` run as ``footprint wrap`` runs it: a child process writing to a FIFO."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FifoReader

pytest.importorskip("torch")
pytest.importorskip("sklearn")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "torch_mlp.py"


def test_the_torch_example_reports_model_epochs_and_result(fifo: FifoReader) -> None:
    environment = dict(os.environ)
    environment.pop("PYTHONPATH", None)  # the script finds the package beside it
    completed = subprocess.run(
        [sys.executable, str(EXAMPLE), "--hidden", "16", "--epochs", "2", "--seed", "1"],
        env=environment, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "footprint" not in completed.stderr.lower()  # no warning
    events = fifo.events()
    assert [e["event"] for e in events] == ["model", "train_begin", "epoch", "epoch", "result"]
    # 64 inputs, 16 hidden, 10 classes; FlopCounterMode: 2·(2·64·16) + 3·(2·16·10) per sample
    assert events[0] == {"event": "model", "name": "mlp-16", "parameters": 64 * 16 + 16 + 16 * 10 + 10, "flops_per_sample": 5056}
    for index, epoch in enumerate(events[2:4], start=1):
        assert epoch["index"] == index and epoch["samples"] == 1437
        assert set(epoch) == {"event", "index", "loss", "val_loss", "accuracy", "samples"}
    assert events[4] == {"event": "result", "accuracy": events[3]["accuracy"], "val_loss": events[3]["val_loss"]}
