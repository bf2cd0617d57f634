"""Trains a 50-tree random forest on iris and logs it with its input example; prints the run id (deploy benchmark)."""
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier

import mltrack

X, y = load_iris(return_X_y=True)
with mltrack.start_run(name="deploy-bench-model") as run:
    model = RandomForestClassifier(n_estimators=50, random_state=0).fit(X, y)
    mltrack.log_model(model, input_example=X[:5].tolist())
    print(run.run_id)
