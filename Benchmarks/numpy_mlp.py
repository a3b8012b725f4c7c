#!/usr/bin/env python3
"""numpy reference for `footprint bench mlp`: the same SGD steps, timed the same way.

MLP IN-H-OUT (ReLU), softmax cross-entropy, plain SGD (lr 0.01), float32, batch B, on
`batch_count` fixed batches of Gaussian features and uniform labels used in turn; a tenth of
the steps (at least 5) warm up untimed. FOOTPRINT_NUMPY_THREADS threads (1 when unset;
`footprint bench` sets it to the thread count of the Swift row it compares with): the thread
variables are set before numpy is imported, since BLAS reads them once when it loads.

Prints one JSON object: {"samplesPerSecond": ..., "seconds": ..., "steps": ..., "threads": ...,
"numpy": ..., "blas": ...}.

    FOOTPRINT_NUMPY_THREADS=2 python3 Benchmarks/numpy_mlp.py --inputs 784 --hidden 256 --outputs 10 --batch-size 128 --steps 1000
"""
import os

THREADS = os.environ.get("FOOTPRINT_NUMPY_THREADS", "1")
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[name] = THREADS

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


def blas_description():
    """The BLAS numpy runs and the kernel it picked, from threadpoolctl when installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    parts = []
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            parts.append(f"{pool.get('internal_api')} {pool.get('version')} "
                         f"{pool.get('architecture')} {pool.get('num_threads')} thread(s)")
    return "; ".join(parts) or "none found"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=784)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--outputs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--batch-count", type=int, default=8)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    f32 = np.float32
    batches = [(rng.standard_normal((args.batch_size, args.inputs), dtype=f32),
                rng.integers(0, args.outputs, args.batch_size))
               for _ in range(args.batch_count)]
    w1 = (rng.standard_normal((args.hidden, args.inputs), dtype=f32) * np.sqrt(2 / args.inputs)).astype(f32)
    b1 = np.zeros(args.hidden, dtype=f32)
    w2 = (rng.standard_normal((args.outputs, args.hidden), dtype=f32) * np.sqrt(2 / args.hidden)).astype(f32)
    b2 = np.zeros(args.outputs, dtype=f32)
    lr = f32(0.01)
    rows = np.arange(args.batch_size)

    def step(x, y):
        nonlocal w1, b1, w2, b2
        h = x @ w1.T
        h += b1
        np.maximum(h, 0, out=h)
        o = h @ w2.T
        o += b2
        o -= o.max(axis=1, keepdims=True)
        np.exp(o, out=o)
        o /= o.sum(axis=1, keepdims=True)
        loss = -np.log(o[rows, y]).mean()
        o[rows, y] -= 1
        o /= f32(args.batch_size)          # ∂loss/∂logits
        gw2 = o.T @ h
        gb2 = o.sum(axis=0)
        dh = o @ w2
        dh *= h > 0                        # ReLU mask
        gw1 = dh.T @ x
        gb1 = dh.sum(axis=0)
        w1 -= lr * gw1
        b1 -= lr * gb1
        w2 -= lr * gw2
        b2 -= lr * gb2
        return loss

    warmup = max(5, args.steps // 10)
    for i in range(warmup):
        step(*batches[i % args.batch_count])
    start = time.perf_counter()
    loss = 0.0
    for i in range(args.steps):
        loss = step(*batches[i % args.batch_count])
    seconds = time.perf_counter() - start
    print(json.dumps({
        "samplesPerSecond": args.steps * args.batch_size / seconds,
        "seconds": seconds,
        "steps": args.steps,
        "threads": int(THREADS),
        "batchSize": args.batch_size,
        "finalLoss": float(loss),
        "numpy": np.__version__,
        "blas": blas_description(),
        "openblasCoretype": os.environ.get("OPENBLAS_CORETYPE"),
    }))


if __name__ == "__main__":
    main()
