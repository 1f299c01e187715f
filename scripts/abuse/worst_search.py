"""Worst-case searches against everyone else's latency.

Phase 1: two clients loop the costliest search the server accepts and an over-cap one (1,000
words, which once took 17-27 s of CPU) while a prober times /healthz and a cached /ports/600
on fresh connections. Phase 2: one client pipelines 600 `/search?q=a&limit=100` at a time on
one connection, over and over, while the prober runs again. Goal: probe p99 < 10 ms."""
import socket
import threading
import time

from goals import Goals
from http_wire import ResponseReader, exchange, request_bytes
from latency_prober import LatencyProber
from portinfo_server import Server, check_arguments

PROBE_GOAL_MS = 10
OVER_CAP_WORDS = 1000
PIPELINED_SEARCHES = 600
# The letters and digits words start with: distinct prefixes make FTS5 walk distinct term lists.
PREFIXES = "abcdefghijklmnopqrstuvwxyz0123456789"
PROBED = ["/healthz", "/ports/600"]


def search_target(words):
    return "/search?q=" + "+".join(words) + "&limit=100"


def same_word(count):
    return search_target(["a"] * count)


def distinct_prefixes(count):
    return search_target([PREFIXES[index % len(PREFIXES)] for index in range(count)])


def largest_accepted(port, shape, over_cap, timeout):
    """The most words of `shape` (a word count -> a target) the server accepts (it answers too
    many with 400), by bisection; 0 when it accepts not even one."""
    low, high = 0, over_cap - 1
    while low < high:
        middle = (low + high + 1) // 2
        response, _, _ = exchange(port, shape(middle), timeout)
        if response is not None and response.status == 400:
            high = middle - 1
        else:
            low = middle
    return low


class Attacker:
    """A client on a thread of its own, attacking (its `_run`) from `start()` until `stop()`."""

    def __init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()


class LoopingClient(Attacker):
    """Sends `targets` in turn on one kept-alive connection (a new one when the server closes
    it), each after the answer to the last, until stopped; counts answers by status."""

    def __init__(self, port, targets):
        super().__init__()
        self.port, self.targets = port, targets
        self.statuses, self.seconds, self.unanswered = {}, {target: [] for target in targets}, 0

    def _run(self):
        connection, reader, turn = None, None, 0
        while not self._stop.is_set():
            if connection is None:
                try:
                    connection, reader = socket.create_connection(("127.0.0.1", self.port)), ResponseReader()
                except OSError:
                    self.unanswered += 1
                    time.sleep(0.05)
                    continue
                connection.settimeout(0.2)
            target = self.targets[turn % len(self.targets)]
            turn += 1
            started = time.perf_counter()
            try:
                connection.sendall(request_bytes(target))
            except OSError:
                pass  # the read below finds the connection gone
            responses = []
            while not responses and not self._stop.is_set():
                try:
                    data = connection.recv(1 << 16)
                except socket.timeout:
                    continue
                except OSError:
                    data = b""
                if not data:
                    break
                responses = reader.feed(data)
            if responses:
                status = responses[0].status
                self.statuses[status] = self.statuses.get(status, 0) + 1
                self.seconds[target].append(time.perf_counter() - started)
                if not responses[0].closes:
                    continue
            elif not self._stop.is_set():
                self.unanswered += 1
            connection.close()
            connection = None
        if connection is not None:
            connection.close()


class PipeliningClient(Attacker):
    """Writes `depth` copies of one request at once on one connection, reads their answers,
    and again, until stopped."""

    def __init__(self, port, target, depth):
        super().__init__()
        self.port, self.batch, self.depth = port, request_bytes(target) * depth, depth
        self.answered, self.batches, self.statuses = 0, [], {}

    def _run(self):
        while not self._stop.is_set():
            with socket.create_connection(("127.0.0.1", self.port)) as connection:
                connection.settimeout(0.2)
                while not self._stop.is_set():
                    started, got, reader = time.perf_counter(), 0, ResponseReader()
                    connection.sendall(self.batch)
                    while got < self.depth and not self._stop.is_set():
                        try:
                            data = connection.recv(1 << 20)
                        except socket.timeout:
                            continue
                        if not data:
                            break
                        for response in reader.feed(data):
                            got += 1
                            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
                    self.answered += got
                    if got < self.depth:
                        break
                    self.batches.append(time.perf_counter() - started)


