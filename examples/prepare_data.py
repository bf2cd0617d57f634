#!/usr/bin/env python3
"""Writes a CSV classification dataset (generated, standard library only): the first script of the two-script lineage
example. `mltrack run -- python3 examples/prepare_data.py --out data/train.csv` records data/train.csv as its output;
the training run that reads it is linked to this one by the file's sha256."""
import argparse
import csv
import math
import os
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="data/train.csv", help="CSV file to write")
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--features", type=int, default=4)
    parser.add_argument("--noise", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    weights = [rng.uniform(-2, 2) for _ in range(args.features)]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"f{i}" for i in range(args.features)] + ["label"])
        for _ in range(args.rows):
            x = [round(rng.gauss(0, 1), 5) for _ in range(args.features)]
            z = sum(a * b for a, b in zip(weights, x)) + rng.gauss(0, args.noise)
            w.writerow(x + [1 if 1 / (1 + math.exp(-z)) > 0.5 else 0])
    print(f"wrote {args.rows} rows to {args.out}")


if __name__ == "__main__":
    main()
