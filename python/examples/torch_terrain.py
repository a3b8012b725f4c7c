#!/usr/bin/env python3
"""The lecture's terrain MLP (1 → H → 1, ReLU) in PyTorch, on exactly Footprint's terrain data.

    footprint wrap --name "pytorch terrain H=100" -- python python/examples/torch_terrain.py --hidden 100

The terrain profile, its 80 / 20 split and the standardisation are computed here exactly as
Footprint's `terrain` dataset and trainer compute them (Sources/Learning/Datasets/TerrainProfile.swift,
SeededGenerator.swift, Training/DataSplit.swift; Swift's `shuffle(using:)`): the same 1,639
training and 410 validation points, bit for bit, for a given `--seed`. The defaults are those of
`footprint train --dataset terrain` (Adam, learning rate 0.01, batch 32). What differs is each
framework's own: PyTorch's weight initialisation and its batch order. `--check-data` prints the
split's statistics instead of training (the Swift tests compare them).

It needs `torch` and `numpy`; ``footprint`` is this repository's ``python/`` package
(``pip install ./python``, or run from the repository: the script finds it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import List, Tuple

try:
    import footprint
except ImportError:  # run from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import footprint

import numpy as np
import torch

MASK = (1 << 64) - 1
SAMPLES = 2049
LENGTH_KM = 10.0
SEED = 0x7E44A1A520240001
INITIAL_DISPLACEMENT_M = 220.0
ROUGHNESS = 0.66
CRAGS = 14
RIDGES = [(1.9, 0.7, 170.0), (3.05, 0.22, 110.0), (7.4, 1.1, 280.0), (8.35, 0.12, 95.0)]
CLIFF_START_KM, CLIFF_END_KM, CLIFF_DROP_M = 5.3, 5.31, 150.0


class SeededGenerator:
    """Footprint's SplitMix64 (Sources/Learning/SeededGenerator.swift)."""

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, upper: int) -> int:
        """Swift's `next(upperBound:)`: Lemire's multiply-shift with rejection, as `Int.random(in:using:)` uses it."""
        product = self.next() * upper
        if (product & MASK) < upper:
            threshold = ((1 << 64) - upper) % upper
            while (product & MASK) < threshold:
                product = self.next() * upper
        return product >> 64

    def uniform_signed(self) -> float:
        """A uniform value in [−1, 1), exact in a double (53 random bits)."""
        return float(self.next() >> 11) * (2.0 / 9007199254740992.0) - 1


def terrain() -> Tuple[List[float], List[float]]:
    """Distances (km) and elevations (m), as TerrainProfile computes them (only + − × ÷ on doubles)."""
    distances = [LENGTH_KM * i / (SAMPLES - 1) for i in range(SAMPLES)]
    generator = SeededGenerator(SEED)
    heights = [0.0] * SAMPLES
    heights[0] = INITIAL_DISPLACEMENT_M * generator.uniform_signed()
    heights[-1] = INITIAL_DISPLACEMENT_M * generator.uniform_signed()
    step, displacement = (SAMPLES - 1) // 2, INITIAL_DISPLACEMENT_M
    while step >= 1:
        middle = step
        while middle < SAMPLES - 1:
            heights[middle] = (heights[middle - step] + heights[middle + step]) / 2 + displacement * generator.uniform_signed()
            middle += 2 * step
        displacement *= ROUGHNESS
        step //= 2
    ridges = list(RIDGES)
    for _ in range(CRAGS):
        centre = LENGTH_KM * (generator.uniform_signed() + 1) / 2
        half_width = 0.05 + 0.03 * generator.uniform_signed()
        height = 30 * generator.uniform_signed()
        height = height + (-15 if generator.uniform_signed() < 0 else 15)
        ridges.append((centre, half_width, height))
    elevations = []
    for x, fbm in zip(distances, heights):
        elevation = 420 + 18 * x + fbm
        for centre, half_width, height in ridges:
            from_centre = centre - x if x < centre else x - centre
            if from_centre < half_width:
                elevation += height * (1 - from_centre / half_width)
        if x >= CLIFF_END_KM:
            elevation -= CLIFF_DROP_M
        elif x > CLIFF_START_KM:
            elevation -= CLIFF_DROP_M * (x - CLIFF_START_KM) / (CLIFF_END_KM - CLIFF_START_KM)
        elevations.append(elevation)
    return distances, elevations


def split(seed: int, count: int = SAMPLES, fraction: float = 0.2) -> Tuple[List[int], List[int]]:
    """DataSplit's rows: Swift's Fisher–Yates `shuffle(using:)` with SeededGenerator(seed ^ 0x5EED5EED)."""
    order = list(range(count))
    generator = SeededGenerator(seed ^ 0x5EED5EED)
    amount, current = count, 0
    while amount > 1:
        offset = generator.below(amount)
        amount -= 1
        order[current], order[current + offset] = order[current + offset], order[current]
        current += 1
    exact = count * fraction
    validation_count = min(max(int(exact + 0.5) if exact >= 0 else -int(-exact + 0.5), 1), count - 1)
    return sorted(order[validation_count:]), sorted(order[:validation_count])


