"""Slow-loris: 500 connections (from five loopback addresses, under the per-client cap) each send a request line and Host, then one more header byte a
second, never finishing. Goals: meanwhile an ordinary request's p99 stays < 10 ms; every one of
them is answered 408 and closed at the header timeout (a short --header-timeout here), not
before it and not long after, and without a reset (a byte that arrives as the server closes must
not turn its close into a reset, which can destroy the 408 before the client reads it)."""
import selectors
import socket
import time

from goals import Goals
from http_wire import source_address
from latency_prober import LatencyProber
from portinfo_server import Server, check_arguments, raise_descriptor_limit

CONNECTIONS = 500
PROBE_GOAL_MS = 10
# How long past the header timeout a connection may stay open before it counts as not reaped.
REAP_SLACK = 2
OPENING = b"GET /ports/600 HTTP/1.1\r\nHost: loris\r\nX-Loris: "


def main():
    arguments = check_arguments(__doc__)
    header_timeout = 2 if arguments.ci else 5
    goals = Goals("slow-loris")
    raise_descriptor_limit(CONNECTIONS + 256)
    with Server(arguments.binary, arguments.db, "--access-log", "off", "--header-timeout", str(header_timeout)) as server:
        prober = LatencyProber(server.port, ["/ports/600", "/healthz"], interval=0.01).start()
        selector = selectors.DefaultSelector()
        started = {}  # connection -> when its first byte went
        for index in range(CONNECTIONS):
            connection = socket.create_connection(("127.0.0.1", server.port), source_address=(source_address(index), 0))
            connection.sendall(OPENING)
            started[connection] = time.monotonic()
            connection.setblocking(False)
            selector.register(connection, selectors.EVENT_READ)
        answers, closed_after, resets = {}, {}, 0
        deadline = max(started.values()) + header_timeout + REAP_SLACK + 3
        next_byte = time.monotonic() + 1
        while len(closed_after) < CONNECTIONS and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=max(0.0, min(next_byte, deadline) - time.monotonic())):
                connection = key.fileobj
                try:
                    data = connection.recv(4096)
                except ConnectionResetError:
                    data, resets = b"", resets + 1
                if data:
                    answers[connection] = answers.get(connection, b"") + data
                else:
                    closed_after[connection] = time.monotonic() - started[connection]
                    selector.unregister(connection)
                    connection.close()
            if time.monotonic() >= next_byte:
                for connection in started:
                    if connection not in closed_after and connection not in answers:
                        try:
                            connection.send(b"a")
                        except OSError:
                            pass
                next_byte += 1
        prober.stop()
        prober.report(goals, PROBE_GOAL_MS, f"{CONNECTIONS} slow-loris connections")
        refused_408 = sum(1 for data in answers.values() if data.startswith(b"HTTP/1.1 408 "))
        times = sorted(closed_after.values())
        open_left = CONNECTIONS - len(closed_after)
        goals.check(open_left == 0 and times[-1] <= header_timeout + REAP_SLACK and times[0] >= header_timeout * 0.9,
                    f"reaped at --header-timeout {header_timeout} s",
                    f"{len(closed_after)} of {CONNECTIONS} closed" + (f", from {times[0]:.2f} s to {times[-1]:.2f} s after their first byte" if times else ""),
                    f"all, between {header_timeout * 0.9:.1f} s and {header_timeout + REAP_SLACK} s")
        goals.check(refused_408 == CONNECTIONS and resets == 0, "answered 408 before the close", f"{refused_408} of {CONNECTIONS}, {resets} reset",
                    "all 408, none reset")
        for connection in started:
            if connection not in closed_after:
                connection.close()
    goals.finish()


if __name__ == "__main__":
    main()
