#!/usr/bin/env python3
"""Load on a deployment's endpoint (the local target) from this separate process: N POST /predict requests with C
concurrent keep-alive connections; prints one JSON line with p50/p99 latency (ms) and requests/s.

    /usr/bin/python3 bench/python/local_target_bench.py http://127.0.0.1:PORT [-n 2000] [-c 8] [--instances JSON]

The request body is {"instances": ...}: --instances when given, else the example of POST /predict in the endpoint's
/openapi.json (the run's logged input example). A bounded load: exactly N requests, after --warmup unmeasured ones.
Standard library only; exits 1 when any request failed.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list (p in 0-100)."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


def _connect(url, timeout):
    u = urllib.parse.urlsplit(url)
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    return cls(u.hostname, u.port or (443 if u.scheme == "https" else 80), timeout=timeout), u.path.rstrip("/")


def example_instances(endpoint, timeout):
    """The example request body of POST /predict from the endpoint's OpenAPI document."""
    conn, base = _connect(endpoint, timeout)
    try:
        conn.request("GET", base + "/openapi.json")
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"{endpoint}/openapi.json: HTTP {r.status}; pass --instances")
    finally:
        conn.close()
    spec = json.loads(body)
    media = spec["paths"]["/predict"]["post"]["requestBody"]["content"]["application/json"]
    example = media.get("example")
    if example is None and media.get("examples"):
        example = next(iter(media["examples"].values())).get("value")
    if not isinstance(example, dict) or "instances" not in example:
        raise SystemExit(f"{endpoint}/openapi.json has no example request; pass --instances")
    return example["instances"]


class Worker(threading.Thread):
    def __init__(self, endpoint, payload, counter, timeout):
        super().__init__(daemon=True)
        self.endpoint, self.payload, self.counter, self.timeout = endpoint, payload, counter, timeout
        self.latencies, self.errors, self.statuses = [], [], {}

    def run(self):
        conn, base = _connect(self.endpoint, self.timeout)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        path = base + "/predict"
        while self.counter.take():
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body=self.payload, headers=headers)
                r = conn.getresponse()
                r.read()
                dt = time.perf_counter() - t0
                self.statuses[r.status] = self.statuses.get(r.status, 0) + 1
                if r.status == 200:
                    self.latencies.append(dt)
                else:
                    self.errors.append(f"HTTP {r.status}")
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn, base = _connect(self.endpoint, self.timeout)
            except (OSError, http.client.HTTPException) as e:
                self.errors.append(f"{type(e).__name__}: {e}")
                conn.close()
                conn, base = _connect(self.endpoint, self.timeout)
        conn.close()


class Counter:
    """Hands out exactly ``n`` request slots across the workers."""

    def __init__(self, n):
        self._left, self._lock = n, threading.Lock()

    def take(self):
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True


def run_load(endpoint, payload, n, concurrency, timeout):
    counter = Counter(n)
    workers = [Worker(endpoint, payload, counter, timeout) for _ in range(max(1, min(concurrency, n)))]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return workers, time.perf_counter() - t0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("endpoint", help="the deployment's endpoint_url, e.g. http://127.0.0.1:43125")
    p.add_argument("-n", "--requests", type=int, default=2000)
    p.add_argument("-c", "--concurrency", type=int, default=8)
    p.add_argument("--warmup", type=int, default=50, help="unmeasured requests first (default 50)")
    p.add_argument("--instances", help="JSON list of instances (default: the OpenAPI example)")
    p.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    args = p.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1:
        p.error("--requests and --concurrency must be at least 1")
    endpoint = args.endpoint.rstrip("/")
    instances = json.loads(args.instances) if args.instances else example_instances(endpoint, args.timeout)
    payload = json.dumps({"instances": instances}).encode()

    if args.warmup > 0:
        run_load(endpoint, payload, args.warmup, args.concurrency, args.timeout)
    workers, elapsed = run_load(endpoint, payload, args.requests, args.concurrency, args.timeout)
    lat = sorted(x * 1000.0 for w in workers for x in w.latencies)
    errors = [e for w in workers for e in w.errors]
    statuses = {}
    for w in workers:
        for k, v in w.statuses.items():
            statuses[str(k)] = statuses.get(str(k), 0) + v
    result = {
        "endpoint": endpoint, "requests": args.requests, "concurrency": len(workers),
        "instances_per_request": len(instances) if isinstance(instances, list) else None,
        "ok": len(lat), "errors": len(errors),
        "p50_ms": round(percentile(lat, 50), 3) if lat else None,
        "p99_ms": round(percentile(lat, 99), 3) if lat else None,
        "max_ms": round(lat[-1], 3) if lat else None,
        "mean_ms": round(sum(lat) / len(lat), 3) if lat else None,
        "requests_per_s": round(len(lat) / elapsed, 1) if elapsed > 0 else None,
        "elapsed_s": round(elapsed, 3), "statuses": statuses,
    }
    if errors:
        result["first_error"] = errors[0]
    print(json.dumps(result))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
