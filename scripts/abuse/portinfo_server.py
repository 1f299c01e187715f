"""A real `portinfo serve` on a loopback port it chose, watched through /proc: resident memory,
CPU time, open descriptors, and the lines it logs (read as they come, so a chatty server never
blocks on a full pipe and every line is counted)."""
import argparse
import os
import re
import resource
import signal
import subprocess
import threading
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LISTENING = re.compile(rb"listening on \S+ port (\d+)")


def check_arguments(description):
    """The arguments every check takes: the release binary, a seeded database, and --ci."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--binary", required=True, help="the portinfo executable (release build)")
    parser.add_argument("--db", required=True, help="a registry database seeded from the full IANA CSV")
    parser.add_argument("--ci", action="store_true", help="small sizes, a few seconds")
    return parser.parse_args()


_help_text = {}


def supports(binary, option):
    """Whether `portinfo serve` has `option` (the hardening lands option by option)."""
    if binary not in _help_text:
        _help_text[binary] = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
    return re.search(rf"(^|\s){re.escape(option)}(\s|$)", _help_text[binary], re.MULTILINE) is not None


def raise_descriptor_limit(count):
    """Lets this process (a load client) hold `count` descriptors: root may lift the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count:
        resource.setrlimit(resource.RLIMIT_NOFILE, (count, max(hard, count)))


class Server:
    """Starts `portinfo serve --db DB --host 127.0.0.1 --port 0 OPTIONS…` and waits for its
    startup line. `descriptors` sets its soft and hard descriptor limits (serve lifts the soft one
    to the hard one, so both must be set to hold it there)."""

    def __init__(self, binary, db, *options, descriptors=None):
        arguments = [binary, "serve", "--db", db, "--host", "127.0.0.1", "--port", "0", *options]

        def limit_descriptors():
            if descriptors:
                resource.setrlimit(resource.RLIMIT_NOFILE, (descriptors, descriptors))

        self.arguments = arguments
        self.process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, preexec_fn=limit_descriptors)
        self.pid = self.process.pid
        self.port = None
        self.log_lines = 0
        self.log_tail = b""
        self._started = threading.Event()
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        if not self._started.wait(30) or self.port is None:
            self.kill()
            raise RuntimeError(f"portinfo serve did not start: {' '.join(arguments)}\n{self.log_tail.decode(errors='replace')}")

    def _read_log(self):
        descriptor = self.process.stdout.fileno()
        while True:
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:
                break
            self.log_lines += chunk.count(b"\n")
            self.log_tail = (self.log_tail + chunk)[-4096:]
            if self.port is None:
                found = LISTENING.search(self.log_tail)
                if found:
                    self.port = int(found.group(1))
                    self._started.set()
        self._started.set()

    def last_log_lines(self, count=5):
        return [line.decode(errors="replace") for line in self.log_tail.splitlines()[-count:]]

    def _status(self, field):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def rss_kb(self):
        """Resident memory now, in KiB."""
        return self._status("VmRSS")

    def cpu_seconds(self):
        """User and system CPU time so far."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14 and 15)

    def socket_descriptors(self):
        """Sockets it holds open (its listener among them)."""
        count = 0
        for name in os.listdir(f"/proc/{self.pid}/fd"):
            try:
                count += os.readlink(f"/proc/{self.pid}/fd/{name}").startswith("socket:")
            except OSError:
                pass
        return count

    def running(self):
        return self.process.poll() is None

    def stop(self, timeout=30):
        """SIGTERM, then its exit status (None when it did not exit within `timeout` and was killed)."""
        if not self.running():
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.running():
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.kill()


def wait_until(condition, timeout, interval=0.05):
    """Polls `condition` until it holds or `timeout` seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)