def standardised(values: np.ndarray) -> Tuple[np.float32, np.float32]:
    """DataSplit.statistics: the mean in double over the float32 values, the population deviation."""
    as_double = values.astype(np.float64)
    mean = as_double.sum() / len(values)
    deviation = float(np.sqrt(((as_double - mean) ** 2).sum() / len(values)))
    return np.float32(mean), np.float32(deviation if deviation > 1e-12 else 1.0)


def data(seed: int):
    """Training and validation tensors, standardised with the training rows' statistics."""
    distances, elevations = terrain()
    x = np.array(distances, dtype=np.float32)
    y = np.array(elevations, dtype=np.float32)
    train_rows, validation_rows = split(seed)
    x_shift, x_scale = standardised(x[train_rows])
    y_shift, y_scale = standardised(y[train_rows])
    as_tensor = lambda a: torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)).reshape(-1, 1)  # noqa: E731
    return {
        "x_train": as_tensor((x[train_rows] - x_shift) / x_scale),
        "y_train": as_tensor((y[train_rows] - y_shift) / y_scale),
        "x_val": as_tensor((x[validation_rows] - x_shift) / x_scale),
        "y_val_metres": as_tensor(y[validation_rows]),
        "y_shift": float(y_shift),
        "y_scale": float(y_scale),
        "train_rows": train_rows,
        "validation_rows": validation_rows,
    }


def arguments(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hidden", type=int, default=100, help="width H of the hidden layer (default 100)")
    parser.add_argument("--epochs", type=int, default=200, help="epochs (default 200, as footprint train's)")
    parser.add_argument("--batch-size", type=int, default=32, help="batch size (default 32)")
    parser.add_argument("--lr", type=float, default=0.01, help="Adam's learning rate (default 0.01)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the split (as footprint train's --seed), the weights and the batches (default 42)")
    parser.add_argument("--check-data", action="store_true", help="print the split's statistics as JSON and exit")
    return parser.parse_args(argv)


def main(argv: List[str]) -> int:
    options = arguments(argv)
    prepared = data(options.seed)
    if options.check_data:
        distances, elevations = terrain()
        # A least-squares line on the training rows, scored on the validation rows in metres²:
        # `footprint train --dataset terrain --model poly --degree 1` must find the same MSE.
        x, y = prepared["x_train"].numpy().ravel().astype(np.float64), prepared["y_train"].numpy().ravel().astype(np.float64)
        slope, intercept = np.linalg.lstsq(np.vstack([x, np.ones_like(x)]).T, y, rcond=None)[0]
        line = (slope * prepared["x_val"].numpy().ravel() + intercept) * prepared["y_scale"] + prepared["y_shift"]
        linear_mse = float(np.mean((line - prepared["y_val_metres"].numpy().ravel()) ** 2))
        print(json.dumps({
            "linear_validation_mse": linear_mse,
            "elevation_sum": sum(elevations), "elevation_first": elevations[0], "elevation_last": elevations[-1],
            "validation_rows": prepared["validation_rows"][:10], "validation_count": len(prepared["validation_rows"]),
            "target_shift": prepared["y_shift"], "target_scale": prepared["y_scale"],
        }))
        return 0
    torch.manual_seed(options.seed)
    x_train, y_train, x_val = prepared["x_train"], prepared["y_train"], prepared["x_val"]
    y_val = prepared["y_val_metres"]
    model = torch.nn.Sequential(torch.nn.Linear(1, options.hidden), torch.nn.ReLU(), torch.nn.Linear(options.hidden, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=options.lr, betas=(0.9, 0.999), eps=1e-8)
    footprint.report_model(model, example_input=x_train[: options.batch_size], name=f"mlp:1-{options.hidden}-1")
    footprint.train_begin()
    generator = torch.Generator().manual_seed(options.seed)
    started = time.perf_counter()
    mse = r2 = float("nan")
    for index in range(1, options.epochs + 1):
        order = torch.randperm(len(x_train), generator=generator)
        total = 0.0
        for start in range(0, len(order), options.batch_size):
            batch = order[start : start + options.batch_size]
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        with torch.no_grad():
            predicted = model(x_val) * prepared["y_scale"] + prepared["y_shift"]
            mse = torch.mean((predicted - y_val) ** 2).item()
            r2 = 1 - mse / torch.var(y_val, unbiased=False).item()
            val_loss = mse / prepared["y_scale"] ** 2
        footprint.epoch(index, loss=total / len(x_train), val_loss=val_loss, mse=mse, r2=r2, samples=len(x_train))
    # With val_loss, Footprint files the MSE and R² as held-out figures, as they are.
    footprint.result(mse=mse, r2=r2, val_loss=val_loss)
    print(f"H={options.hidden}: validation MSE {mse:.1f} m², R² {r2:.4f} in {time.perf_counter() - started:.2f} s of training", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
