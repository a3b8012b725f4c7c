"""Tell ``footprint wrap`` what your training program does: its model, its epochs, its result.

Under ``footprint wrap -- python train.py`` the program gets ``FOOTPRINT_EVENTS``, the path of
a FIFO, and each call here writes one JSON line to it. Without that variable every call is a
no-op, and no call ever raises into the training: if the FIFO cannot be opened or written, one
``FootprintWarning`` is issued and the later calls do nothing.

    import footprint
    footprint.report_model(model, example_input=x[:32])   # parameters, FLOPs per sample
    footprint.train_begin()                                # what came before is startup
    for index in range(1, epochs + 1):
        ...
        footprint.epoch(index, loss=loss, val_loss=val_loss, accuracy=accuracy, samples=n)
    footprint.result(accuracy=test_accuracy)

The package uses the standard library only; a framework is imported only when the object
handed in belongs to it (PyTorch for ``example_input``). One-line callbacks for Lightning,
Hugging Face ``Trainer`` and Keras are in ``footprint.integrations``.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Optional

from ._events import (
    CHANNEL,
    ENVIRONMENT_VARIABLE,
    MAXIMUM_INDEX,
    FootprintWarning,
    emit,
    enabled,
    metrics_fields,
    number,
    warn,
)
from ._model import CountingError, count_parameters, is_torch_module, torch_training_flops_per_sample

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "FootprintWarning",
    "enabled",
    "report_model",
    "train_begin",
    "epoch",
    "phase",
    "result",
    "tracking",
]
__version__ = "0.1.0"

_METRIC_RESERVED = frozenset({"event", "index", "epoch"})
_MAXIMUM_NAME = 200
_sent_tracking: Optional[tuple] = None


def _name(value: Any, what: str) -> Optional[str]:
    """``value`` as a name of at most 200 characters, or None (with a warning) if not a string."""
    if not isinstance(value, str) or not value:
        warn(f"the {what} name must be a non-empty string, not {value!r}")
        return None
    if len(value) > _MAXIMUM_NAME:
        warn(f"the {what} name is cut to {_MAXIMUM_NAME} characters")
        return value[:_MAXIMUM_NAME]
    return value


def report_model(
    model: Any = None,
    example_input: Any = None,
    name: Optional[str] = None,
    *,
    parameters: Optional[int] = None,
    flops_per_sample: Optional[int] = None,
) -> None:
    """Sends a ``model`` event: the model's name, parameter count and training FLOPs per sample.

    ``model`` may be a ``torch.nn.Module``, a Keras model (built), a scikit-learn estimator with
    ``coefs_``/``coef_``, or a JAX/Flax parameter tree. With ``example_input`` (a batch, or a
    tuple of positional / a dict of keyword arguments) and a PyTorch module, the FLOPs of one
    forward and one backward pass are counted with ``torch.utils.flop_counter.FlopCounterMode``
    and divided by the batch size. ``name`` defaults to the model's class (Keras: its ``name``).
    ``parameters`` and ``flops_per_sample`` override what is counted (for other frameworks).

    A model that cannot be counted costs a warning and sends nothing; nothing is ever raised.
    """
    if not enabled():
        return
    try:
        default_name = type(model).__name__ if model is not None else "model"
        count: Any = parameters
        if count is None:
            if model is None:
                warn("report_model needs a model or parameters=")
                return
            try:
                count, default_name = count_parameters(model)
            except Exception as error:
                warn(f"the model's parameters were not counted: {error}")
                return
        fields: dict = {}
        model_name = _name(name if name is not None else default_name, "model")
        if model_name is None:
            return
        fields["name"] = model_name
        count = number("parameters", count)
        if count is None or count < 0:
            warn("the parameter count must be a whole number ≥ 0; the model is not sent")
            return
        fields["parameters"] = count
        flops: Any = flops_per_sample
        if flops is None and example_input is not None:
            if is_torch_module(model):
                try:
                    flops = torch_training_flops_per_sample(model, example_input)
                except Exception as error:
                    warn(f"the model's FLOPs were not counted: {error!r}")
            else:
                warn("FLOPs per sample are counted for PyTorch modules only; pass flops_per_sample=")
        if flops is not None:
            flops = number("flops_per_sample", flops)
            if flops is not None and flops >= 0:
                fields["flops_per_sample"] = flops
        emit("model", fields)
    except Exception as error:  # never into the training
        warn(f"report_model failed: {error!r}")


def _check_tracking() -> None:
    """Sends a ``tracking`` event when an MLflow run is active (mlflow is never imported here)."""
    mlflow = sys.modules.get("mlflow")
    if mlflow is None:
        return
    try:
        run = mlflow.active_run()
        if run is None:
            return
        run_id = run.info.run_id
        uri = mlflow.get_tracking_uri()
    except Exception:
        return
    tracking(run_id, uri)


def train_begin() -> None:
    """Sends ``train_begin``: training starts now, and what came before is the run's startup."""
    if not enabled():
        return
    _check_tracking()
    emit("train_begin", {})


