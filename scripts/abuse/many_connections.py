"""10,000 connections at once, held (3,000 against --max-connections 1000 with --ci), more than
--max-connections allows (4096 by default). Both sides get the descriptors for them. Each
connection sends GET /healthz as soon as it is connected; a hundred come from each of a hundred
loopback addresses, so the per-client cap (256) leaves them to --max-connections. Goals: each is either answered 200
and kept open, or refused with 503 and closed; none is reset, none hangs; once they are gone
the server answers normally."""
import errno
import selectors
import socket
import time

from goals import Goals
from http_wire import ResponseReader, exchange, request_bytes, source_address
from portinfo_server import Server, check_arguments, raise_descriptor_limit, wait_until

# Connections in the middle of connecting at once: more would only overflow the listen backlog.
CONNECTING_AT_ONCE = 256
REQUEST = request_bytes("/healthz")


class Connection:
    def __init__(self, port, index):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind((source_address(index), 0))
        self.socket.setblocking(False)
        self.reader = ResponseReader()
        self.response = None
        self.outcome = None  # None while under way; then one of the OUTCOMES' keys
        error = self.socket.connect_ex(("127.0.0.1", port))
        if error not in (0, errno.EINPROGRESS):
            self.outcome = "connect failed"

    def connected(self):
        error = self.socket.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if error:
            self.outcome = "reset" if error == errno.ECONNRESET else "connect failed"
            return False
        self.socket.send(REQUEST)
        return True

    def readable(self):
        try:
            data = self.socket.recv(1 << 16)
        except ConnectionResetError:
            self.outcome = "reset after its 503" if self.response is not None and self.response.status == 503 else "reset"
            return
        except BlockingIOError:
            return
        if not data:
            if self.response is None:
                self.outcome = "closed unanswered"
            elif self.response.status == 503:
                self.outcome = "refused 503, closed"
            else:
                self.outcome = "answered, then closed"
            return
        for response in self.reader.feed(data):
            self.response = response
            if response.status == 200 and not response.closes:
                self.outcome = "answered 200, held"
            elif response.status != 503:
                self.outcome = f"answered {response.status}"


CLEAN = ("answered 200, held", "refused 503, closed")


def open_all(port, count, seconds):
    """Opens `count` connections, at most CONNECTING_AT_ONCE connecting at a time, each sending
    its request once connected; runs until each has an outcome or `seconds` pass."""
    selector = selectors.EpollSelector()
    connections, connecting, started = [], 0, time.monotonic()
    deadline = started + seconds
    while time.monotonic() < deadline:
        while len(connections) < count and connecting < CONNECTING_AT_ONCE:
            connection = Connection(port, len(connections))
            connections.append(connection)
            if connection.outcome is None:
                selector.register(connection.socket, selectors.EVENT_WRITE, connection)
                connecting += 1
        if len(connections) == count and all(c.outcome is not None for c in connections):
            break
        for key, events in selector.select(timeout=0.1):
            connection = key.data
            if events & selectors.EVENT_WRITE:
                connecting -= 1
                if connection.connected():
                    selector.modify(connection.socket, selectors.EVENT_READ, connection)
                    continue
            else:
                connection.readable()
            if connection.outcome is not None and connection.outcome != "answered 200, held":
                selector.unregister(connection.socket)
                connection.socket.close()
    selector.close()
    return connections, time.monotonic() - started


def main():
    arguments = check_arguments(__doc__)
    count, max_connections = (3000, 1000) if arguments.ci else (10_000, 4096)
    goals = Goals(f"{count:,} connections at once")
    raise_descriptor_limit(count + 1000)
    with Server(arguments.binary, arguments.db, "--access-log", "off", "--max-connections", str(max_connections),
                descriptors=count + 1000) as server:
        connections, seconds = open_all(server.port, count, seconds=30 if arguments.ci else 90)
        outcomes = {}
        for connection in connections:
            outcome = connection.outcome or "hung"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        goals.figure("outcomes", ", ".join(f"{name}: {number}" for name, number in sorted(outcomes.items())) + f" (in {seconds:.1f} s)")
        goals.figure("server while they are held", f"{server.socket_descriptors() - 1} connections, {server.rss_kb() / 1024:.1f} MB resident")
        clean = sum(outcomes.get(name, 0) for name in CLEAN)
        goals.check(clean == count, "answered 200 or refused 503 + close", f"{clean} of {count}", "all")
        resets = outcomes.get("reset", 0) + outcomes.get("reset after its 503", 0)
        goals.check(resets == 0, "none reset", f"{resets} reset", "0")
        goals.check(outcomes.get("hung", 0) == 0, "none hangs", f"{outcomes.get('hung', 0)} without an outcome", "0")
        held = outcomes.get("answered 200, held", 0)
        goals.check(held <= max_connections, f"held at most --max-connections {max_connections}", f"{held} held", f"<= {max_connections}")

        for connection in connections:
            connection.socket.close()
        wait_until(lambda: server.socket_descriptors() <= 1, timeout=10)
        answers = [exchange(server.port, "/ports/600", timeout=5) for _ in range(20)]
        ok = [seconds for response, seconds, _ in answers if response is not None and response.status == 200]
        goals.check(len(ok) == len(answers), "answers normally afterwards",
                    f"{len(ok)} of {len(answers)} GET /ports/600 answered 200" + (f", slowest {max(ok) * 1000:.1f} ms" if ok else ""),
                    "all 200")
    goals.finish()


if __name__ == "__main__":
    main()
