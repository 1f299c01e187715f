"""Clients that ask and never read: 30 connections each pipeline 2,000 `GET /openapi.yaml` (43 KB
answers, 86 MB per connection if the server rendered them all) and read nothing. Once that took
the server from 17 MB to 2.2 GB. Goals: the server's resident memory grows < 64 MB in all; with a
short --write-timeout every connection is closed by the server soon after it stops taking output;
the server answers normally afterwards."""
import select
import socket
import time

from goals import Goals
from http_wire import exchange, request_bytes
from portinfo_server import Server, check_arguments, supports, wait_until

CONNECTIONS = 30
REQUESTS_PER_CONNECTION = 2000
RSS_GROWTH_GOAL_MB = 64
WRITE_TIMEOUT = 3
# How long past the write timeout the server may take to notice and close.
CLOSE_SLACK = 5
# A client's receive buffer: small, so its window closes at once.
CLIENT_RECEIVE_BUFFER = 4096


def send_what_it_takes(connections, payload, seconds):
    """Writes `payload` on every connection as far as the server takes it within `seconds`;
    the bytes sent on each."""
    sent = {connection: 0 for connection in connections}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        waiting = [connection for connection in connections if sent[connection] < len(payload)]
        if not waiting:
            break
        _, writable, _ = select.select([], waiting, [], 0.1)
        for connection in writable:
            try:
                sent[connection] += connection.send(payload[sent[connection]:])
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                sent[connection] = len(payload)  # closed by the server: nothing more to send
    return sent


def main():
    arguments = check_arguments(__doc__)
    goals = Goals("non-reading clients vs memory")
    options = ["--access-log", "off"]
    has_write_timeout = supports(arguments.binary, "--write-timeout")
    if has_write_timeout:
        options += ["--write-timeout", str(WRITE_TIMEOUT)]
    else:
        goals.check(False, "write timeout", "portinfo serve has no --write-timeout option", f"--write-timeout {WRITE_TIMEOUT} accepted")

    with Server(arguments.binary, arguments.db, *options) as server:
        exchange(server.port, "/openapi.yaml", timeout=5)
        time.sleep(0.3)
        rss_before = server.rss_kb()
        sockets_before = server.socket_descriptors()

        connections = []
        for _ in range(CONNECTIONS):
            connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, CLIENT_RECEIVE_BUFFER)
            connection.connect(("127.0.0.1", server.port))
            connection.setblocking(False)
            connections.append(connection)
        # Connected is not yet accepted: closes count only once the server holds them all.
        accepted = wait_until(lambda: server.socket_descriptors() >= sockets_before + CONNECTIONS, timeout=10)
        goals.figure("accepted", f"{server.socket_descriptors() - sockets_before} of {CONNECTIONS}" + ("" if accepted else " (not all, after 10 s)"))
        payload = request_bytes("/openapi.yaml") * REQUESTS_PER_CONNECTION
        started = time.monotonic()
        sent = send_what_it_takes(connections, payload, seconds=2)
        fully_sent = sum(1 for count in sent.values() if count == len(payload))

        observe = (WRITE_TIMEOUT if has_write_timeout else 0) + CLOSE_SLACK + 2
        peak_kb, all_closed_after = rss_before, None
        while time.monotonic() - started < observe:
            peak_kb = max(peak_kb, server.rss_kb())

            if all_closed_after is None and server.socket_descriptors() <= sockets_before:
                all_closed_after = time.monotonic() - started
            time.sleep(0.1)
        still_open = max(0, server.socket_descriptors() - sockets_before)
        growth_mb = (peak_kb - rss_before) / 1024
        goals.figure("requests written", f"{fully_sent} of {CONNECTIONS} connections sent all {REQUESTS_PER_CONNECTION} "
                     f"({sum(sent.values()) / 1e6:.1f} MB of {CONNECTIONS * len(payload) / 1e6:.1f} MB)")
        goals.check(growth_mb < RSS_GROWTH_GOAL_MB, f"resident memory with {CONNECTIONS} non-reading clients",
                    f"{rss_before / 1024:.1f} MB before, peak {peak_kb / 1024:.1f} MB, growth {growth_mb:.1f} MB",
                    f"growth < {RSS_GROWTH_GOAL_MB} MB")
        closed_figure = (f"all closed {all_closed_after:.1f} s after they asked" if all_closed_after is not None
                         else f"{still_open} of {CONNECTIONS} still open after {observe:.0f} s")
        goals.check(has_write_timeout and all_closed_after is not None and all_closed_after <= WRITE_TIMEOUT + CLOSE_SLACK,
                    "server closes the non-reading connections", closed_figure,
                    f"all closed within --write-timeout {WRITE_TIMEOUT} s + {CLOSE_SLACK} s")
        for connection in connections:
            connection.close()
        response, seconds, problem = exchange(server.port, "/healthz", timeout=10)
        goals.check(response is not None and response.status == 200, "answers afterwards",
                    f"/healthz {response.status if response else problem} in {seconds * 1000:.1f} ms", "200")
        settled = wait_until(lambda: server.rss_kb() < rss_before + RSS_GROWTH_GOAL_MB * 1024, timeout=5)
        goals.figure("resident memory once they are gone", f"{server.rss_kb() / 1024:.1f} MB" + ("" if settled else " (not back)"))
    goals.finish()


if __name__ == "__main__":
    main()
