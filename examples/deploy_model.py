#!/usr/bin/env python3
"""Trains a small scikit-learn classifier with @track, deploys its model locally and asks the endpoint for predictions.

    python3 examples/deploy_model.py                 # train a new run, then deploy it
    python3 examples/deploy_model.py --latest        # deploy the latest run (of --experiment) that logged a model
    python3 examples/deploy_model.py --run-id RUN    # deploy that run
    python3 examples/deploy_model.py --stop          # stop the deployment before exiting

Needs a running MLTrack server (`mltrack server`, or the VS Code extension), found as for tracking: MLTRACK_TRACKING_URI /
MLTRACK_TOKEN or the workspace's .mltrack/server.json. The same code with ``deploy_to_modal`` gives an HTTPS endpoint.
"""
import argparse
import json
import os
import sys

try:
    import mltrack
except ImportError:  # run from a checkout: use the client next to this example
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "clients", "python"))
    import mltrack
from mltrack.deploy import DeploymentConfig, DeploymentError, deploy_local, predict, stop_deployment

EXPERIMENT = "deploy-example"
MODEL_TAG = "mltrack.model.path"


@mltrack.track(experiment=EXPERIMENT, name="iris-forest")
def train(n_estimators=30, max_depth=4, seed=0):
    """Random forest on iris; logs the model with an input example (the endpoint's schema comes from it)."""
    from sklearn.datasets import load_iris
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
    model = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=seed).fit(X_train, y_train)
    mltrack.log_model(model, input_example=X_train)
    return {"accuracy": float(model.score(X_test, y_test)), "run_id": mltrack.active_run().run_id,
            "sample": X_test[:3].tolist()}


def latest_run_with_model(experiment):
    """The newest run of ``experiment`` whose tags say it logged a model, or None."""
    from mltrack import _tracking
    c = _tracking.client()
    exp_id = c.experiment_id(experiment)
    if exp_id is None:
        raise SystemExit("no MLTrack server is running")
    r = c.http().request("POST", _tracking.API + "/runs/search",
                         body={"experiment_ids": [exp_id], "order_by": ["attributes.start_time DESC"], "max_results": 200})
    for run in r.get("runs", []):
        tags = {t["key"]: t["value"] for t in run.get("data", {}).get("tags", [])}
        if tags.get(MODEL_TAG) and run["info"].get("status") == "FINISHED":
            return run["info"]["run_id"]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run-id", help="deploy this run instead of training one")
    parser.add_argument("--latest", action="store_true", help="deploy the latest run of --experiment that has a model")
    parser.add_argument("--experiment", default=EXPERIMENT)
    parser.add_argument("--app-name", default="iris-forest")
    parser.add_argument("--stop", action="store_true", help="stop the deployment before exiting")
    args = parser.parse_args()

    sample = [[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3], [7.7, 3.0, 6.1, 2.3]]
    if args.run_id:
        run_id = args.run_id
    elif args.latest:
        run_id = latest_run_with_model(args.experiment)
        if run_id is None:
            raise SystemExit(f"no finished run with a model in experiment {args.experiment!r}: run without --latest first")
    else:
        result = train()
        run_id, sample = result["run_id"], result["sample"]
        print(f"trained run {run_id}: accuracy={result['accuracy']:.3f}")

    config = DeploymentConfig(app_name=args.app_name, model_name="Iris Random Forest", model_version="1.0.0",
                              cpu=1.0, memory=512)
    try:
        deployment = deploy_local(run_id, config)
    except DeploymentError as e:
        raise SystemExit(f"deployment failed: {e}")
    print(f"Model deployed at: {deployment['endpoint_url']}")
    print(f"deployment {deployment['deployment_id']} status={deployment['status']}")

    predictions = predict(deployment, sample)
    print("POST " + deployment["endpoint_url"] + "/predict " + json.dumps({"instances": sample}))
    print("predictions: " + json.dumps(predictions))
    if args.stop:
        stop_deployment(deployment["deployment_id"])
        print(f"stopped deployment {deployment['deployment_id']}")


if __name__ == "__main__":
    main()
