"""The event channel: JSON lines written to the FIFO named by ``FOOTPRINT_EVENTS``.

Everything here is defensive. Nothing a caller does, and nothing that happens to the FIFO, may
raise into the training loop: a missing variable makes every call a no-op, and the first
failure to open or write the FIFO costs one warning, after which the channel stays silent.
"""

from __future__ import annotations

import errno
import fcntl
import json
import math
import numbers
import os
import sys
import threading
import warnings
from typing import Any, Dict, Mapping, Optional, Set, Tuple

ENVIRONMENT_VARIABLE = "FOOTPRINT_EVENTS"

#: Footprint skips a line longer than this (1 MiB, newline included); such a line is not sent.
MAXIMUM_LINE_BYTES = 1 << 20

#: Ranges Footprint accepts for the keys it understands (see the README). A value outside its
#: range would make Footprint skip the whole line, so it is dropped here, with a warning, and the
#: rest of the line is kept.
_RANGES: Dict[str, Tuple[float, float]] = {
    "accuracy": (0.0, 1.0),
    "acc": (0.0, 1.0),
    "loss": (-1e38, 1e38),
    "val_loss": (-1e38, 1e38),
    "mse": (0.0, 1e38),
    "r2": (-1e6, 1.0),
    "samples": (0, 10**15),
}
#: Keys that must be whole numbers.
_WHOLE_KEYS = frozenset({"samples", "parameters", "flops_per_sample"})
#: Largest epoch index Footprint accepts.
MAXIMUM_INDEX = 999_999_999


class FootprintWarning(RuntimeWarning):
    """Warning category for everything the footprint package reports (never an exception)."""


def warn(message: str) -> None:
    """Issues a ``FootprintWarning``; never raises, even under ``-W error``."""
    try:
        warnings.warn(message, FootprintWarning, stacklevel=3)
    except Exception:  # a filter turned warnings into errors: fall back to stderr
        try:
            sys.stderr.write(f"footprint: {message}\n")
        except Exception:
            pass


