"""Out of descriptors: the server runs with a hard limit of 64 (serve lifts its soft limit to
the hard one, so both are set) and 100 connections are held open, more than it can accept. Once
that cost 100% CPU and ~240,000 log lines in 5 s. Goals: over 5 s it uses < 10% of a core and
logs a bounded number of lines; the connections it did accept are still served; once the
connections are released it serves new ones again by itself."""
import socket
import time

from goals import Goals
from http_wire import ResponseReader, exchange, request_bytes
from portinfo_server import Server, check_arguments

DESCRIPTOR_LIMIT = 64
HELD = 100
WINDOW = 5
CPU_GOAL_PERCENT = 10
LOG_LINES_GOAL = 20
RECOVERY_GOAL = 10


def answered_on(connection, timeout):
    """Whether a GET /healthz on this open connection is answered 200 within `timeout`."""
    try:
        connection.settimeout(timeout)
        connection.sendall(request_bytes("/healthz"))
        reader, deadline = ResponseReader(), time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = connection.recv(4096)
            if not data:
                return False
            responses = reader.feed(data)
            if responses:
                return responses[0].status == 200
    except OSError:
        pass
    return False


def main():
    arguments = check_arguments(__doc__)
    goals = Goals("descriptor exhaustion")
    # The access log stays on, as it is by default: a request logged is a line like any other.
    with Server(arguments.binary, arguments.db, descriptors=DESCRIPTOR_LIMIT) as server:
        held = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(HELD)]
        time.sleep(0.5)
        accepted = server.socket_descriptors() - 1
        cpu_before, lines_before = server.cpu_seconds(), server.log_lines
        time.sleep(WINDOW)
        cpu_percent = (server.cpu_seconds() - cpu_before) / WINDOW * 100
        lines = server.log_lines - lines_before
        goals.figure("connections the server holds", f"{accepted} of {HELD} (limit {DESCRIPTOR_LIMIT} descriptors)")
        goals.check(cpu_percent < CPU_GOAL_PERCENT, f"CPU over {WINDOW} s with {HELD} connections held",
                    f"{cpu_percent:.1f}% of a core", f"< {CPU_GOAL_PERCENT}%")
        goals.check(lines <= LOG_LINES_GOAL, f"log lines over {WINDOW} s", f"{lines}", f"<= {LOG_LINES_GOAL}")
        if lines:
            goals.figure("last lines logged", " | ".join(server.last_log_lines(2)))
        goals.check(answered_on(held[0], timeout=2), "an accepted connection is still served", "GET /healthz on the first",
                    "200 within 2 s")

        for connection in held:
            connection.close()
        released = time.monotonic()
        recovered_after = None
        while time.monotonic() - released < RECOVERY_GOAL + 5:
            response, _, _ = exchange(server.port, "/healthz", timeout=1)
            if response is not None and response.status == 200:
                recovered_after = time.monotonic() - released
                break
            time.sleep(0.1)
        goals.check(recovered_after is not None and recovered_after <= RECOVERY_GOAL, "serves new connections after the release",
                    f"/healthz 200 {recovered_after:.2f} s after" if recovered_after is not None else "no 200",
                    f"within {RECOVERY_GOAL} s, by itself")
        cpu_before = server.cpu_seconds()
        time.sleep(2)
        goals.figure("CPU over 2 s after recovering", f"{(server.cpu_seconds() - cpu_before) / 2 * 100:.1f}% of a core")
    goals.finish()


if __name__ == "__main__":
    main()
