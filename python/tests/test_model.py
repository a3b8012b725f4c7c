"""Counting parameters and training FLOPs on real models of each framework."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import footprint
from footprint._model import CountingError, count_parameters, torch_training_flops_per_sample
from conftest import FifoReader, footprint_warnings


def _mlp(torch):  # type: ignore[no-untyped-def]
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(64, 16), torch.nn.ReLU(), torch.nn.Linear(16, 10))


def test_torch_parameters_are_the_sum_of_numel() -> None:
    torch = pytest.importorskip("torch")
    model = _mlp(torch)
    assert count_parameters(model) == (sum(p.numel() for p in model.parameters()), "Sequential")
    assert count_parameters(model)[0] == 64 * 16 + 16 + 16 * 10 + 10


def test_torch_flops_per_sample_are_flop_counter_modes() -> None:
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    model = _mlp(torch)
    batch = torch.randn(32, 64)
    independent = FlopCounterMode(display=False)
    with independent:
        model(batch).sum().backward()
    model.zero_grad(set_to_none=True)
    # By hand: a Linear(i, o) forward is 2·i·o FLOPs per sample; its backward is the weight
    # gradient (2·i·o) plus, when its input needs a gradient, the input gradient (2·i·o). The
    # first layer's input (the data) needs none, so: 2·(2·64·16) + 3·(2·16·10) = 5,056.
    by_hand = 2 * (2 * 64 * 16) + 3 * (2 * 16 * 10)
    assert independent.get_total_flops() == by_hand * 32
    assert torch_training_flops_per_sample(model, batch) == by_hand
    assert torch_training_flops_per_sample(model, batch[:1]) == by_hand


def test_counting_flops_leaves_the_model_as_it_was() -> None:
    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.BatchNorm1d(8), torch.nn.Dropout(0.5), torch.nn.Linear(8, 2))
    model.train()
    model(torch.randn(4, 8)).sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    buffers = [b.clone() for b in model.buffers()]
    batch = torch.randn(16, 8)
    torch.manual_seed(7)
    expected_random = torch.rand(3)
    torch.manual_seed(7)
    flops = torch_training_flops_per_sample(model, batch)
    assert torch.equal(torch.rand(3), expected_random)  # the generator was not advanced
    assert flops == 2 * (2 * 8 * 8) + 3 * (2 * 8 * 2)
    assert all(torch.equal(p.grad, g) for p, g in zip(model.parameters(), grads))
    assert all(torch.equal(b, s) for b, s in zip(model.buffers(), buffers))
    assert model.training


def test_report_model_sends_torch_facts(fifo: FifoReader) -> None:
    torch = pytest.importorskip("torch")
    model = _mlp(torch)
    footprint.report_model(model, example_input=torch.randn(8, 64), name="mlp-16")
    footprint.report_model(model)
    assert fifo.events() == [
        {"event": "model", "name": "mlp-16", "parameters": 1210, "flops_per_sample": 5056},
        {"event": "model", "name": "Sequential", "parameters": 1210},
    ]


def test_keras_parameters_are_count_params(fifo: FifoReader) -> None:
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)], name="tiny")
    assert model.count_params() == 8 * 16 + 16 + 16 * 3 + 3
    assert count_parameters(model) == (model.count_params(), "tiny")
    footprint.report_model(model)
    assert fifo.events() == [{"event": "model", "name": "tiny", "parameters": 195}]


def test_sklearn_parameters_are_coefficients_and_intercepts() -> None:
    pytest.importorskip("sklearn")
    import numpy
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.neural_network import MLPClassifier

    rng = numpy.random.default_rng(0)
    x = rng.normal(size=(60, 5))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence
        mlp = MLPClassifier(hidden_layer_sizes=(7,), max_iter=5, random_state=0).fit(x, y)
    assert count_parameters(mlp) == (5 * 7 + 7 + 7 * 3 + 3, "MLPClassifier")
    logistic = LogisticRegression(max_iter=50).fit(x, y)
    assert count_parameters(logistic)[0] == 3 * 5 + 3
    assert count_parameters(LinearRegression().fit(x, x[:, 0]))[0] == 5 + 1
    assert count_parameters(LinearRegression(fit_intercept=False).fit(x, x[:, 0]))[0] == 5


def test_jax_parameter_trees_are_the_sum_of_leaf_sizes() -> None:
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    params = {
        "params": {
            "Dense_0": {"kernel": jnp.zeros((8, 16)), "bias": jnp.zeros((16,))},
            "Dense_1": {"kernel": jnp.zeros((16, 3)), "bias": jnp.zeros((3,))},
        }
    }
    expected = sum(leaf.size for leaf in jax.tree_util.tree_leaves(params))
    assert expected == 195
    assert count_parameters(params) == (195, "params")
    assert count_parameters([jnp.zeros((2, 2)), (jnp.zeros(3), None)])[0] == 7


def test_plain_nested_arrays_without_jax() -> None:
    numpy = pytest.importorskip("numpy")
    assert count_parameters({"a": numpy.zeros((4, 5)), "b": [numpy.zeros(3)]})[0] == 23


def test_what_cannot_be_counted_costs_a_warning_and_sends_nothing(fifo: FifoReader) -> None:
    with pytest.raises(CountingError):
        count_parameters(object())
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        footprint.report_model(object())
        footprint.report_model({"w": [1.0]}, example_input=[1.0])  # FLOPs only for PyTorch
        footprint.report_model(object(), name="custom", parameters=12, flops_per_sample=34)
    messages = footprint_warnings(records)
    assert len(messages) == 2 and "pass parameters=" in messages[0] and "PyTorch" in messages[1]
    assert fifo.events() == [
        {"event": "model", "name": "params", "parameters": 1},
        {"event": "model", "name": "custom", "parameters": 12, "flops_per_sample": 34},
    ]
