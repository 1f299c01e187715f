"""A wiki on an origin of its own: pages that embed portinfo's widget under a strict
Content-Security-Policy, with a stylesheet that tries to restyle everything the widget draws."""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import hostile_data

# Selectors the widget's shadow root must keep out, and whose rules the widget must not add to.
HOSTILE_CSS = b"""
body { font-family: serif; }
.card, .error, .head, .rec, .tag { background: rgb(255, 0, 0) !important; border: 0 !important; }
span { letter-spacing: 3px; }
a { color: rgb(0, 128, 0); }
"""

# What each element asks; the checks read the same table.
WIDGETS = [
    ("w-5432a", "data-portinfo-port", "5432"),
    ("w-5432b", "data-portinfo-port", "5432"),  # the same question: one request for both
    ("w-600", "data-portinfo-port", "600"),
    ("w-6001", "data-portinfo-port", "6001"),
    ("w-21", "data-portinfo-port", "21"),
    ("w-65535", "data-portinfo-port", "65535"),
    ("w-svc", "data-portinfo-service", "postgresql"),
    ("w-unknown", "data-portinfo-service", "no-such-service-portinfo"),
    ("w-70000", "data-portinfo-port", "70000"),
    ("w-word", "data-portinfo-port", "http"),
    ("w-changed", "data-portinfo-port", "80"),
    ("w-site", "data-portinfo-port", str(hostile_data.SITE_PORT)),  # a site row with controls in its name
    ("w-known-use", "data-portinfo-port", str(hostile_data.KNOWN_USE_PORT)),  # a known use with a javascript: URL
]


def csp(script_origins, connect_origins):
    return ("default-src 'none'; "
            f"script-src {' '.join(script_origins)}; connect-src {' '.join(connect_origins)}; "
            "style-src 'self'; img-src 'none'; object-src 'none'; base-uri 'none'; "
            "require-trusted-types-for 'script'")


def script_tag(widget_src, api):
    extra = f' data-portinfo-api="{html.escape(api)}"' if api else ""
    return f'<script src="{html.escape(widget_src)}"{extra} defer></script>'


def wiki_page(widget_src, api):
    rows = "\n".join(
        f'<li>{html.escape(value)}: <span id="{ident}" {attr}="{html.escape(value)}">{html.escape(value)}</span></li>'
        for ident, attr, value in WIDGETS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wiki: the ports we use</title>
<link rel="stylesheet" href="/wiki.css">
{script_tag(widget_src, api)}
</head><body>
<h1>The ports we use</h1>
<p>Cards below come from portinfo's widget; the page allows no inline script or style.</p>
<div class="card" id="host-card">A host element of class "card": the widget's styles must not reach it.</div>
<ul>
{rows}
</ul>
<div id="later"><p>Added after load:</p></div>
</body></html>
"""


def down_page(widget_src, api):
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wiki: portinfo down</title>
{script_tag(widget_src, api)}
</head><body><p>portinfo is down: <span id="w-down" data-portinfo-port="22">22</span></p></body></html>
"""


class StaticOrigin:
    """Serves a fixed set of paths, each (content type, body, extra headers), on 127.0.0.1."""

    def __init__(self, routes):
        self.routes = routes
        routes_ = routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                route = routes_.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                    return
                content_type, body, headers = route
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def wiki_origin(widget_src, script_origin, api_origin, api_override, dead_origin):
    """The wiki; api_override is the data-portinfo-api the script tag needs (None: its own URL)."""
    def page(body, connect):
        policy = csp([script_origin], connect)
        return ("text/html; charset=utf-8", body.encode(), {"Content-Security-Policy": policy})
    return StaticOrigin({
        "/wiki.html": page(wiki_page(widget_src, api_override), [api_origin]),
        "/wiki-down.html": page(down_page(widget_src, dead_origin), [dead_origin]),
        "/wiki.css": ("text/css", HOSTILE_CSS, {}),
    })
