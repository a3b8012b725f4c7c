"""The event channel: no-op without a FIFO, exact lines with one, never an exception."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Any, Iterator

import pytest

import footprint
from conftest import FifoReader, footprint_warnings


def _everything() -> None:
    footprint.report_model({"w": [1.0, 2.0]}, name="tiny")
    footprint.train_begin()
    footprint.epoch(1, loss=0.5, accuracy=0.9)
    footprint.phase("eval")
    footprint.result(accuracy=0.9)
    footprint.tracking("run", "http://127.0.0.1:5000")


def test_without_the_variable_nothing_happens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        _everything()
    assert not footprint.enabled()
    assert records == []
    assert list(tmp_path.iterdir()) == []


def test_the_lines_are_exactly_as_specified(fifo: FifoReader) -> None:
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        footprint.report_model(name="mlp-256", parameters=19210, flops_per_sample=76800)
        footprint.train_begin()
        footprint.epoch(1, loss=0.25, val_loss=0.5, accuracy=0.875, mse=1.5, r2=0.75, samples=1437, learning_rate=0.001)
        footprint.phase("eval")
        footprint.epoch(2, loss=0.125)
        footprint.result(accuracy=0.958, val_loss=0.5)
        footprint.tracking("0123abcd", "http://127.0.0.1:5000")
        footprint.tracking("0123abcd", "http://127.0.0.1:5000")  # sent once
    assert footprint_warnings(records) == []
    assert fifo.raw_lines() == [
        '{"event":"model","name":"mlp-256","parameters":19210,"flops_per_sample":76800}',
        '{"event":"train_begin"}',
        '{"event":"epoch","index":1,"loss":0.25,"val_loss":0.5,"accuracy":0.875,"mse":1.5,"r2":0.75,"samples":1437,"learning_rate":0.001}',
        '{"event":"phase","name":"eval"}',
        '{"event":"epoch","index":2,"loss":0.125}',
        '{"event":"result","accuracy":0.958,"val_loss":0.5}',
        '{"event":"tracking","mlflow_run_id":"0123abcd","mlflow_tracking_uri":"http://127.0.0.1:5000"}',
    ]


def test_text_is_utf8_and_escaped(fifo: FifoReader) -> None:
    footprint.phase("évaluation\n\x1b[2J")
    footprint.report_model(name="模型", parameters=1)
    data = bytes(fifo.data) if fifo.close() is None else b""
    assert data.decode("utf-8").splitlines() == [
        '{"event":"phase","name":"évaluation\\n\\u001b[2J"}',
        '{"event":"model","name":"模型","parameters":1}',
    ]


def test_bad_values_are_dropped_with_one_warning_each(fifo: FifoReader) -> None:
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        footprint.epoch(1, loss=math.nan, val_loss=math.inf, accuracy=True, mse=0.5, note="text", r2=None)
        footprint.epoch(2, loss=math.nan, val_loss=-math.inf, accuracy=False, mse=0.25)
        footprint.epoch(3, accuracy=93, samples=10.5, r2=0.5)
        footprint.epoch(-1, loss=0.1)
        footprint.epoch(True, loss=0.1)
        footprint.epoch(1.5, loss=0.1)
        footprint.epoch(4, samples=12.0)
    messages = footprint_warnings(records)
    assert len(messages) == 8, messages  # loss, val_loss, accuracy (bool), note, accuracy (range), samples, index ×1
    assert any("0.93, not 93" in m for m in messages)
    assert fifo.events() == [
        {"event": "epoch", "index": 1, "mse": 0.5},
        {"event": "epoch", "index": 2, "mse": 0.25},
        {"event": "epoch", "index": 3, "r2": 0.5},
        {"event": "epoch", "index": 4, "samples": 12},
    ]


def test_numpy_and_torch_scalars_become_numbers(fifo: FifoReader) -> None:
    numpy = pytest.importorskip("numpy")
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        footprint.epoch(
            numpy.int64(1),
            loss=numpy.float32(0.5),
            val_loss=torch.tensor(0.25),
            accuracy=numpy.float64(0.75),
            samples=numpy.int32(64),
            r2=torch.tensor([0.5]),
            mse=numpy.array(1.5),
        )
        footprint.epoch(2, loss=torch.tensor([1.0, 2.0]), accuracy=numpy.bool_(True), val_loss=torch.tensor(True))
    assert len(footprint_warnings(records)) == 3  # a two-element tensor; two booleans
    assert fifo.raw_lines() == [
        '{"event":"epoch","index":1,"loss":0.5,"val_loss":0.25,"accuracy":0.75,"samples":64,"r2":0.5,"mse":1.5}',
        '{"event":"epoch","index":2}',
    ]


def test_writes_from_many_threads_stay_whole_lines(fifo: FifoReader) -> None:
    def write(thread: int) -> None:
        for i in range(250):
            footprint.epoch(thread * 1000 + i, loss=float(i), note_text_padding=1.0 * thread)
            footprint.phase("x" * 150)

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = fifo.events()  # every line parses
    assert len(events) == 8 * 250 * 2
    assert sorted(e["index"] for e in events if e["event"] == "epoch") == sorted(
        t * 1000 + i for t in range(8) for i in range(250)
    )


def test_a_reader_that_closed_costs_one_warning(fifo: FifoReader) -> None:
    footprint.train_begin()
    assert fifo.raw_lines() == ['{"event":"train_begin"}']  # closes the reader
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        footprint.epoch(1, loss=0.5)  # EPIPE
    messages = footprint_warnings(records)
    assert len(messages) == 1 and "reader has gone" in messages[0]
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        for index in range(2, 50):
            footprint.epoch(index, loss=0.5)
        footprint.result(accuracy=0.5)
        footprint.phase("eval")
    assert records == []


class _Alarm:
    """Fails the test, instead of hanging it, when a call blocks longer than ``seconds``."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        def expire(signum: int, frame: Any) -> None:
            raise TimeoutError("footprint blocked")

        self.previous = signal.signal(signal.SIGALRM, expire)
        signal.alarm(self.seconds)

    def __exit__(self, *exc: Any) -> None:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


