"""The record of checks: each prints PASS or FAIL as it is decided, and the run fails if any did."""


class Checks:
    def __init__(self):
        self.failed = []
        self.passed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS {name}", flush=True)
        else:
            self.failed.append(name)
            print(f"FAIL {name}" + (f": {detail}" if detail else ""), flush=True)
        return ok

    def contains(self, name, text, expected):
        """Every string of expected is in text; the detail names the ones missing."""
        missing = [e for e in expected if e not in (text or "")]
        shown = (text or "").replace("\n", " | ")[:300]
        return self.check(name, not missing, f"missing {missing!r} in {shown!r}")
