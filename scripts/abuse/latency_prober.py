"""What an ordinary client sees while others attack: a thread per target sending requests, each
on a fresh connection, at a steady pace, and their latency (p50, p99, max). A probe that takes
long delays that target's next ones, so a server that stalls also shows in fewer probes: the
goal asks for at least half the probes the pace allows. The probes run in a process of their
own, so the attacking clients' Python (its interpreter lock) cannot delay them."""
import multiprocessing
import threading
import time

from http_wire import exchange

# How far past its latency goal a p99 may be and count as noise (NEAR) rather than a failure.
NEAR_FACTOR = 1.5


def percentile(values, fraction):
    """Nearest-rank percentile of `values` (not empty)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


class LatencyProber:
    def __init__(self, port, targets, interval=0.05, timeout=30):
        self.port = port
        self.targets = targets
        self.interval = interval
        self.timeout = timeout
        self.samples = {target: [] for target in targets}  # target -> [(seconds, status or None)]
        self.problems = {}
        self.elapsed = 0.0
        context = multiprocessing.get_context("fork")
        self._stop = context.Event()
        self._results, results = context.Pipe(duplex=False)
        self._process = context.Process(target=self._probe, args=(results,), daemon=True)

    def start(self):
        self._started = time.monotonic()
        self._process.start()
        return self

    def stop(self):
        self.elapsed = time.monotonic() - self._started
        self._stop.set()
        self.samples, self.problems = self._results.recv()
        self._process.join()

    def _probe(self, results):
        threads = [threading.Thread(target=self._run, args=(target,)) for target in self.targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results.send((self.samples, self.problems))

    def _run(self, target):
        while not self._stop.is_set():
            response, seconds, problem = exchange(self.port, target, self.timeout)
            self.samples[target].append((seconds, response.status if response else None))
            if problem:
                self.problems[problem] = self.problems.get(problem, 0) + 1
            self._stop.wait(max(0.0, self.interval - seconds))

    def summary(self, target):
        """(count, p50 ms, p99 ms, max ms, non-2xx count) for `target`."""
        samples = self.samples[target]
        if not samples:
            return 0, float("inf"), float("inf"), float("inf"), 0
        milliseconds = [seconds * 1000 for seconds, _ in samples]
        failed = sum(1 for _, status in samples if status is None or not 200 <= status < 300)
        return len(samples), percentile(milliseconds, 0.5), percentile(milliseconds, 0.99), max(milliseconds), failed

    def report(self, goals, goal_ms, label):
        """One goal per target: p99 under `goal_ms`, every probe answered 2xx, and at least half
        the probes the pace allows. A p99 within half as much again is NEAR: on a shared 2-core
        machine a few probes in a hundred wait out another process's time slice."""
        expected = int(self.elapsed / self.interval)
        for target in self.targets:
            count, p50, p99, worst, failed = self.summary(target)
            answered = count >= expected // 2 and failed == 0
            goals.check(answered and p99 < goal_ms, f"{label}: GET {target} on fresh connections",
                        f"{count} probes of {expected} paced, p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {worst:.1f} ms, {failed} not 2xx",
                        f"p99 < {goal_ms} ms, all 2xx, >= half the probes", near=answered and p99 < goal_ms * NEAR_FACTOR)
        if self.problems:
            goals.figure(f"{label}: probe problems", ", ".join(f"{name}: {count}" for name, count in self.problems.items()))