def test_a_fifo_without_reader_does_not_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "events"
    os.mkfifo(path)
    monkeypatch.setenv(footprint.ENVIRONMENT_VARIABLE, str(path))
    with _Alarm(5), warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        _everything()
        _everything()
    messages = footprint_warnings(records)
    assert len(messages) == 1 and "no program is reading it" in messages[0], messages


def test_a_missing_path_creates_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(footprint.ENVIRONMENT_VARIABLE, str(tmp_path / "absent"))
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        _everything()
    assert len(footprint_warnings(records)) == 1
    assert list(tmp_path.iterdir()) == []


def test_warnings_as_errors_still_never_raise(fifo: FifoReader, capsys: pytest.CaptureFixture[str]) -> None:
    fifo.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        footprint.train_begin()
        footprint.epoch(1, loss=math.nan)
        footprint.report_model(object())
    assert "footprint:" in capsys.readouterr().err


def test_a_changed_path_opens_the_new_fifo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = FifoReader(tmp_path / "first")
    second = FifoReader(tmp_path / "second")
    monkeypatch.setenv(footprint.ENVIRONMENT_VARIABLE, str(first.path))
    footprint.epoch(1)
    monkeypatch.setenv(footprint.ENVIRONMENT_VARIABLE, str(second.path))
    footprint.epoch(2)
    assert first.events() == [{"event": "epoch", "index": 1}]
    assert second.events() == [{"event": "epoch", "index": 2}]


def test_an_active_mlflow_run_is_sent_once(fifo: FifoReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mlflow = pytest.importorskip("mlflow")
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")  # a file store needs no server or migration
    uri = (tmp_path / "mlruns").as_uri()
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(uri)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # MLflow's own deprecation notes
            with mlflow.start_run() as run:
                footprint.train_begin()
                footprint.epoch(1, loss=0.5)
                footprint.result(accuracy=0.5)
    finally:
        mlflow.set_tracking_uri(previous)
    assert fifo.events() == [
        {"event": "tracking", "mlflow_run_id": run.info.run_id, "mlflow_tracking_uri": uri},
        {"event": "train_begin"},
        {"event": "epoch", "index": 1, "loss": 0.5},
        {"event": "result", "accuracy": 0.5},
    ]


def test_importing_footprint_imports_no_framework() -> None:
    code = (
        "import sys, footprint\n"
        "footprint.train_begin(); footprint.epoch(1, loss=0.5); footprint.report_model({'w': [1.0]})\n"
        "heavy = ('torch', 'mlflow', 'keras', 'jax', 'lightning', 'transformers', 'numpy', 'sklearn')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != footprint.ENVIRONMENT_VARIABLE}
    environment["PYTHONPATH"] = str(Path(footprint.__file__).resolve().parents[1])
    output = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"
