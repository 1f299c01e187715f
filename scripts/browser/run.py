"""Browser checks against a running portinfo server: python3 run.py --server http://127.0.0.1:PORT
Parts: widget (the wiki widget on another origin) and pages (the server's HTML pages)."""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import page_checks  # noqa: E402
import widget_checks  # noqa: E402
from checks import Checks  # noqa: E402
from chromium import BrowserError, Chromium  # noqa: E402

PARTS = ("widget", "pages")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True, help="the portinfo server's base URL")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)} (default: both)")
    parser.add_argument("--artifacts", default=".build/browser-artifacts", help="folder for screenshots and chromium's log")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--widget", default=os.path.join(here, "..", "..", "assets", "widget.js"),
                        help="assets/widget.js: compared with the server's, or served when the server has none")
    args = parser.parse_args()
    parts = [p for p in args.parts.split(",") if p]
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        parser.error(f"--parts: unknown part(s) {unknown}; choose from {', '.join(PARTS)}")

    server = args.server.rstrip("/")
    artifacts = os.path.abspath(args.artifacts)
    os.makedirs(artifacts, exist_ok=True)
    checks = Checks()
    browser = Chromium(args.chromium, os.path.join(artifacts, "chromium.log"))
    try:
        for part in parts:
            print(f"== {part}", flush=True)
            try:
                if part == "widget":
                    widget_checks.run(checks, browser, server, os.path.abspath(args.widget), artifacts)
                else:
                    page_checks.run(checks, browser, server, artifacts)
            except BrowserError as e:
                checks.check(f"{part}: the browser did what was asked", False, str(e))
    finally:
        browser.close()
    print(f"browser checks: {checks.passed} passed, {len(checks.failed)} failed"
          + (f" ({', '.join(checks.failed)})" if checks.failed else ""))
    print(f"artifacts: {artifacts}")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
