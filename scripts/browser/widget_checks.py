"""The widget on a wiki of another origin under a strict CSP: cards for ports and a service,
clear messages for what fails, one request per question, elements added and changed later,
no styles crossing the shadow root either way, nothing red in the console."""

import json
import socket
import urllib.error
import urllib.request

import hostile_data
from wiki_host import StaticOrigin, wiki_origin

# Reads one widget's card from its shadow root (open, so a test can read it).
CARD_JS = """(id => {
  const host = document.getElementById(id), root = host && host.shadowRoot;
  const card = root && root.querySelector('.card');
  if (!card) return null;
  const style = getComputedStyle(card), link = card.querySelector('a');
  return {text: card.innerText, classes: card.className, title: card.title,
          links: [...card.querySelectorAll('a')].map(a => ({href: a.href, text: a.textContent})),
          elementsNamedUsername: root.querySelectorAll('username').length,
          border: style.borderTopStyle, background: style.backgroundColor,
          letterSpacing: style.letterSpacing, linkColor: link ? getComputedStyle(link).color : null};
})(%s)"""

# A card's text once it is no longer "Looking up …".
SETTLED_JS = "(c => c && !c.classes.includes('loading') && c.text)(%s)" % CARD_JS

PENDING_JS = """[...document.querySelectorAll('[data-portinfo-port],[data-portinfo-service]')]
  .filter(e => !e.shadowRoot || !e.shadowRoot.querySelector('.card') ||
               e.shadowRoot.querySelector('.loading')).map(e => e.id)"""


def free_port():
    # A port nothing listens on: the "portinfo is down" page points its widget there.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def widget_source(checks, server, asset_path):
    """Where the wiki loads widget.js from: the server's /widget.js, or (while the server has no
    such route) assets/widget.js from an origin of its own. Returns (src, api override, closer)."""
    asset = open(asset_path, "rb").read()
    try:
        with urllib.request.urlopen(f"{server}/widget.js") as answer:
            body, headers = answer.read(), answer.headers
    except urllib.error.HTTPError as e:
        if e.code != 404:
            checks.check("GET /widget.js answers 200 or 404", False, f"HTTP {e.code}")
            raise
        print(f"widget.js: GET {server}/widget.js is 404; serving {asset_path} from a static origin instead")
        static = StaticOrigin({"/widget.js": ("text/javascript", asset, {})})
        return f"{static.origin}/widget.js", server, static.close
    print(f"widget.js: loaded from the portinfo server, {server}/widget.js")
    checks.check("/widget.js is assets/widget.js, byte for byte", body == asset,
                 f"{len(body)} bytes served, {len(asset)} in {asset_path}")
    checks.check("/widget.js is JavaScript", "javascript" in (headers.get("Content-Type") or ""),
                 headers.get("Content-Type"))
    checks.check("/widget.js has ETag and Cache-Control",
                 bool(headers.get("ETag")) and bool(headers.get("Cache-Control")), str(dict(headers)))
    if headers.get("ETag"):
        request = urllib.request.Request(f"{server}/widget.js", headers={"If-None-Match": headers["ETag"]})
        try:
            status = urllib.request.urlopen(request).status
        except urllib.error.HTTPError as e:
            status = e.code
        checks.check("/widget.js If-None-Match gives 304", status == 304, f"HTTP {status}")
    return f"{server}/widget.js", None, lambda: None


