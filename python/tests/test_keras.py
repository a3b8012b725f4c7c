"""The Keras callback, driven by a real ``fit`` (Keras 3 on JAX, two epochs)."""

from __future__ import annotations

import os
import warnings

import pytest

from conftest import FifoReader, footprint_warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")
numpy = pytest.importorskip("numpy")

from footprint.integrations.keras import FootprintCallback  # noqa: E402


def test_a_keras_fit_reports_model_epochs_and_result(fifo: FifoReader) -> None:
    keras.utils.set_random_seed(0)
    rng = numpy.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0).astype("int32")
    model = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3, activation="softmax")],
        name="tiny-keras",
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        history = model.fit(
            x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0,
            callbacks=[FootprintCallback(samples_per_epoch=48)],
        )
    assert footprint_warnings(records) == []
    events = fifo.events()
    assert [e["event"] for e in events] == ["model", "train_begin", "epoch", "epoch", "result"]
    assert events[0] == {"event": "model", "name": "tiny-keras", "parameters": model.count_params()}
    assert events[0]["parameters"] == 8 * 16 + 16 + 16 * 3 + 3
    for index, epoch in enumerate(events[2:4], start=1):
        assert epoch["index"] == index
        assert epoch["samples"] == 48
        assert epoch["loss"] == pytest.approx(history.history["loss"][index - 1])
        assert epoch["val_loss"] == pytest.approx(history.history["val_loss"][index - 1])
        # the validation accuracy is preferred to the training accuracy
        assert epoch["accuracy"] == pytest.approx(history.history["val_accuracy"][index - 1])
    assert {k: events[4][k] for k in ("loss", "val_loss", "accuracy")} == {k: events[3][k] for k in ("loss", "val_loss", "accuracy")}


def test_a_model_built_during_fit_is_reported_after_its_first_epoch(fifo: FifoReader) -> None:
    class Subclassed(keras.Model):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__(name="subclassed")
            self.hidden = keras.layers.Dense(4, activation="relu")
            self.out = keras.layers.Dense(1)

        def call(self, inputs):  # type: ignore[no-untyped-def]
            return self.out(self.hidden(inputs))

    model = Subclassed()
    model.compile(optimizer="sgd", loss="mse")
    x = numpy.ones((16, 3), dtype="float32")
    model.fit(x, x[:, :1], epochs=1, batch_size=8, verbose=0, callbacks=[FootprintCallback()])
    events = fifo.events()
    assert {"event": "model", "name": "subclassed", "parameters": 3 * 4 + 4 + 4 + 1} in events
    assert [e["event"] for e in events][-2:] == ["epoch", "result"]
