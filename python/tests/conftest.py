"""Fixtures: a real FIFO with a reader thread, and a clean channel for every test."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

# Before any framework is imported: Keras on JAX, JAX and transformers on the CPU, no TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("USE_TF", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import footprint  # noqa: E402


class FifoReader:
    """The reading end of a FIFO, drained by a thread, as ``footprint wrap`` does it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path, 0o600)
        # Non-blocking, so that opening needs no writer; the thread polls it.
        self.descriptor: Optional[int] = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.data = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while self.descriptor is not None:
            try:
                chunk = os.read(self.descriptor, 1 << 16)
            except BlockingIOError:
                return
            if not chunk:
                return
            self.data.extend(chunk)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._drain()
            time.sleep(0.005)
        self._drain()

    def close(self) -> None:
        """Stops reading and closes the reading end (a later write gets EPIPE)."""
        self._stop.set()
        self._thread.join(5)
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None

    def raw_lines(self) -> List[str]:
        """Everything written so far, as lines (each must end with a newline)."""
        self.close()
        text = self.data.decode("utf-8")
        assert text == "" or text.endswith("\n"), "the last line has no newline"
        return text.splitlines()

    def events(self) -> List[Dict[str, Any]]:
        """Everything written so far, each line parsed."""
        return [json.loads(line) for line in self.raw_lines()]


@pytest.fixture(autouse=True)
def clean_channel(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No ``FOOTPRINT_EVENTS`` and a fresh channel unless a test sets one."""
    monkeypatch.delenv(footprint.ENVIRONMENT_VARIABLE, raising=False)
    footprint._reset()
    yield
    footprint._reset()


@pytest.fixture
def fifo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FifoReader]:
    """A FIFO with a reader, named by ``FOOTPRINT_EVENTS``."""
    reader = FifoReader(tmp_path / "events")
    monkeypatch.setenv(footprint.ENVIRONMENT_VARIABLE, str(reader.path))
    yield reader
    reader.close()


def footprint_warnings(records: Any) -> List[str]:
    """The messages of the ``FootprintWarning``s among recorded warnings."""
    return [str(r.message) for r in records if issubclass(r.category, footprint.FootprintWarning)]
