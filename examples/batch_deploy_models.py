#!/usr/bin/env python3
"""Deploys the best run of each of several experiments: the finished run with the best value of a metric that logged a
model (runs/search ordered by the metric), locally by default or to Modal.

    python3 examples/batch_deploy_models.py --experiments churn fraud --metric accuracy
    python3 examples/batch_deploy_models.py --all --metric rmse --lower-is-better --target modal
    python3 examples/batch_deploy_models.py --train-demo       # first trains 3 small experiments x 3 runs

Prints one line per experiment (best run, metric, endpoint or why it was skipped) and, last, a JSON summary.
Needs a running MLTrack server (`mltrack server`, or the VS Code extension).
"""
import argparse
import json
import os
import re
import sys

try:
    import mltrack
except ImportError:  # run from a checkout: use the client next to this example
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "clients", "python"))
    import mltrack
from mltrack import _tracking
from mltrack.deploy import TARGETS, DeploymentConfig, DeploymentError, deploy

MODEL_TAG = "mltrack.model.path"
DEMO_EXPERIMENTS = ("demo-iris", "demo-wine", "demo-breast-cancer")


def _search(body):
    http = _tracking.client().http()
    if http is None:
        raise SystemExit("no MLTrack server is running (start `mltrack server` or set MLTRACK_TRACKING_URI)")
    return http.request("POST", _tracking.API + body.pop("_path"), body=body)


def experiment_ids(names, all_experiments):
    """{name: id} of the named experiments (missing ones reported), or of every experiment with ``all_experiments``."""
    found, token = {}, None
    while True:
        body = {"_path": "/experiments/search", "max_results": 1000}
        if token:
            body["page_token"] = token
        r = _search(body)
        for e in r.get("experiments", []):
            if e.get("lifecycle_stage", "active") == "active":
                found[e["name"]] = str(e["experiment_id"])
        token = r.get("next_page_token")
        if not token:
            break
    if all_experiments:
        return found
    missing = [n for n in names if n not in found]
    for n in missing:
        print(f"{n}: no such experiment, skipped")
    return {n: found[n] for n in names if n in found}


def best_run_with_model(experiment_id, metric, lower_is_better):
    """(run, metric value) of the best finished run that has ``metric`` and logged a model, or (None, None)."""
    key = "metrics.`%s` %s" % (metric.replace("`", ""), "ASC" if lower_is_better else "DESC")
    token = None
    while True:
        body = {"_path": "/runs/search", "experiment_ids": [experiment_id], "filter": "attributes.status = 'FINISHED'",
                "order_by": [key, "attributes.start_time DESC"], "max_results": 500}
        if token:
            body["page_token"] = token
        r = _search(body)
        for run in r.get("runs", []):
            data = run.get("data", {})
            tags = {t["key"]: t["value"] for t in data.get("tags", [])}
            metrics = {m["key"]: m["value"] for m in data.get("metrics", [])}
            if tags.get(MODEL_TAG) and metric in metrics:
                return run, metrics[metric]
        token = r.get("next_page_token")
        if not token:
            return None, None


def app_name_for(experiment):
    slug = re.sub(r"[^a-z0-9]+", "-", experiment.lower()).strip("-") or "model"
    return slug[:63].rstrip("-")


def train_demo():
    """Three experiments (scikit-learn's bundled datasets) with three logistic-regression runs each."""
    from sklearn.datasets import load_breast_cancer, load_iris, load_wine
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    for experiment, loader in zip(DEMO_EXPERIMENTS, (load_iris, load_wine, load_breast_cancer)):
        X, y = loader(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
        for C in (0.01, 0.1, 1.0):
            with mltrack.start_run(experiment=experiment, name=f"logreg-C{C}"):
                model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000)).fit(X_train, y_train)
                mltrack.log_params({"C": C})
                mltrack.log_metrics({"accuracy": float(model.score(X_test, y_test))})
                mltrack.log_model(model, input_example=X_train)
        print(f"{experiment}: trained 3 runs")
    mltrack.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experiments", nargs="*", default=None, help="experiment names (default: the demo experiments)")
    parser.add_argument("--all", action="store_true", help="every active experiment")
    parser.add_argument("--metric", default="accuracy", help="the metric that ranks runs (default: accuracy)")
    parser.add_argument("--lower-is-better", action="store_true", help="smallest metric wins (loss, rmse, ...)")
    parser.add_argument("--target", choices=TARGETS, default="local")
    parser.add_argument("--cpu", type=float, default=1.0)
    parser.add_argument("--memory", type=int, default=512, help="MB")
    parser.add_argument("--gpu", default=None)
    parser.add_argument("--train-demo", action="store_true", help="train the demo experiments first")
    args = parser.parse_args()

    if args.train_demo:
        train_demo()
    names = args.experiments if args.experiments else list(DEMO_EXPERIMENTS)
    experiments = experiment_ids(names, args.all)
    summary = []
    for name, exp_id in experiments.items():
        run, value = best_run_with_model(exp_id, args.metric, args.lower_is_better)
        if run is None:
            print(f"{name}: no finished run with metric {args.metric!r} and a model, skipped")
            summary.append({"experiment": name, "skipped": f"no finished run with {args.metric} and a model"})
            continue
        run_id = run["info"]["run_id"]
        config = DeploymentConfig(app_name=app_name_for(name), model_name=f"{name} ({run['info'].get('run_name') or run_id[:8]})",
                                  model_version="1.0.0", cpu=args.cpu, memory=args.memory, gpu=args.gpu)
        try:
            d = deploy(run_id, config, target=args.target)
        except DeploymentError as e:
            print(f"{name}: best run {run_id} ({args.metric}={value:.4g}) failed to deploy: {e.message}")
            summary.append({"experiment": name, "run_id": run_id, args.metric: value, "error": e.message})
            continue
        print(f"{name}: best run {run_id} ({args.metric}={value:.4g}) deployed at {d['endpoint_url']}")
        summary.append({"experiment": name, "run_id": run_id, args.metric: value, "deployment_id": d["deployment_id"],
                        "endpoint_url": d["endpoint_url"], "status": d["status"]})
    print(json.dumps({"target": args.target, "deployments": summary}))
    return 0 if summary and all("error" not in s for s in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
