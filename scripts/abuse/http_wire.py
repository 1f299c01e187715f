"""HTTP/1.1 on raw sockets, for clients that must control every byte: requests as bytes, and
responses parsed incrementally from whatever arrives (pipelined ones too)."""
import socket
import time

# The server caps the connections one client address may hold (256 by default). Load that plays
# many clients spreads its connections over loopback addresses, this many from each, and leaves
# 127.0.0.1 to the probes that play an ordinary client.
CONNECTIONS_PER_SOURCE = 100


def source_address(index):
    """Where the `index`th of many clients connects from: 127.0.1.1 for the first hundred,
    127.0.1.2 for the next hundred, and so on (the whole of 127/8 is this host)."""
    return f"127.0.1.{1 + index // CONNECTIONS_PER_SOURCE}"


def request_bytes(target, method="GET", headers=(), close=False):
    lines = [f"{method} {target} HTTP/1.1", "Host: abuse"] + [f"{name}: {value}" for name, value in headers]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased names
        self.body = body

    @property
    def closes(self):
        return self.headers.get("connection", "").lower() == "close"


class ResponseReader:
    """Feed it bytes as they arrive; it returns the responses they complete. The server always
    sends Content-Length (or a status without a body); `head_only` is for answers to HEAD."""

    def __init__(self):
        self.buffer = b""

    def feed(self, data, head_only=False):
        self.buffer += data
        responses = []
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return responses
            lines = self.buffer[:end].decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            has_body = not head_only and status not in (204, 304) and not 100 <= status < 200
            length = int(headers.get("content-length", "0")) if has_body else 0
            if len(self.buffer) < end + 4 + length:
                return responses
            responses.append(Response(status, headers, self.buffer[end + 4:end + 4 + length]))
            self.buffer = self.buffer[end + 4 + length:]


def exchange(port, target, timeout, method="GET", headers=()):
    """One request on a fresh connection (Connection: close): (response or None, seconds taken,
    what went wrong or None). The time runs from connect to the whole response."""
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(request_bytes(target, method, headers, close=True))
            reader = ResponseReader()
            while True:
                data = connection.recv(1 << 16)
                if not data:
                    return None, time.perf_counter() - started, "closed before answering"
                responses = reader.feed(data, head_only=method == "HEAD")
                if responses:
                    return responses[0], time.perf_counter() - started, None
    except socket.timeout:
        return None, time.perf_counter() - started, "timed out"
    except OSError as error:
        return None, time.perf_counter() - started, error.strerror or str(error)