def epoch(index: int, **metrics: Any) -> None:
    """Sends an ``epoch`` event: epoch ``index`` has ended, with its metrics.

    Footprint understands ``loss``, ``val_loss``, ``accuracy`` (a fraction in [0, 1]), ``mse``,
    ``r2`` and ``samples`` (the number of training samples seen in the epoch); any other numeric
    key is kept as an extra fact. NaN, infinity, booleans, non-numbers and values outside the
    ranges Footprint accepts are dropped with one warning per key; NumPy and PyTorch scalars
    are converted. An index Footprint would refuse (not a whole number in 0…999,999,999) drops
    the line with a warning.
    """
    if not enabled():
        return
    try:
        converted = number("index", index)
        if converted is None or not isinstance(converted, int) or not 0 <= converted <= MAXIMUM_INDEX:
            CHANNEL.warn_value("index", "index", f"epoch index {index!r} is not a whole number in 0…{MAXIMUM_INDEX:,}; the epoch is not sent")
            return
        _check_tracking()
        emit("epoch", {"index": converted, **metrics_fields(metrics, _METRIC_RESERVED)})
    except Exception as error:
        warn(f"epoch failed: {error!r}")


def phase(name: str) -> None:
    """Sends a ``phase`` mark (``{"event":"phase","name":"eval"}``); stored with the run."""
    if not enabled():
        return
    phase_name = _name(name, "phase")
    if phase_name is not None:
        emit("phase", {"name": phase_name})


def result(**metrics: Any) -> None:
    """Sends a ``result`` event: the run's final quality, with the same keys as an epoch."""
    if not enabled():
        return
    try:
        _check_tracking()
        emit("result", metrics_fields(metrics, _METRIC_RESERVED))
    except Exception as error:
        warn(f"result failed: {error!r}")


def tracking(run_id: str, tracking_uri: Optional[str] = None) -> None:
    """Sends a ``tracking`` event naming the MLflow run Footprint should log to at the end.

    Called automatically by ``train_begin``, ``epoch`` and ``result`` when ``mlflow`` has been
    imported and ``mlflow.active_run()`` is a run; each run id is sent once.
    """
    global _sent_tracking
    if not enabled():
        return
    if not isinstance(run_id, str) or not run_id:
        warn(f"the MLflow run id must be a non-empty string, not {run_id!r}")
        return
    key = (os.environ.get(ENVIRONMENT_VARIABLE), run_id, tracking_uri)
    if _sent_tracking == key:
        return
    fields = {"mlflow_run_id": run_id}
    if isinstance(tracking_uri, str) and tracking_uri:
        fields["mlflow_tracking_uri"] = tracking_uri
    emit("tracking", fields)
    _sent_tracking = key


def _reset() -> None:
    """Forgets the open channel and every warning given (for tests)."""
    global _sent_tracking
    with CHANNEL.lock:
        CHANNEL.reset()
    _sent_tracking = None