def summary(seconds):
    if not seconds:
        return "none answered"
    return f"{len(seconds)} answered, mean {sum(seconds) / len(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms"


def main():
    arguments = check_arguments(__doc__)
    duration = 8 if arguments.ci else 20
    # How long one search on an idle server is given: past it, it counts as costly enough.
    search_timeout = 10 if arguments.ci else 120
    goals = Goals("worst-case searches vs latency")

    with Server(arguments.binary, arguments.db, "--access-log", "off") as server:
        exchange(server.port, "/ports/600", timeout=5)  # into the answer cache
        over_cap = same_word(OVER_CAP_WORDS)
        response, seconds, problem = exchange(server.port, over_cap, search_timeout)
        refused = response is not None and response.status == 400
        goals.check(refused and seconds < 0.1, f"{OVER_CAP_WORDS}-word search, idle server",
                    f"{response.status if response else problem} in {seconds * 1000:.1f} ms", "400 in < 100 ms")
        # Without a cap the costliest accepted search is the over-cap one; with caps (on words,
        # on distinct terms), the costlier of the longest same-word and distinct-prefix searches
        # the server accepts.
        words, costliest = OVER_CAP_WORDS, over_cap
        if refused:
            costliest_seconds = -1.0
            for name, shape in (("same word", same_word), ("distinct prefixes", distinct_prefixes)):
                count = largest_accepted(server.port, shape, OVER_CAP_WORDS, search_timeout)
                if count == 0:
                    continue
                response, seconds, problem = exchange(server.port, shape(count), search_timeout)
                goals.figure(f"longest accepted, {name}: {count} words, idle server",
                             f"{response.status if response else problem} in {seconds * 1000:.1f} ms")
                if seconds > costliest_seconds:
                    words, costliest, costliest_seconds = count, shape(count), seconds

    with Server(arguments.binary, arguments.db, "--access-log", "off") as server:
        exchange(server.port, "/ports/600", timeout=5)
        targets = [costliest, over_cap] if costliest != over_cap else [over_cap]
        attackers = [LoopingClient(server.port, targets).start() for _ in range(2)]
        time.sleep(0.2)
        prober = LatencyProber(server.port, PROBED, interval=0.05, timeout=duration).start()
        time.sleep(duration)
        prober.stop()
        prober.report(goals, PROBE_GOAL_MS, f"two clients looping {' and '.join(sorted({str(words), str(OVER_CAP_WORDS)}))}-word searches")
        for attacker in attackers:
            attacker.stop()
        statuses = {}
        for attacker in attackers:
            for status, count in attacker.statuses.items():
                statuses[status] = statuses.get(status, 0) + count
        goals.figure("attackers' answers by status", (", ".join(f"{s}: {c}" for s, c in sorted(statuses.items())) or "none")
                     + f"; unanswered (connection refused or closed first): {sum(a.unanswered for a in attackers)}")
        for target in targets:
            goals.figure(f"attackers' {target.count('+') + 1}-word searches", summary(sum((a.seconds[target] for a in attackers), [])))
        goals.figure("server CPU over the phase", f"{server.cpu_seconds():.1f} s")

    with Server(arguments.binary, arguments.db, "--access-log", "off") as server:
        exchange(server.port, "/ports/600", timeout=5)
        pipeliner = PipeliningClient(server.port, "/search?q=a&limit=100", PIPELINED_SEARCHES).start()
        time.sleep(0.2)
        prober = LatencyProber(server.port, PROBED, interval=0.05, timeout=duration).start()
        time.sleep(duration)
        prober.stop()
        prober.report(goals, PROBE_GOAL_MS, f"one connection pipelining {PIPELINED_SEARCHES} searches at a time")
        pipeliner.stop()
        goals.figure(f"pipelined batches of {PIPELINED_SEARCHES}", f"{pipeliner.answered} answered; batches: {summary(pipeliner.batches)}; "
                     + ", ".join(f"{s}: {c}" for s, c in sorted(pipeliner.statuses.items())))
    goals.finish()


if __name__ == "__main__":
    main()
