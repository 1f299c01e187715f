"""The server's own HTML pages as a browser gets them (Chromium sends Accept: text/html), and
curl still getting JSON from the same URLs."""

import json
import subprocess

import hostile_data

# What a page's text must hold: (path, check name, [strings]).
PAGE_TEXTS = [
    ("/ports/600", "port page 600: assignment, range, how to check, related ports",
     ["Port 600 is assigned to ipcserver", "system", "ss -", "netstat", "Related ports"]),
    ("/ports/6001", "port page 6001: inside x11's range", ["x11"]),
    ("/ports/65535", "port page 65535: the dynamic range", ["dynamic"]),
    ("/ports/21", "port page 21: notes shown literally", ["u=<username>", "<password>"]),
    ("/?q=5432", "lookup page /?q=5432: finds postgresql", ["5432", "postgresql"]),
    ("/?q=%3Cb%3Einjected%3C%2Fb%3E", "lookup page /?q=<b>injected</b>: the query as text", ["<b>injected</b>"]),
]

PAGE_FACTS_JS = """({contentType: document.contentType, title: document.title, path: location.pathname,
  text: document.body ? document.body.innerText : '',
  headings: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => h.textContent.trim()),
  elementsNamedUsername: document.getElementsByTagName('username').length,
  injected: [...document.querySelectorAll('b')].filter(b => b.textContent === 'injected').length,
  queryInputs: document.querySelectorAll('form input[name=q]').length,
  nonHTTPLinks: [...document.links].filter(a => !/^https?:$/.test(a.protocol)).map(a => a.getAttribute('href'))})"""

# Over the search caps (8 words): refused.
NINE_WORDS = "/?q=" + "+".join(["word"] * 9)


def curl(*args):
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True, text=True, check=True).stdout


def run(checks, browser, server, artifacts):
    page = browser.new_page()
    for path, name, texts in PAGE_TEXTS:
        status = page.goto(server + path)
        facts = page.evaluate(PAGE_FACTS_JS)
        is_html = status == 200 and facts["contentType"] == "text/html"
        if not checks.check(f"{name}: HTML", is_html, f"HTTP {status}, {facts['contentType']}"):
            continue
        checks.contains(name, facts["text"], texts)
        if path == "/ports/600":
            checks.check("port page 600: a 'Related ports' heading",
                         any(h.startswith("Related ports") for h in facts["headings"]), str(facts["headings"]))
            print(f"screenshot: {page.screenshot(f'{artifacts}/port-600.png')}")
        if path == "/ports/6001":
            checks.check("port page 6001: x11's range 6000-6063",
                         "6000\u20136063" in facts["text"] or "6000-6063" in facts["text"], facts["text"][:300])
        if path == "/ports/21":
            checks.check("port page 21: no element named username", facts["elementsNamedUsername"] == 0,
                         str(facts["elementsNamedUsername"]))
        if path.startswith("/?q=%3C"):
            checks.check("lookup page: no <b> element made from the query", facts["injected"] == 0, str(facts["injected"]))
        if path == "/?q=5432":
            print(f"screenshot: {page.screenshot(f'{artifacts}/lookup-5432.png')}")

    status = page.goto(server + "/")
    facts = page.evaluate(PAGE_FACTS_JS)
    checks.check("lookup page /: HTML with a form field q",
                 status == 200 and facts["contentType"] == "text/html" and facts["queryInputs"] >= 1,
                 f"HTTP {status}, {facts['contentType']}, {facts['queryInputs']} input(s) named q in a form")
    print(f"screenshot: {page.screenshot(f'{artifacts}/lookup.png')}")
    problems = page.problems()
    checks.check("pages: no console errors, exceptions or CSP violations", not problems, "; ".join(problems))

    shown_not_obeyed(checks, browser, server, artifacts)

    headers = curl("-D", "-", "-o", "/dev/null", "-H", "Accept: text/html", f"{server}/ports/600").lower()
    checks.check("HTML answer says Vary: Accept", vary_names_accept(headers), headers.strip().replace("\n", " | "))
    headers = curl("-D", "-", "-o", "/dev/null", f"{server}{NINE_WORDS}").lower()
    checks.check("curl's bad lookup: problem+json, Vary: Accept",
                 "content-type: application/problem+json" in headers and vary_names_accept(headers), headers.strip().replace("\n", " | "))
    answer = curl("-D", "-", f"{server}/ports/600")
    head, _, body = answer.partition("\n\n")  # (text mode has made \r\n \n)
    try:
        port = json.loads(body).get("port")
    except ValueError:
        port = None
    checks.check("curl still gets JSON from /ports/600",
                 "content-type: application/json" in head.lower() and port == 600, head.replace("\n", " | "))


