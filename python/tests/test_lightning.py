"""The Lightning callback, driven by a real ``Trainer`` on a tiny model (CPU, two epochs)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from conftest import FifoReader, footprint_warnings

torch = pytest.importorskip("torch")
pl = pytest.importorskip("lightning.pytorch")

from footprint.integrations.lightning import FootprintCallback  # noqa: E402


class TinyClassifier(pl.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
        self.example_input_array = torch.zeros(4, 8)

    def forward(self, x: Any) -> Any:
        return self.net(x)

    def training_step(self, batch: Any, batch_idx: int) -> Any:
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch: Any, batch_idx: int) -> None:
        x, y = batch
        logits = self(x)
        self.log("val_loss", torch.nn.functional.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(dim=1) == y).float().mean())

    def configure_optimizers(self) -> Any:
        return torch.optim.SGD(self.parameters(), lr=0.1)


def test_a_lightning_fit_reports_model_epochs_and_result(fifo: FifoReader, tmp_path: Path) -> None:
    from torch.utils.flop_counter import FlopCounterMode
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(0)
    x = torch.randn(96, 8)
    y = torch.randint(0, 3, (96,))
    train = DataLoader(TensorDataset(x[:64], y[:64]), batch_size=16)
    validation = DataLoader(TensorDataset(x[64:], y[64:]), batch_size=16)
    module = TinyClassifier()
    independent = FlopCounterMode(display=False)
    with independent:
        module(torch.zeros(4, 8)).sum().backward()
    module.zero_grad(set_to_none=True)
    trainer = pl.Trainer(
        max_epochs=2,
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=tmp_path,
        callbacks=[FootprintCallback(name="tiny-lightning")],
    )
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        trainer.fit(module, train, validation)
    assert footprint_warnings(records) == []
    events = fifo.events()
    assert [e["event"] for e in events] == ["model", "train_begin", "epoch", "epoch", "result"]
    assert events[0] == {
        "event": "model",
        "name": "tiny-lightning",
        "parameters": sum(p.numel() for p in module.parameters()),
        "flops_per_sample": independent.get_total_flops() // 4,
    }
    assert events[0]["parameters"] == 8 * 16 + 16 + 16 * 3 + 3
    for index, epoch in enumerate(events[2:4], start=1):
        assert epoch["index"] == index
        assert epoch["samples"] == 64
        assert set(epoch) >= {"loss", "val_loss", "accuracy"}
        assert 0 <= epoch["accuracy"] <= 1
    final = {key: float(value) for key, value in trainer.callback_metrics.items()}
    assert events[3]["loss"] == pytest.approx(final["train_loss"])
    assert events[3]["val_loss"] == pytest.approx(final["val_loss"])
    assert events[3]["accuracy"] == pytest.approx(final["val_acc"])
    assert events[4] == {"event": "result", "loss": events[3]["loss"], "val_loss": events[3]["val_loss"], "accuracy": events[3]["accuracy"]}
