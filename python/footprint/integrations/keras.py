"""``FootprintCallback`` for Keras 3.

    from footprint.integrations.keras import FootprintCallback
    model.fit(x, y, epochs=10, validation_split=0.1, callbacks=[FootprintCallback()])

At ``on_train_begin`` it reports the model (``count_params()``; a model not built yet is reported
at the end of the first epoch instead) and marks ``train_begin``; at each ``on_epoch_end`` it
sends epoch ``epoch + 1`` with ``loss``, ``val_loss``, ``accuracy`` (the validation accuracy
when there is one, else the training accuracy) and every other logged number under its own
name; at ``on_train_end`` the last epoch's metrics are the ``result``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

try:
    import keras
except ImportError:  # Keras 2 inside TensorFlow
    from tensorflow import keras  # type: ignore[no-redef]

import footprint

from ._common import MetricMap, map_metrics

_ACCURACY = ("accuracy", "acc", "sparse_categorical_accuracy", "categorical_accuracy", "binary_accuracy")
#: How Keras's logged names become Footprint's keys (validation accuracy first).
METRICS: MetricMap = (
    ("loss", ("loss",)),
    ("val_loss", ("val_loss",)),
    ("accuracy", tuple("val_" + name for name in _ACCURACY) + _ACCURACY),
)


class FootprintCallback(keras.callbacks.Callback):  # type: ignore[misc, name-defined]
    """Reports the model, the start of training, every epoch and the result to Footprint."""

    def __init__(self, name: Optional[str] = None, samples_per_epoch: Optional[int] = None, extras: bool = True) -> None:
        """``name`` is the model's name (default: the model's own); ``samples_per_epoch`` is sent
        with every epoch when given; ``extras`` sends the other logged numbers too."""
        super().__init__()
        self.name = name
        self.samples_per_epoch = samples_per_epoch
        self.extras = extras
        self._reported = False
        self._last: Dict[str, Any] = {}

    def _report(self) -> None:
        if self._reported:
            return
        model = self.model
        if model is None or not getattr(model, "built", True):
            return
        self._reported = True
        footprint.report_model(model, name=self.name)

    def on_train_begin(self, logs: Optional[Dict[str, Any]] = None) -> None:
        self._report()
        footprint.train_begin()

    def on_epoch_end(self, epoch: int, logs: Optional[Dict[str, Any]] = None) -> None:
        self._report()
        metrics = map_metrics(logs or {}, METRICS, self.extras)
        self._last = metrics
        if self.samples_per_epoch is not None:
            metrics = {**metrics, "samples": self.samples_per_epoch}
        footprint.epoch(int(epoch) + 1, **metrics)

    def on_train_end(self, logs: Optional[Dict[str, Any]] = None) -> None:
        metrics = map_metrics(logs, METRICS, self.extras) if logs else self._last
        footprint.result(**metrics)
