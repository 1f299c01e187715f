"""A check's verdicts: one line per goal (with the figure measured and the goal), plain figures
between them, and an exit status that is non-zero when any goal clearly failed. A verdict is
PASS, FAIL, or NEAR: missed, but by no more than the noise of a shared 2-core machine (each
check says what that is for its goal); NEAR is printed for people and does not fail the run."""
import sys


class Goals:
    def __init__(self, check):
        self.check_name = check
        self.failed = []
        self.near = []
        print(f"== {check}", flush=True)

    def check(self, ok, name, figure, goal, near=False):
        verdict = "PASS" if ok else "NEAR" if near else "FAIL"
        print(f"{verdict}  {name}: {figure} (goal: {goal})", flush=True)
        (self.near if verdict == "NEAR" else self.failed if verdict == "FAIL" else []).append(name)
        return ok

    def figure(self, name, text):
        print(f"      {name}: {text}", flush=True)

    def finish(self):
        verdict = f"{len(self.failed)} goal(s) failed" if self.failed else "every goal met"
        if self.near:
            verdict += f", {len(self.near)} missed by no more than noise"
        print(f"== {self.check_name}: {verdict}", flush=True)
        sys.exit(1 if self.failed else 0)
