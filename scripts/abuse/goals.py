"""A check's verdicts: one PASS or FAIL line per goal (with the figure measured and the goal),
plain figures between them, and an exit status that is non-zero when any goal failed."""
import sys


class Goals:
    def __init__(self, check):
        self.check_name = check
        self.failed = []
        print(f"== {check}", flush=True)

    def check(self, ok, name, figure, goal):
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {figure} (goal: {goal})", flush=True)
        if not ok:
            self.failed.append(name)
        return ok

    def figure(self, name, text):
        print(f"      {name}: {text}", flush=True)

    def finish(self):
        verdict = f"{len(self.failed)} goal(s) failed" if self.failed else "every goal met"
        print(f"== {self.check_name}: {verdict}", flush=True)
        sys.exit(1 if self.failed else 0)
