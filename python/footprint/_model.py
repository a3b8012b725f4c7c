"""Counting a model's parameters and training FLOPs, for whatever framework it comes from.

No framework is imported here unless the object passed in already belongs to it: a PyTorch
module can only exist if ``torch`` has been imported, so ``sys.modules`` tells which one it is.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping as MappingABC
from typing import Any, Iterable, List, Optional, Tuple


class CountingError(Exception):
    """The model is of a kind this package cannot count."""


def _torch_module_class() -> Optional[type]:
    torch = sys.modules.get("torch")
    nn = getattr(torch, "nn", None) if torch is not None else None
    return getattr(nn, "Module", None) if nn is not None else None


def is_torch_module(model: Any) -> bool:
    """True when ``model`` is a ``torch.nn.Module`` (without importing torch)."""
    module_class = _torch_module_class()
    return module_class is not None and isinstance(model, module_class)


def _size(array: Any) -> int:
    """The number of elements of an array-like leaf (``.size``, ``.numel()``, or 1 for a scalar)."""
    size = getattr(array, "size", None)
    if isinstance(size, int) and not isinstance(size, bool):
        return size
    numel = getattr(array, "numel", None)
    if callable(numel):
        return int(numel())
    if callable(size):  # a torch tensor's size() is its shape
        shape = size()
        total = 1
        for extent in shape:
            total *= int(extent)
        return total
    if isinstance(array, (int, float, complex)) and not isinstance(array, bool):
        return 1
    raise CountingError(f"a leaf of type {type(array).__name__} has no size")


def _leaves(tree: Any) -> Iterable[Any]:
    """The leaves of a nested mapping/list/tuple (what ``jax.tree_util`` would give without jax)."""
    if isinstance(tree, MappingABC):
        for value in tree.values():
            yield from _leaves(value)
    elif isinstance(tree, (list, tuple)):
        for value in tree:
            yield from _leaves(value)
    elif tree is not None:
        yield tree


def _pytree_parameters(tree: Any) -> int:
    jax = sys.modules.get("jax")
    tree_util = getattr(jax, "tree_util", None) if jax is not None else None
    if tree_util is not None:
        leaves: Iterable[Any] = tree_util.tree_leaves(tree)
    else:
        leaves = _leaves(tree)
    return sum(_size(leaf) for leaf in leaves)


def _is_array(value: Any) -> bool:
    return hasattr(value, "shape") and hasattr(value, "size")


def count_parameters(model: Any) -> Tuple[int, str]:
    """Returns ``(parameter count, default name)`` for ``model``.

    - a ``torch.nn.Module``: ``sum(p.numel() for p in model.parameters())``;
    - a Keras model (anything with ``count_params()``): its own count (the model must be built);
    - a scikit-learn estimator: the sizes of ``coefs_`` and ``intercepts_`` (MLP), or of
      ``coef_`` and ``intercept_`` (linear models; an intercept of a model fitted without one
      is not counted);
    - a JAX/Flax parameter pytree, or any nested mapping/list/tuple of arrays: the sum of the
      leaves' sizes (through ``jax.tree_util`` when jax is imported).

    Raises ``CountingError`` for anything else.
    """
    if is_torch_module(model):
        return sum(int(p.numel()) for p in model.parameters()), type(model).__name__
    count_params = getattr(model, "count_params", None)
    if callable(count_params):
        name = getattr(model, "name", None)
        return int(count_params()), name if isinstance(name, str) and name else type(model).__name__
    if hasattr(model, "coefs_"):
        total = sum(_size(a) for a in model.coefs_) + sum(_size(a) for a in getattr(model, "intercepts_", []))
        return total, type(model).__name__
    if hasattr(model, "coef_"):
        total = _size(model.coef_)
        intercept = getattr(model, "intercept_", None)
        if intercept is not None and getattr(model, "fit_intercept", True):
            total += _size(intercept)
        return total, type(model).__name__
    if isinstance(model, (MappingABC, list, tuple)) or _is_array(model):
        return _pytree_parameters(model), "params"
    jax = sys.modules.get("jax")
    if jax is not None:  # a registered pytree node (a Flax struct, an Equinox module, ...)
        leaves = jax.tree_util.tree_leaves(model)
        if leaves and all(_is_array(leaf) for leaf in leaves):
            return sum(_size(leaf) for leaf in leaves), type(model).__name__
    raise CountingError(
        f"cannot count the parameters of a {type(model).__module__}.{type(model).__name__}; "
        "pass parameters= to report_model"
    )


def _batch_size(example_input: Any) -> int:
    """The leading dimension of the first tensor in ``example_input``."""
    for leaf in _leaves(example_input):
        shape = getattr(leaf, "shape", None)
        if shape is not None and len(shape) > 0:
            return int(shape[0])
    raise CountingError("example_input holds no tensor with a batch dimension")


def _output_tensors(output: Any, torch: Any) -> List[Any]:
    """The floating-point tensors of a model's output that gradients flow through."""
    if isinstance(output, torch.Tensor):
        candidates = [output]
    elif isinstance(output, MappingABC) or hasattr(output, "to_tuple"):  # includes HF ModelOutput
        candidates = [v for v in (output.values() if isinstance(output, MappingABC) else output.to_tuple())]
    elif isinstance(output, (list, tuple)):
        candidates = list(output)
    else:
        candidates = []
    tensors: List[Any] = []
    for candidate in candidates:
        if isinstance(candidate, torch.Tensor):
            if candidate.is_floating_point() and candidate.requires_grad:
                tensors.append(candidate)
        elif isinstance(candidate, (MappingABC, list, tuple)):
            tensors.extend(_output_tensors(candidate, torch))
    return tensors


