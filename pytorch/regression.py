#!/usr/bin/env python3
"""graphs/regression.yaml's model trained in PyTorch, for its MAE beside graphc's.

The same files (data/cars/{train,test}.csv, written by `graphc data cars`),
the same model (9 → 64 relu → 64 relu → 1, Glorot-uniform kernels and zero
biases as graphc's dense), the same optimizer (Adam, lr 0.003, betas 0.9 and
0.999, epsilon 1e-8), steps (1000) and batch (32, drawn as graphc draws them:
a fresh shuffle each epoch, a batch that runs past the end filled from the
next epoch), and the same loss (mean squared error). Prints the test set's
MSE and MAE every 200 steps, as graphc's run does, and the last as JSON.

    python3 pytorch/regression.py [--seed N] [--steps N]
"""
import argparse
import csv
import json
import os

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(split):
    with open(os.path.join(ROOT, "data", "cars", f"{split}.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=np.float32)
    label = header.index("mpg")
    features = np.delete(body, label, axis=1)
    return torch.from_numpy(features), torch.from_numpy(body[:, label])


def batches(count, size, generator):
    """TF1's next_batch order: shuffle per epoch, a batch past the end takes the rest and the new epoch's first."""
    order = torch.randperm(count, generator=generator)
    start = 0
    while True:
        if start + size > count:
            rest = order[start:]
            order = torch.randperm(count, generator=generator)
            start = size - len(rest)
            yield torch.cat([rest, order[:start]])
        else:
            yield order[start:start + size]
            start += size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.003)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    x_train, y_train = read("train")
    x_test, y_test = read("test")
    layers = [torch.nn.Linear(9, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1)]
    for layer in layers:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    generator = torch.Generator().manual_seed(args.seed)
    draw = batches(len(y_train), args.batch_size, generator)
    result = {}
    for step in range(1, args.steps + 1):
        index = next(draw)
        loss = torch.mean((model(x_train[index]).reshape(-1) - y_train[index]) ** 2)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 200 == 0 or step == args.steps:
            with torch.no_grad():
                error = model(x_test).reshape(-1) - y_test
                result = {"step": step, "test_mse": float(torch.mean(error ** 2)), "test_mae": float(torch.mean(error.abs()))}
            print(f"step {step}, test mse={result['test_mse']:.6f}, mae={result['test_mae']:.6f}", flush=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
