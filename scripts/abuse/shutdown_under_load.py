"""SIGTERM under load, for scripts/soak.sh: a server already serving (--port, --pid) gets
kept-alive clients sending one request after another, clients pipelining several at a time, and
a stream of fresh connections; once every kept-alive and pipelining connection has been answered
(so the server has accepted it) and they have gone on for 2 s, the server gets SIGTERM while
they go on.

Goals: every request sent on those connections is answered; the only ones left unanswered
follow a response that said `Connection: close` (HTTP lets a client retry those); no reset, no
hang; the server closes every connection and exits within its shutdown grace. Fresh connections
opened after the signal may be refused; none may hang."""
import argparse
import errno
import os
import selectors
import signal
import socket
import time

from goals import Goals
from http_wire import ResponseReader, request_bytes

KEPT_ALIVE = 40
PIPELINING = 4
PIPELINE_DEPTH = 8
FRESH_EVERY = 0.005
# How long the load runs, every connection answered, before the signal.
LOAD_BEFORE_SIGNAL = 2
TARGETS = ["/ports/600", "/services/http", "/search?q=sql", "/ports/7776?transport=tcp", "/healthz"]


class Client:
    """One connection: sends `depth` requests at a time, the next batch once all are answered,
    until the server says it closes; keeps count of what became of each request."""

    def __init__(self, port, depth, fresh=False):
        self.depth, self.fresh = depth, fresh
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setblocking(False)
        self.reader = ResponseReader()
        self.outstanding = 0
        self.answered = 0
        self.close_announced = False
        self.ended = None  # how the connection ended, once it has
        self.turn = 0
        self.connected = False
        error = self.socket.connect_ex(("127.0.0.1", port))
        if error not in (0, errno.EINPROGRESS):
            self.ended = "refused at connect"

    def send_batch(self):
        batch = b""
        for _ in range(1 if self.fresh else self.depth):
            batch += request_bytes(TARGETS[self.turn % len(TARGETS)], close=self.fresh)
            self.turn += 1
        self.outstanding += 1 if self.fresh else self.depth
        try:
            self.socket.sendall(batch)  # small: the socket buffer takes it whole
        except OSError:
            pass  # the read that follows tells what happened

    def on_connected(self):
        error = self.socket.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if error:
            self.ended = "refused at connect" if error == errno.ECONNREFUSED else f"connect failed: {os.strerror(error)}"
            return
        self.connected = True
        self.send_batch()

    def on_readable(self, keep_sending):
        try:
            data = self.socket.recv(1 << 16)
        except ConnectionResetError:
            self.ended = "reset"
            return
        except BlockingIOError:
            return
        if not data:
            self.ended = "closed"
            return
        for response in self.reader.feed(data):
            self.outstanding -= 1
            self.answered += 1
            self.close_announced = self.close_announced or response.closes
        if self.outstanding == 0 and not self.close_announced and not self.fresh and keep_sending:
            self.send_batch()


def has_exited(pid):
    """Gone, or a zombie its parent has not yet waited for."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--grace", type=float, default=10, help="the server's --shutdown-grace, in seconds")
    arguments = parser.parse_args()
    goals = Goals("SIGTERM under load")

    selector = selectors.EpollSelector()

    def watch(client):
        if client.ended is None:
            selector.register(client.socket, selectors.EVENT_WRITE, client)
        return client

    persistent = [watch(Client(arguments.port, 1)) for _ in range(KEPT_ALIVE)]
    persistent += [watch(Client(arguments.port, PIPELINE_DEPTH)) for _ in range(PIPELINING)]
    fresh_before, fresh_after = [], []
    signalled = exited = all_answered = None
    next_fresh = time.monotonic()
    deadline = time.monotonic() + 60

    while time.monotonic() < deadline:
        now = time.monotonic()
        if all_answered is None and all(client.answered > 0 for client in persistent):
            all_answered = now
        if signalled is None and all_answered is not None and now - all_answered >= LOAD_BEFORE_SIGNAL:
            os.kill(arguments.pid, signal.SIGTERM)
            signalled = now
            deadline = now + arguments.grace + 5
        if now >= next_fresh:
            (fresh_after if signalled else fresh_before).append(watch(Client(arguments.port, 1, fresh=True)))
            next_fresh = now + FRESH_EVERY
        if signalled and exited is None and has_exited(arguments.pid):
            exited = now - signalled
        everyone = persistent + fresh_before + fresh_after
        if signalled and exited is not None and all(client.ended for client in everyone):
            break
        for key, events in selector.select(timeout=0.01):
            client = key.data
            if not client.connected:
                selector.unregister(client.socket)
                client.on_connected()
                if client.ended is None:
                    selector.register(client.socket, selectors.EVENT_READ, client)
                continue
            client.on_readable(keep_sending=True)
            if client.ended:
                selector.unregister(client.socket)
                client.socket.close()
    for client in persistent + fresh_before + fresh_after:
        if client.ended is None:
            client.ended = "still open"
            client.socket.close()

    answered = sum(client.answered for client in persistent)
    after_close = sum(client.outstanding for client in persistent if client.close_announced)
    lost = sum(client.outstanding for client in persistent if not client.close_announced and client.ended == "closed")
    reset = sum(client.outstanding for client in persistent if client.ended == "reset")
    hung = sum(client.outstanding for client in persistent if client.ended == "still open")
    endings = {}
    for client in persistent:
        ending = client.ended + (" after Connection: close" if client.close_announced else "")
        endings[ending] = endings.get(ending, 0) + 1
    goals.figure("requests on the accepted connections", f"{answered} answered; unanswered: {after_close} after Connection: close, "
                 f"{lost} on a close without it, {reset} on a reset, {hung} on connections still open")
    goals.check(lost + reset + hung == 0, "every request sent on an accepted connection answered",
                f"{lost + reset + hung} lost", "0 (those after a Connection: close excepted)")
    goals.check(all(ending.startswith("closed") for ending in endings), "the server closes every connection, none reset",
                ", ".join(f"{name}: {count}" for name, count in sorted(endings.items())), "all closed")
    fresh_endings = {}
    for client in fresh_after:
        ending = "answered" if client.answered else client.ended
        fresh_endings[ending] = fresh_endings.get(ending, 0) + 1
    goals.figure("fresh connections after the signal", ", ".join(f"{name}: {count}" for name, count in sorted(fresh_endings.items())))
    goals.check(fresh_endings.get("still open", 0) == 0, "no fresh connection hangs", f"{fresh_endings.get('still open', 0)} hung", "0")
    goals.check(exited is not None and exited <= arguments.grace, "the server exits after SIGTERM",
                f"{exited:.2f} s after the signal" if exited is not None else "still running", f"within --shutdown-grace {arguments.grace:g} s")
    goals.finish()


if __name__ == "__main__":
    main()
