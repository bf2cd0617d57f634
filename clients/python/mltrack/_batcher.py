"""Batches metric points in memory and sends them from a background thread.

The buffer is bounded in time as well as in size: a batch is sent once its oldest point has waited ``max_delay``
seconds (0.2 s by default), as soon as ``max_batch`` points wait, at ``flush()`` (``end_run``) and at exit.
Points are (key, value, timestamp_ms, step) tuples; ``send(run_id, points, batch_id)`` encodes them. Each batch gets
a fresh ``mltrack_batch_id`` once, before its first attempt, so a retry or a spool replay of the same batch is applied
once by the server. ``take_unsent()`` hands over, for a last-moment flush (SIGTERM), everything not yet sent or
spooled: the waiting points and the batches being sent at that moment, with their ids.
"""
import threading
import time
import uuid
from typing import Callable, Dict, List, Optional, Tuple

MAX_BATCH = 1000  # MLflow's log-batch limit for metrics
MAX_DELAY = 0.2  # seconds a point may wait before its batch is sent


class MetricBatcher:
    def __init__(self, send: Callable[[str, list, str], None], interval: float = MAX_DELAY, max_batch: int = MAX_BATCH,
                 on_error: Callable[[BaseException], None] = None):
        self._send = send
        self._interval = interval
        self._max = max_batch
        self._on_error = on_error
        self._queue: Dict[str, List[tuple]] = {}
        self._taken: Dict[str, int] = {}  # per run, how many queued points were already sent (avoids re-slicing)
        self._count = 0
        self._oldest: Optional[float] = None  # monotonic time the oldest waiting point was queued; None when empty
        self._inflight: Dict[str, Tuple[str, list]] = {}  # batch id -> (run id, points) while being sent
        # Re-entrant: a SIGTERM handler runs in the main thread, possibly while it is inside add().
        self._lock = threading.RLock()
        self._send_lock = threading.Lock()
        self._wake = threading.Event()
        self._thread = None
        self._closed = False

    def add(self, run_id: str, key: str, value: float, step: int = 0, timestamp: int = None) -> None:
        point = (key, value, timestamp if timestamp is not None else int(time.time() * 1000), step or 0)
        with self._lock:
            q = self._queue.get(run_id)
            if q is None:
                q = self._queue[run_id] = []
            q.append(point)
            self._count += 1
            wake = self._count >= self._max
            if self._oldest is None:
                self._oldest = time.monotonic()
                wake = True  # the sender sleeps until there is something to time
            if self._thread is None and not self._closed:
                self._start()
        if wake:
            self._wake.set()

    def add_many(self, run_id: str, points: List[tuple]) -> None:
        """Queues points given as (key, value, timestamp_ms, step) tuples."""
        if not points:
            return
        with self._lock:
            self._queue.setdefault(run_id, []).extend(points)
            self._count += len(points)
            wake = self._count >= self._max
            if self._oldest is None:
                self._oldest = time.monotonic()
                wake = True
            if self._thread is None and not self._closed:
                self._start()
        if wake:
            self._wake.set()

    def pending(self) -> int:
        return self._count

    def _start(self):
        self._thread = threading.Thread(target=self._loop, name="mltrack-metrics", daemon=True)
        self._thread.start()

    def _loop(self):
        while not self._closed:
            with self._lock:
                oldest, full = self._oldest, self._count >= self._max
            if oldest is None:
                self._wake.wait()
                self._wake.clear()
                continue
            delay = oldest + self._interval - time.monotonic()
            if delay > 0 and not full:
                self._wake.wait(delay)
                self._wake.clear()
                continue
            try:
                self._drain()
            except BaseException as e:  # never let the thread die
                if self._on_error:
                    try:
                        self._on_error(e)
                    except Exception:
                        pass

    def _take(self, run_id=None):
        """Pops one batch (≤ max) for ``run_id`` (or any run); None when nothing waits."""
        with self._lock:
            for rid in ([run_id] if run_id is not None else list(self._queue)):
                q = self._queue.get(rid)
                start = self._taken.get(rid, 0)
                if not q or start >= len(q):
                    continue
                batch = q[start:start + self._max]
                start += len(batch)
                if start >= len(q):
                    del self._queue[rid]
                    self._taken.pop(rid, None)
                elif start > 65536:
                    del q[:start]  # compact now and then: amortised O(1) per point, not O(queue) per batch
                    self._taken[rid] = 0
                else:
                    self._taken[rid] = start
                self._count -= len(batch)
                if not self._queue:
                    self._oldest = None
                return rid, batch
        return None

    def _drain(self, run_id=None):
        with self._send_lock:  # one sender at a time keeps batches in order
            while True:
                with self._lock:
                    item = self._take(run_id)
                    if item is None:
                        return
                    rid, batch = item
                    batch_id = uuid.uuid4().hex
                    self._inflight[batch_id] = (rid, batch)
                try:
                    self._send(rid, batch, batch_id)
                except BaseException as e:
                    if self._on_error:
                        self._on_error(e)
                finally:
                    with self._lock:
                        self._inflight.pop(batch_id, None)

    def take_unsent(self) -> List[Tuple[str, list, str]]:
        """Everything neither acknowledged nor spooled yet, as (run id, points, batch id): the batches being sent now
        (same ids, so a second copy is applied once) and the waiting points (fresh ids). The queue is left empty."""
        with self._lock:
            out = [(rid, batch, bid) for bid, (rid, batch) in self._inflight.items()]
            while True:
                item = self._take()
                if item is None:
                    return out
                out.append((item[0], item[1], uuid.uuid4().hex))

    def flush(self, run_id: str = None) -> None:
        """Sends every waiting point (of one run, or all) before returning."""
        self._drain(run_id)

    def close(self) -> None:
        self._drain()
        self._closed = True
        self._wake.set()
