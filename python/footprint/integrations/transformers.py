"""``FootprintCallback`` for the Hugging Face ``Trainer``.

    from footprint.integrations.transformers import FootprintCallback
    trainer = Trainer(model=model, args=args, ..., callbacks=[FootprintCallback()])

At ``on_train_begin`` it reports the model (parameters; FLOPs per sample when ``example_input``,
a batch of keyword arguments, is given) and marks ``train_begin``. It collects what the Trainer
logs (``loss``; ``eval_loss`` as ``val_loss``; ``eval_accuracy`` as ``accuracy``; every other
``eval_*`` metric under its own name, less run times and rates) and sends each epoch once the
epoch's own logging and evaluation are done: the Trainer logs and evaluates just after
``on_epoch_end`` when its strategies are ``"epoch"``, so the epoch line waits for them. The
samples of an epoch are the training set's length. At ``on_train_end`` the last metrics are the
``result``. Only the process with ``state.is_world_process_zero`` sends anything.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Set

from transformers import TrainerCallback

import footprint

from ._common import MetricMap, map_metrics

#: How the Trainer's logged names become Footprint's keys.
METRICS: MetricMap = (
    ("loss", ("loss",)),
    ("val_loss", ("eval_loss",)),
    ("accuracy", ("eval_accuracy", "eval_acc")),
)
_NOT_SENT = ("eval_runtime", "eval_samples_per_second", "eval_steps_per_second", "epoch")


def _strategy(args: Any, *names: str) -> str:
    for name in names:
        value = getattr(args, name, None)
        if value is not None:
            return str(getattr(value, "value", value))
    return "no"


class FootprintCallback(TrainerCallback):  # type: ignore[misc]
    """Reports the model, the start of training, every epoch and the result to Footprint."""

    def __init__(self, name: Optional[str] = None, example_input: Any = None) -> None:
        """``name`` is the model's name (default: its class); ``example_input`` a batch (a dict
        of tensors, as the model takes them) for counting FLOPs per sample."""
        self.name = name
        self.example_input = example_input
        self._latest: Dict[str, Any] = {}
        self._pending: Optional[int] = None
        self._pending_samples: Optional[int] = None
        self._waiting: Set[str] = set()
        self._sent: Set[int] = set()

    def _collect(self, values: Optional[Dict[str, Any]]) -> None:
        if not values:
            return
        for key, value in values.items():
            if key == "loss" or (key.startswith("eval_") and key not in _NOT_SENT):
                self._latest[key] = value

    def _metrics(self) -> Dict[str, Any]:
        mapped = map_metrics(self._latest, METRICS, extras=True)
        return mapped

    def _flush(self) -> None:
        index = self._pending
        if index is None:
            return
        self._pending = None
        self._waiting = set()
        if index in self._sent:
            return
        self._sent.add(index)
        metrics = self._metrics()
        if self._pending_samples:
            metrics["samples"] = self._pending_samples
        footprint.epoch(index, **metrics)

    def on_train_begin(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        if model is not None:
            example = self.example_input
            if example is not None:
                try:
                    device = next(model.parameters()).device
                    example = {key: value.to(device) if hasattr(value, "to") else value for key, value in example.items()}
                except Exception:
                    pass
            footprint.report_model(model, example_input=example, name=self.name)
        footprint.train_begin()

    def on_epoch_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.is_world_process_zero:
            self._flush()

    def on_epoch_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        self._flush()
        self._pending = int(round(float(state.epoch or 0)))
        self._pending_samples = None
        dataloader = kwargs.get("train_dataloader")
        try:
            self._pending_samples = len(dataloader.dataset)  # type: ignore[union-attr]
        except Exception:
            pass
        self._waiting = set()
        if _strategy(args, "logging_strategy") == "epoch":
            self._waiting.add("log")
        if _strategy(args, "eval_strategy", "evaluation_strategy") == "epoch":
            self._waiting.add("evaluate")
        if not self._waiting:
            self._flush()

    def on_log(self, args: Any, state: Any, control: Any, logs: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        self._collect(logs)
        if self._pending is not None and logs and "loss" in logs:
            self._waiting.discard("log")
            if not self._waiting:
                self._flush()

    def on_evaluate(self, args: Any, state: Any, control: Any, metrics: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        self._collect(metrics)
        if self._pending is not None:
            self._waiting.discard("evaluate")
            if not self._waiting:
                self._flush()

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        self._flush()
        footprint.result(**self._metrics())