def torch_training_flops_per_sample(model: Any, example_input: Any) -> int:
    """Training FLOPs per sample of a ``torch.nn.Module``, as ``FlopCounterMode`` counts them.

    One forward pass on ``example_input`` (a tensor, a tuple of positional arguments or a dict
    of keyword arguments) and one backward pass of the sum of its floating-point outputs are
    counted, and the total divided by the batch size (the first dimension of the first tensor).
    As with ``FlopCounterMode`` itself, only matrix products and convolutions count, and an input
    that does not require gradients gets none (so the first layer's backward costs one product,
    the others two).

    The model is left as it was: its gradients, buffers (e.g. BatchNorm statistics) and the
    random number generators' state are restored afterwards.
    """
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    batch = _batch_size(example_input)
    if batch <= 0:
        raise CountingError("example_input has an empty batch")
    parameters = list(model.parameters())
    saved_grads = [p.grad for p in parameters]
    saved_buffers = [(b, b.detach().clone()) for b in model.buffers()]
    devices: List[int] = []
    for leaf in _leaves(example_input):
        device = getattr(leaf, "device", None)
        if device is not None and getattr(device, "type", None) == "cuda" and device.index is not None:
            devices.append(device.index)
    try:
        for p in parameters:
            p.grad = None
        with torch.random.fork_rng(devices=sorted(set(devices))), torch.enable_grad():
            counter = FlopCounterMode(display=False)
            with counter:
                if isinstance(example_input, MappingABC):
                    output = model(**example_input)
                elif isinstance(example_input, tuple):
                    output = model(*example_input)
                else:
                    output = model(example_input)
                tensors = _output_tensors(output, torch)
                if tensors:
                    total = tensors[0].sum()
                    for tensor in tensors[1:]:
                        total = total + tensor.sum()
                    total.backward()
            flops = int(counter.get_total_flops())
    finally:
        with torch.no_grad():
            for p, grad in zip(parameters, saved_grads):
                p.grad = grad
            for buffer, saved in saved_buffers:
                buffer.copy_(saved)
    return round(flops / batch)
