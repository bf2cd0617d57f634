#!/usr/bin/env python3
"""Logistic regression by gradient descent on generated data, standard library only.

Prints `epoch N loss=... acc=...` lines, which `mltrack run` turns into metrics with no MLTrack code here.
"""
import argparse
import math
import random


def make_data(n, features, noise, rng):
    true_w = [rng.uniform(-2, 2) for _ in range(features)]
    xs, ys = [], []
    for _ in range(n):
        x = [rng.gauss(0, 1) for _ in range(features)]
        z = sum(w * v for w, v in zip(true_w, x)) + rng.gauss(0, noise)
        xs.append(x)
        ys.append(1 if z > 0 else 0)
    return xs, ys


def sigmoid(z):
    if z < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def evaluate(w, b, xs, ys):
    loss, correct = 0.0, 0
    for x, y in zip(xs, ys):
        p = sigmoid(sum(wi * xi for wi, xi in zip(w, x)) + b)
        p = min(max(p, 1e-12), 1 - 1e-12)
        loss -= y * math.log(p) + (1 - y) * math.log(1 - p)
        correct += (p >= 0.5) == (y == 1)
    return loss / len(xs), correct / len(xs)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--features", type=int, default=8)
    parser.add_argument("--noise", type=float, default=0.5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"options: {vars(args)}")

    rng = random.Random(args.seed)
    xs, ys = make_data(args.samples, args.features, args.noise, rng)
    split = int(0.8 * len(xs))
    train_x, train_y, val_x, val_y = xs[:split], ys[:split], xs[split:], ys[split:]
    w, b = [0.0] * args.features, 0.0

    for epoch in range(1, args.epochs + 1):
        order = list(range(len(train_x)))
        rng.shuffle(order)
        for start in range(0, len(order), args.batch_size):
            batch = order[start:start + args.batch_size]
            gw, gb = [0.0] * args.features, 0.0
            for i in batch:
                err = sigmoid(sum(wi * xi for wi, xi in zip(w, train_x[i])) + b) - train_y[i]
                for j in range(args.features):
                    gw[j] += err * train_x[i][j]
                gb += err
            w = [wi - args.lr * g / len(batch) for wi, g in zip(w, gw)]
            b -= args.lr * gb / len(batch)
        loss, acc = evaluate(w, b, train_x, train_y)
        val_loss, val_acc = evaluate(w, b, val_x, val_y)
        print(f"epoch {epoch} loss={loss:.4f} acc={acc:.4f} val_loss={val_loss:.4f} val_acc={val_acc:.4f}", flush=True)

    print("done")


if __name__ == "__main__":
    main()
