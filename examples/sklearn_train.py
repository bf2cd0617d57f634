#!/usr/bin/env python3
"""Trains a scikit-learn classifier on a CSV (last column = label) and writes predictions: a plain argparse +
scikit-learn script with no MLTrack code. Under `mltrack run -- /usr/bin/python3 examples/sklearn_train.py --data ...`
its options, the estimator's params, its training score, the fitted model and the files it read and wrote are
recorded anyway (zero-config capture)."""
import argparse
import csv
import os

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    data = np.array([[float(v) for v in r] for r in body])
    return header[:-1], data[:, :-1], data[:, -1].astype(int)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="training CSV (features..., label)")
    parser.add_argument("--model", choices=["forest", "logistic"], default="forest")
    parser.add_argument("--n-estimators", type=int, default=50)
    parser.add_argument("--max-depth", type=int, default=None)
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--test-size", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--predictions", default="predictions.csv", help="CSV to write (row, label, prediction)")
    args = parser.parse_args()

    columns, X, y = load(args.data)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=args.seed)
    if args.model == "forest":
        model = RandomForestClassifier(n_estimators=args.n_estimators, max_depth=args.max_depth, random_state=args.seed)
    else:
        model = LogisticRegression(C=args.C, max_iter=1000)
    model.fit(X_train, y_train)
    accuracy = model.score(X_test, y_test)
    print(f"test_accuracy={accuracy:.4f}")

    out_dir = os.path.dirname(os.path.abspath(args.predictions))
    os.makedirs(out_dir, exist_ok=True)
    with open(args.predictions, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["row", "label", "prediction"])
        for i, (label, pred) in enumerate(zip(y_test, model.predict(X_test))):
            w.writerow([i, int(label), int(pred)])
    print(f"wrote {len(y_test)} predictions to {args.predictions}")


if __name__ == "__main__":
    main()
