"""``FootprintCallback`` for PyTorch Lightning 2.x.

    from footprint.integrations.lightning import FootprintCallback
    trainer = lightning.pytorch.Trainer(..., callbacks=[FootprintCallback()])

At ``on_fit_start`` it reports the LightningModule (parameters; FLOPs per sample when the module
has an ``example_input_array`` or ``example_input`` is given) and marks ``train_begin``; at each
``on_train_epoch_end`` (which Lightning calls after the epoch's validation) it sends the epoch
with ``trainer.callback_metrics``: ``train_loss``/``loss`` as ``loss``, ``val_loss``,
``val_acc``/``val_accuracy``/``accuracy`` as ``accuracy``, the samples seen, and every other
logged number under its own name; at ``on_fit_end`` the last metrics are the ``result``. Only
the global-zero process sends anything.

Lightning is imported as ``lightning.pytorch``, or as ``pytorch_lightning`` where only that is
installed.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

import footprint

from ._common import MetricMap, batch_size, map_metrics

try:
    from lightning.pytorch import Callback as _Callback
except ImportError:  # the older package name
    from pytorch_lightning import Callback as _Callback  # type: ignore[no-redef]

#: How Lightning's logged names become Footprint's keys.
METRICS: MetricMap = (
    ("loss", ("train_loss", "loss", "train_loss_epoch")),
    ("val_loss", ("val_loss", "val_loss_epoch")),
    ("accuracy", ("val_acc", "val_accuracy", "accuracy", "val_acc_epoch")),
)


def _to_device(value: Any, device: Any) -> Any:
    """``value`` with every tensor in it moved to ``device``."""
    if hasattr(value, "to") and hasattr(value, "shape"):
        return value.to(device)
    if isinstance(value, dict):
        return {key: _to_device(item, device) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_device(item, device) for item in value)
    return value


class FootprintCallback(_Callback):  # type: ignore[misc, valid-type]
    """Reports the model, the start of training, every epoch and the result to Footprint."""

    def __init__(self, name: Optional[str] = None, example_input: Any = None, extras: bool = True) -> None:
        """``name`` is the model's name (default: the module's class); ``example_input`` a batch
        for counting FLOPs (default: the module's ``example_input_array``); ``extras`` sends the
        other logged numbers too."""
        super().__init__()
        self.name = name
        self.example_input = example_input
        self.extras = extras
        self._samples = 0
        self._last: Dict[str, Any] = {}

    @staticmethod
    def _is_main(trainer: Any) -> bool:
        return bool(getattr(trainer, "is_global_zero", True))

    def _metrics(self, trainer: Any) -> Dict[str, Any]:
        metrics: Mapping[str, Any] = getattr(trainer, "callback_metrics", None) or {}
        return map_metrics(metrics, METRICS, self.extras)

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None:
        if not self._is_main(trainer):
            return
        try:
            example = self.example_input
            if example is None:
                example = getattr(pl_module, "example_input_array", None)
            if example is not None:
                example = _to_device(example, pl_module.device)
        except Exception:
            example = None
        footprint.report_model(pl_module, example_input=example, name=self.name)
        footprint.train_begin()

    def on_train_epoch_start(self, trainer: Any, pl_module: Any) -> None:
        self._samples = 0

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        size = batch_size(batch)
        if size is not None:
            self._samples += size * int(getattr(trainer, "world_size", 1) or 1)

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        if not self._is_main(trainer) or getattr(trainer, "sanity_checking", False):
            return
        metrics = self._metrics(trainer)
        self._last = metrics
        if self._samples:
            metrics = {**metrics, "samples": self._samples}
        footprint.epoch(int(trainer.current_epoch) + 1, **metrics)

    def on_validation_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        # Lightning validates before on_train_epoch_end; the epoch line is sent there, with
        # these metrics. A validation outside fit (trainer.validate) sends nothing.
        return

    def on_fit_end(self, trainer: Any, pl_module: Any) -> None:
        if not self._is_main(trainer):
            return
        metrics = self._metrics(trainer) or self._last
        footprint.result(**metrics)