def run(checks, browser, server, asset_path, artifacts):
    src, api, close_static = widget_source(checks, server, asset_path)
    dead = f"http://127.0.0.1:{free_port()}"
    script_origin = src.rsplit("/", 1)[0]
    wiki = wiki_origin(src, script_origin, server, api, dead)
    print(f"wiki: {wiki.origin}/wiki.html (widget {src}, API {server})")
    try:
        page = browser.new_page()
        status = page.goto(f"{wiki.origin}/wiki.html")
        checks.check("wiki page loads from its own origin", status == 200, f"HTTP {status}")
        pending = page.wait_for(f"({PENDING_JS}).length === 0 || null", timeout=15)
        checks.check("every widget on the wiki page shows a card", pending,
                     f"still without a card: {page.evaluate(PENDING_JS)}")
        card = lambda ident: page.evaluate(CARD_JS % json.dumps(ident)) or {}
        port_page = lambda port: f"{server}/ports/{port}"
        first_link = lambda c: (c.get("links") or [{}])[0].get("href")

        c = card("w-5432a")
        checks.contains("5432: service, transports merged, description, range",
                        c.get("text"), ["Port 5432", "postgresql", "tcp, udp", "PostgreSQL Database", "user range"])
        checks.check("5432: links to its port page", first_link(c) == port_page(5432), first_link(c))
        checks.check("5432 twice: the second element shows the same card",
                     card("w-5432b").get("text") == c.get("text"), card("w-5432b").get("text"))
        asked = [u for u in page.requests() if u.startswith(f"{server}/ports/5432")]
        checks.check("5432 twice: one request", len(asked) == 1, f"requests: {asked}")

        c = card("w-600")
        checks.contains("600: ipcserver, system range, assigned", c.get("text"),
                        ["Port 600", "ipcserver", "Sun IPC server", "tcp, udp", "system range", "assigned"])
        c = card("w-6001")
        checks.contains("6001: inside x11's range 6000–6063", c.get("text"),
                        ["Port 6001", "x11", "ports 6000\u20136063", "X Window System"])
        checks.check("6001: links to its port page", first_link(c) == port_page(6001), first_link(c))

        c = card("w-21")
        checks.contains("21: notes shown literally, <username> as text", c.get("text"),
                        ["ftp", "File Transfer Protocol [Control]", "u=<username> p=<password> path=<path>"])
        checks.check("21: no element named username anywhere",
                     c.get("elementsNamedUsername") == 0 and page.evaluate("document.getElementsByTagName('username').length") == 0,
                     str(c.get("elementsNamedUsername")))
        rfc = [l["href"] for l in c.get("links", []) if l["text"].startswith("RFC")]
        checks.check("21: RFC references link to rfc-editor.org",
                     "https://www.rfc-editor.org/rfc/rfc959" in rfc and "https://www.rfc-editor.org/rfc/rfc9260" in rfc, str(rfc))

        c = card("w-65535")
        checks.contains("65535: dynamic range, unassigned", c.get("text"),
                        ["Port 65535", "dynamic range", "unassigned", "No IANA assignment"])

        c = card("w-svc")
        checks.contains("service postgresql: its port and transports", c.get("text"),
                        ["Service postgresql", "postgresql", "tcp, udp", "port 5432"])
        checks.check("service postgresql: links to port 5432's page",
                     port_page(5432) in [l["href"] for l in c.get("links", [])], str(c.get("links")))

        c = card("w-site")
        name = f"site row named rtl+U+202E+gnp.exe (port {hostile_data.SITE_PORT})"
        checks.contains(f"{name}: its name and description shown escaped in the card", c.get("text"),
                        [hostile_data.SITE_NAME_SHOWN, hostile_data.SITE_DESCRIPTION_SHOWN, "this site's assignment"])
        raw = [ch for ch in hostile_data.CONTROLS if ch in (c.get("text") or "")]
        checks.check(f"{name}: no bidi control or NUL in the card's text", not raw, repr(raw))
        c = card("w-known-use")
        checks.contains(f"{hostile_data.KNOWN_USE_PORT}: the known use with a javascript: URL shown as text", c.get("text"),
                        ["Known uses:", "Apache Kafka"])
        hrefs = [l["href"] for l in c.get("links", [])]
        checks.check(f"{hostile_data.KNOWN_USE_PORT}: every link in the card is http(s)",
                     bool(hrefs) and all(h.startswith(("http://", "https://")) for h in hrefs), repr(hrefs))

        c = card("w-unknown")
        checks.check("unknown service: a small error card",
                     "error" in c.get("classes", "") and c.get("text") == "portinfo: service no-such-service-portinfo: Unknown service",
                     repr(c.get("text")))
        checks.check("unknown service: the server's detail as tooltip", "no-such-service-portinfo" in c.get("title", ""), c.get("title"))
        c = card("w-70000")
        checks.check("port 70000: the server's 400 as an error card",
                     "error" in c.get("classes", "") and c.get("text") == "portinfo: port 70000: Invalid port", repr(c.get("text")))
        checks.check("port 70000: the server's detail as tooltip", "70000" in c.get("title", ""), c.get("title"))
        c = card("w-word")
        checks.check("port 'http': refused without asking the server",
                     c.get("text") == "portinfo: port http: not a port number (0\u201365535)"
                     and not [u for u in page.requests() if "/ports/http" in u], repr(c.get("text")))

        page.evaluate("""(() => { const s = document.createElement('span');
            s.id = 'w-later'; s.setAttribute('data-portinfo-port', '22');
            document.getElementById('later').append(s); })()""")
        later = page.wait_for(SETTLED_JS % json.dumps("w-later"), timeout=10)
        checks.contains("element added after load: rendered (22, ssh)", later, ["Port 22", "ssh"])
        page.evaluate("document.getElementById('w-changed').setAttribute('data-portinfo-port', '443')")
        changed = page.wait_for(f"(t => t && t.includes('Port 443') && t)({SETTLED_JS % json.dumps('w-changed')})", timeout=10)
        checks.contains("element whose port changed: rendered again (80 -> 443)", changed, ["Port 443", "https"])

        c = card("w-600")
        checks.check("widget styles apply under the strict CSP (card border)", c.get("border") == "solid", c.get("border"))
        checks.check("host styles stay out of the card (background, letter-spacing, link colour)",
                     c.get("background") != "rgb(255, 0, 0)" and c.get("letterSpacing") == "normal"
                     and c.get("linkColor") != "rgb(0, 128, 0)", str(c))
        host = page.evaluate("""(s => ({border: s.borderTopStyle, radius: s.borderTopLeftRadius}))(
            getComputedStyle(document.getElementById('host-card')))""")
        checks.check("widget styles stay out of the host page (its .card)", host["radius"] == "0px", str(host))

        expected = {f"{server}/ports/70000", f"{server}/services/no-such-service-portinfo"}
        problems = page.problems(expected)
        checks.check("wiki page: no console errors, exceptions or CSP violations", not problems, "; ".join(problems))
        print(f"screenshot: {page.screenshot(f'{artifacts}/widget-wiki.png')}")

        down = browser.new_page()
        down.goto(f"{wiki.origin}/wiki-down.html")
        text = down.wait_for(SETTLED_JS % json.dumps("w-down"), timeout=15)
        checks.check("portinfo down: a clear message", text == f"portinfo: port 22: cannot reach {dead}", repr(text))
        problems = down.problems({f"{dead}/ports/22"})
        checks.check("portinfo down: nothing else in the console", not problems, "; ".join(problems))
        print(f"screenshot: {down.screenshot(f'{artifacts}/widget-down.png')}")
    finally:
        wiki.close()
        close_static()