def vary_names_accept(headers):
    return "vary:" in headers and "accept" in headers.split("vary:", 1)[1].split("\n")[0]


def shown_not_obeyed(checks, browser, server, artifacts):
    """What hostile_data.py gave the server: controls shown as [U+XXXX], javascript: URLs as text;
    then what a browser that asks for something wrong gets: an error page, or a redirect."""
    page = browser.new_page()
    status = page.goto(f"{server}/ports/{hostile_data.SITE_PORT}")
    facts = page.evaluate(PAGE_FACTS_JS)
    name = f"site row named rtl+U+202E+gnp.exe (port {hostile_data.SITE_PORT})"
    if checks.check(f"{name}: HTML", status == 200 and facts["contentType"] == "text/html", f"HTTP {status}"):
        checks.contains(f"{name}: its name and description shown escaped", facts["text"],
                        [hostile_data.SITE_NAME_SHOWN, hostile_data.SITE_DESCRIPTION_SHOWN])
        raw = [c for c in hostile_data.CONTROLS if c in facts["text"] + facts["title"]]
        checks.check(f"{name}: no bidi control or NUL in the page's text", not raw, repr(raw))
        print(f"screenshot: {page.screenshot(f'{artifacts}/site-controls.png')}")

    page.goto(f"{server}/?q=%E2%80%AEgnp.exe")
    facts = page.evaluate(PAGE_FACTS_JS)
    checks.check("lookup page /?q=U+202E gnp.exe: the heading shows [U+202E], the title no U+202E",
                 any("[U+202E]gnp.exe" in h for h in facts["headings"]) and "\u202e" not in facts["title"] + facts["text"],
                 f"{facts['headings']!r}, title {facts['title']!r}")

    for path in (f"/ports/{hostile_data.KNOWN_USE_PORT}", f"/ports/{hostile_data.EVERYDAY_NAME_PORT}", "/search?q=kafka"):
        page.goto(server + path)
        facts = page.evaluate(PAGE_FACTS_JS)
        checks.check(f"{path}: javascript: URLs from the data are no links, every link is http(s)",
                     facts["contentType"] == "text/html" and not facts["nonHTTPLinks"], repr(facts["nonHTTPLinks"]))
        if path == f"/ports/{hostile_data.KNOWN_USE_PORT}":
            checks.contains(f"{path}: the known use's vendor shown as text", facts["text"], [hostile_data.KNOWN_USE_VENDOR])

    status = page.goto(server + NINE_WORDS)
    facts = page.evaluate(PAGE_FACTS_JS)
    checks.check("lookup over the search caps: an HTML error page",
                 status == 400 and facts["contentType"] == "text/html" and "Invalid parameter" in facts["headings"],
                 f"HTTP {status}, {facts['contentType']}, {facts['headings']!r}")
    status = page.goto(f"{server}/ports/600/?format=html")
    facts = page.evaluate(PAGE_FACTS_JS)
    checks.check("/ports/600/ redirected to /ports/600", status == 200 and facts["path"] == "/ports/600",
                 f"HTTP {status} at {facts['path']}")
    problems = page.problems({server + NINE_WORDS})
    checks.check("these pages: no console errors, exceptions or CSP violations", not problems, "; ".join(problems))
