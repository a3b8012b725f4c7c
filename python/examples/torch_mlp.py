#!/usr/bin/env python3
"""A plain PyTorch MLP on scikit-learn's 8×8 digits, reporting to Footprint.

    footprint wrap --tag torch-width --name "torch mlp H=64" -- python python/examples/torch_mlp.py --hidden 64

Without ``footprint wrap`` (no ``FOOTPRINT_EVENTS``) it trains the same and the reporting calls
do nothing. It needs ``torch`` and ``scikit-learn``; ``footprint`` is this repository's
``python/`` package (``pip install ./python``, or run from the repository: the script finds it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import List, Tuple

try:
    import footprint
except ImportError:  # run from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import footprint

import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def arguments(argv: List[str]) -> argparse.Namespace:
    """The command line: width, epochs, seed and the usual training knobs."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hidden", type=int, default=64, help="width of the hidden layer (default 64)")
    parser.add_argument("--epochs", type=int, default=8, help="epochs (default 8)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the split, the weights and the batches (default 0)")
    parser.add_argument("--batch-size", type=int, default=32, help="batch size (default 32)")
    parser.add_argument("--learning-rate", type=float, default=0.002, help="Adam's learning rate (default 0.002)")
    return parser.parse_args(argv)


def data(seed: int) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Digits scaled to [0, 1], split 80 / 20 (stratified) into training and validation."""
    digits = load_digits()
    x_train, x_val, y_train, y_val = train_test_split(
        digits.data / 16.0, digits.target, test_size=0.2, random_state=seed, stratify=digits.target
    )
    as_x = lambda a: torch.tensor(a, dtype=torch.float32)  # noqa: E731
    as_y = lambda a: torch.tensor(a, dtype=torch.long)  # noqa: E731
    return as_x(x_train), as_y(y_train), as_x(x_val), as_y(y_val)


def evaluate(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> Tuple[float, float]:
    """Mean cross-entropy and accuracy on ``(x, y)``."""
    model.eval()
    with torch.no_grad():
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits, y).item()
        accuracy = (logits.argmax(dim=1) == y).float().mean().item()
    model.train()
    return loss, accuracy


def main(argv: List[str]) -> int:
    """Trains the MLP and reports its model, epochs and result to Footprint."""
    options = arguments(argv)
    torch.manual_seed(options.seed)
    x_train, y_train, x_val, y_val = data(options.seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(x_train.shape[1], options.hidden), torch.nn.ReLU(), torch.nn.Linear(options.hidden, 10)
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=options.learning_rate)
    footprint.report_model(model, example_input=x_train[: options.batch_size], name=f"mlp-{options.hidden}")
    footprint.train_begin()
    generator = torch.Generator().manual_seed(options.seed)
    started = time.perf_counter()
    accuracy = val_loss = float("nan")
    for index in range(1, options.epochs + 1):
        order = torch.randperm(len(x_train), generator=generator)
        total = 0.0
        for start in range(0, len(order), options.batch_size):
            batch = order[start : start + options.batch_size]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        val_loss, accuracy = evaluate(model, x_val, y_val)
        footprint.epoch(
            index, loss=total / len(x_train), val_loss=val_loss, accuracy=accuracy, samples=len(x_train)
        )
        print(f"epoch {index}: loss {total / len(x_train):.4f}, val_loss {val_loss:.4f}, accuracy {accuracy:.3f}", flush=True)
    footprint.result(accuracy=accuracy, val_loss=val_loss)
    print(f"H={options.hidden}: accuracy {accuracy:.3f} in {time.perf_counter() - started:.2f} s of training", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
