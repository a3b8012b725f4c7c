"""What the callbacks share: reading metric dictionaries and batch sizes."""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Set, Tuple

from .._events import number

#: Footprint's key and the framework keys that feed it, first match wins.
MetricMap = Sequence[Tuple[str, Sequence[str]]]


def map_metrics(source: Mapping[str, Any], mapping: MetricMap, extras: bool = True) -> Dict[str, Any]:
    """Footprint's metrics from a framework's ``source`` dictionary.

    Each Footprint key takes the first of its framework keys that holds a number; with
    ``extras``, every other numeric entry is kept under its own name (Footprint stores it as
    an extra fact). Values are converted (tensors, NumPy scalars) and NaN/inf dropped later by
    ``footprint.epoch``.
    """
    metrics: Dict[str, Any] = {}
    used: Set[str] = set()
    for target, candidates in mapping:
        for candidate in candidates:
            if candidate in source and _is_number(source[candidate]):
                metrics[target] = source[candidate]
                break
        used.update(candidates)
    if extras:
        for key, value in source.items():
            if isinstance(key, str) and key not in used and key not in metrics and key not in ("epoch", "index", "event", "step"):
                if _is_number(value):
                    metrics[key] = value
    return metrics


def _is_number(value: Any) -> bool:
    """True when ``value`` is a single finite-or-not number (quietly: no warning for the rest)."""
    if value is None or isinstance(value, (str, bytes, bool)):
        return False
    dtype = getattr(value, "dtype", None)
    if dtype is not None and "bool" in str(dtype):
        return False
    numel = getattr(value, "numel", None)
    if callable(numel):
        try:
            return int(numel()) == 1
        except Exception:
            return False
    size = getattr(value, "size", None)
    if isinstance(size, int):
        return size == 1
    try:
        float(value)
        return True
    except Exception:
        return False


def _leaves(tree: Any) -> Iterable[Any]:
    if isinstance(tree, MappingABC):
        for value in tree.values():
            yield from _leaves(value)
    elif isinstance(tree, (list, tuple)):
        for value in tree:
            yield from _leaves(value)
    else:
        yield tree


def batch_size(batch: Any) -> Optional[int]:
    """The leading dimension of the first array in ``batch`` (a tensor, tuple, list or dict)."""
    for leaf in _leaves(batch):
        shape = getattr(leaf, "shape", None)
        if shape is not None and len(shape) > 0:
            try:
                return int(shape[0])
            except Exception:
                return None
    return None


__all__ = ["MetricMap", "map_metrics", "batch_size", "number"]
