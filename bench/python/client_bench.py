"""Python client → server throughput: 1,000,000 metric points for one run through the public API.

Run by bench/MLTrack.Bench (suite "tracking") with MLTRACK_TRACKING_URI/MLTRACK_TOKEN pointing at a live server.
Prints one JSON line with the figures.
"""
import json
import sys
import time

import mltrack

POINTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
# --batched-only: just the log_metrics part (the team bench runs several clients at once and sums their points).
BATCHED_ONLY = "--batched-only" in sys.argv[2:]
KEYS = 10


def main():
    results = {}
    # Batched: log_metrics with a dict of 10 keys per step, the way a training loop logs an epoch's numbers.
    with mltrack.start_run(name="bench-log-metrics") as run:
        t0 = time.perf_counter()
        keys = [f"m{k}" for k in range(KEYS)]
        for step in range(POINTS // KEYS):
            v = step * 1e-6
            mltrack.log_metrics({k: v for k in keys}, step=step)
        mltrack.flush()
        results["log_metrics_points_per_s"] = POINTS / (time.perf_counter() - t0)
        results["log_metrics_run_id"] = run.run_id
    if BATCHED_ONLY:
        print(json.dumps(results))
        return
    # One point per call: the worst case for per-call overhead.
    n = POINTS // 4
    with mltrack.start_run(name="bench-log-metric") as run:
        t0 = time.perf_counter()
        for step in range(n):
            mltrack.log_metric("loss", step * 1e-6, step=step)
        mltrack.flush()
        results["log_metric_points_per_s"] = n / (time.perf_counter() - t0)
        results["log_metric_run_id"] = run.run_id
        results["log_metric_points"] = n
    print(json.dumps(results))


if __name__ == "__main__":
    main()