class _Channel:
    """The process's writer to the FIFO: opened on first use, one lock around every write."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.path: Optional[str] = None
        self.descriptor: Optional[int] = None
        #: True once the channel for ``path`` failed: every later call is a silent no-op.
        self.broken = False
        #: (key, reason) pairs already warned about, so a metric NaN every epoch warns once.
        self.value_warnings: Set[Tuple[str, str]] = set()

    def close(self) -> None:
        """Closes the descriptor and forgets the path and whether it failed (the lock is held)."""
        if self.descriptor is not None:
            try:
                os.close(self.descriptor)
            except OSError:
                pass
        self.path = None
        self.descriptor = None
        self.broken = False

    def reset(self) -> None:
        """``close``, and forgets the warnings already given (for tests; the lock is held)."""
        self.close()
        self.value_warnings = set()

    def _open(self, path: str) -> Tuple[Optional[int], Optional[str]]:
        """Opens ``path`` for writing without ever waiting for a reader.

        ``O_NONBLOCK`` makes the open of a FIFO without a reader fail at once (ENXIO) instead of
        waiting forever; once open, the descriptor is made blocking again so a full pipe makes
        the program wait a moment rather than lose a line. ``O_CREAT`` is never given: a wrong
        path creates no file. Returns the descriptor, or None and the warning to give.
        """
        flags = os.O_WRONLY | os.O_NONBLOCK | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        try:
            descriptor = os.open(path, flags)
        except OSError as error:
            reason = "no program is reading it" if error.errno == errno.ENXIO else (error.strerror or str(error))
            return None, f"cannot open {ENVIRONMENT_VARIABLE}={path!r} ({reason}); footprint events are off for this run"
        try:
            status = fcntl.fcntl(descriptor, fcntl.F_GETFL)
            fcntl.fcntl(descriptor, fcntl.F_SETFL, status & ~os.O_NONBLOCK)
        except OSError:
            pass  # still usable; a full pipe then ends the channel with a warning
        return descriptor, None

    def send(self, payload: bytes) -> None:
        """Writes one encoded line, or does nothing if there is no channel or it failed."""
        path = os.environ.get(ENVIRONMENT_VARIABLE)
        if not path:
            return
        problem: Optional[str] = None
        with self.lock:
            if path != self.path:  # a new FIFO (tests; a program that sets the variable itself)
                self.close()
                self.path = path
            if self.broken:
                return
            if self.descriptor is None:
                self.descriptor, problem = self._open(path)
                if self.descriptor is None:
                    self.broken = True
            if self.descriptor is not None:
                problem = self._write(path, payload)
        if problem is not None:
            warn(problem)  # outside the lock: a warning handler may do anything

    def _write(self, path: str, payload: bytes) -> Optional[str]:
        """Writes all of ``payload`` (the lock is held); returns a warning on failure."""
        assert self.descriptor is not None
        view = memoryview(payload)
        try:
            while view:
                written = os.write(self.descriptor, view)
                view = view[written:]
        except OSError as error:
            # EPIPE (the reader closed), EAGAIN, ENOSPC on a plain file, EBADF, ...
            self.broken = True
            try:
                os.close(self.descriptor)
            except OSError:
                pass
            self.descriptor = None
            reason = "the reader has gone" if error.errno == errno.EPIPE else (error.strerror or str(error))
            return f"cannot write to {ENVIRONMENT_VARIABLE}={path!r} ({reason}); footprint events are off for this run"
        return None

    def warn_value(self, key: str, reason: str, message: str) -> None:
        """Warns about a dropped value once per key and reason."""
        with self.lock:
            if (key, reason) in self.value_warnings:
                return
            self.value_warnings.add((key, reason))
        warn(message)


CHANNEL = _Channel()

if hasattr(os, "register_at_fork"):
    # A lock held by another thread at fork time would stay held forever in the child.
    def _after_fork_in_child() -> None:
        CHANNEL.lock = threading.Lock()

    os.register_at_fork(after_in_child=_after_fork_in_child)


def enabled() -> bool:
    """True when ``FOOTPRINT_EVENTS`` is set (the program runs under ``footprint wrap``)."""
    return bool(os.environ.get(ENVIRONMENT_VARIABLE))


def number(key: str, value: Any) -> Optional[float]:
    """Returns ``value`` as a JSON number (``int`` or finite ``float``), or None to drop it.

    ``None`` is dropped silently (absent). Booleans are not numbers. NumPy and PyTorch scalars
    (anything with a one-element ``item()``, or registered as ``numbers.Real``) are converted.
    NaN, infinity, strings and other objects are dropped with one warning per key.
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes, bytearray)):
        CHANNEL.warn_value(key, "type", f"{key}={value!r} is not a number; it is not sent")
        return None
    dtype = getattr(value, "dtype", None)
    if isinstance(value, bool) or (dtype is not None and "bool" in str(dtype)):
        CHANNEL.warn_value(key, "bool", f"{key}={value!r} is a boolean, not a number; it is not sent")
        return None
    if not isinstance(value, numbers.Number) and callable(getattr(value, "item", None)):
        try:
            value = value.item()  # a 0-d / one-element tensor or array
        except Exception:
            CHANNEL.warn_value(key, "type", f"{key} is not a single number ({type(value).__name__}); it is not sent")
            return None
        return number(key, value)
    result: float
    if isinstance(value, numbers.Integral):
        result = int(value)
    elif isinstance(value, numbers.Real):
        result = float(value)
    else:
        try:
            result = float(value)
        except Exception:
            CHANNEL.warn_value(key, "type", f"{key} is not a number ({type(value).__name__}); it is not sent")
            return None
    if isinstance(result, float) and not math.isfinite(result):
        CHANNEL.warn_value(key, "finite", f"{key}={result} is not finite; it is not sent")
        return None
    if key in _WHOLE_KEYS and not isinstance(result, int):
        if float(result).is_integer():
            result = int(result)
        else:
            CHANNEL.warn_value(key, "whole", f"{key}={result} is not a whole number; it is not sent")
            return None
    bounds = _RANGES.get(key)
    if bounds is not None and not bounds[0] <= result <= bounds[1]:
        hint = " (send a fraction: 0.93, not 93)" if key in ("accuracy", "acc") else ""
        CHANNEL.warn_value(
            key, "range", f"{key}={result} is outside [{bounds[0]:g}, {bounds[1]:g}]{hint}; it is not sent"
        )
        return None
    return result


def metrics_fields(metrics: Mapping[str, Any], reserved: frozenset) -> Dict[str, Any]:
    """The numeric, finite values of ``metrics`` whose keys are strings and not ``reserved``."""
    fields: Dict[str, Any] = {}
    for key, value in metrics.items():
        if not isinstance(key, str) or key in reserved:
            CHANNEL.warn_value(str(key), "reserved", f"the key {key!r} cannot be sent as a metric; it is ignored")
            continue
        converted = number(key, value)
        if converted is not None:
            fields[key] = converted
    return fields


def emit(event: str, fields: Mapping[str, Any]) -> None:
    """Encodes ``{"event": event, **fields}`` as one line and sends it; never raises."""
    try:
        if not enabled():
            return
        line = json.dumps(
            {"event": event, **fields}, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        payload = (line + "\n").encode("utf-8", errors="replace")
        if len(payload) > MAXIMUM_LINE_BYTES:
            CHANNEL.warn_value(
                event, "size", f"a {event!r} line of {len(payload):,} bytes is longer than Footprint accepts; it is not sent"
            )
            return
        CHANNEL.send(payload)
    except Exception as error:  # a bug here must never end the training
        CHANNEL.warn_value(event, "internal", f"could not send a {event!r} event: {error!r}")
