"""Headless Chromium driven over the DevTools protocol: pages to load, JavaScript to evaluate, and
everything the browser reported meanwhile (console messages, exceptions, log entries, requests)."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

import websocket  # Debian's python3-websocket (PyPI websocket-client)


class BrowserError(Exception):
    pass


class Chromium:
    """One headless Chromium with a throw-away profile, spoken to over one DevTools websocket."""

    def __init__(self, executable, log_path, width=1100, height=900):
        self.profile = tempfile.mkdtemp(prefix="portinfo-chromium-")
        self.size = (width, height)
        self.log = open(log_path, "wb")
        args = [
            executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--mute-audio", f"--window-size={width},{height}",
            f"--user-data-dir={self.profile}", "--remote-debugging-port=0", "about:blank",
        ]
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        self.socket = websocket.create_connection(self._endpoint(), timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def _endpoint(self):
        # Chromium writes its port and browser target here once it listens (port 0: it picks one).
        marker = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrowserError(f"chromium exited with status {self.process.returncode} (log: {self.log.name})")
            try:
                port, path = open(marker).read().split("\n")[:2]
                if port and path:
                    return f"ws://127.0.0.1:{port}{path}"
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.1)
        raise BrowserError(f"chromium did not open its DevTools port within 30 s (log: {self.log.name})")

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            self.socket.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                reply = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException:
                raise BrowserError(f"{method}: no answer within {timeout} s") from None
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def new_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, session)

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """A tab. `problems()` is what a person would see in DevTools' console as red."""

    def __init__(self, browser, session):
        self.browser, self.session = browser, session
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        width, height = browser.size
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def send(self, method, params=None, timeout=30):
        return self.browser.send(method, params, self.session, timeout)

    def own_events(self, method=None):
        return [e for e in self.browser.events
                if e.get("sessionId") == self.session and (method is None or e["method"] == method)]

    def goto(self, url, timeout=30):
        """Loads url, then waits for its load event; returns the main document's HTTP status."""
        seen = len(self.own_events())
        frame = self.send("Page.navigate", {"url": url}).get("frameId")
        deadline = time.monotonic() + timeout
        while not any(e["method"] == "Page.loadEventFired" for e in self.own_events()[seen:]):
            if time.monotonic() > deadline:
                raise BrowserError(f"{url}: no load event within {timeout} s")
            self.evaluate("1")  # reads the events that arrived meanwhile
            time.sleep(0.05)
        for e in self.own_events("Network.responseReceived")[::-1]:
            if e["params"].get("frameId") == frame and e["params"].get("type") == "Document":
                return e["params"]["response"]["status"]
        return None

    def evaluate(self, expression):
        """The value of a JavaScript expression (promises awaited), as JSON; raises if it threw."""
        result = self.send("Runtime.evaluate",
                           {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(f"{expression[:60]}…: {details.get('exception', {}).get('description') or details.get('text')}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=10):
        """Polls expression until it is truthy; returns its last value (falsy when time ran out)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.1)

    def requests(self):
        return [e["params"]["request"]["url"] for e in self.own_events("Network.requestWillBeSent")]

    def problems(self, expected_failed_urls=()):
        """Console errors, uncaught exceptions and error log entries (CSP violations, failed
        loads), less the failed loads of expected_failed_urls (errors the checks asked for) and
        of /favicon.ico (which browsers ask every origin for, unasked by the page)."""
        found = []
        for e in self.own_events():
            p = e["params"]
            if e["method"] == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                found.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
            elif e["method"] == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
                found.append("console.error: " + " ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif e["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
                entry = p["entry"]
                url = entry.get("url", "")
                if entry.get("source") == "network" and (url in expected_failed_urls or url.endswith("/favicon.ico")):
                    continue
                found.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip())
        return found

    def screenshot(self, path):
        """The whole page, however tall, as a PNG."""
        height = self.evaluate("Math.max(document.documentElement.scrollHeight, innerHeight)")
        width = self.browser.size[0]
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 8000), "scale": 1}})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path
