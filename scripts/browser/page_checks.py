"""The server's own HTML pages as a browser gets them (Chromium sends Accept: text/html), and
curl still getting JSON from the same URLs."""

import json
import subprocess

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

PAGE_FACTS_JS = """({contentType: document.contentType, text: document.body ? document.body.innerText : '',
  headings: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => h.textContent.trim()),
  elementsNamedUsername: document.getElementsByTagName('username').length,
  injected: [...document.querySelectorAll('b')].filter(b => b.textContent === 'injected').length,
  queryInputs: document.querySelectorAll('form input[name=q]').length})"""


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

    headers = curl("-D", "-", "-o", "/dev/null", "-H", "Accept: text/html", f"{server}/ports/600").lower()
    checks.check("HTML answer says Vary: Accept", "vary:" in headers and "accept" in headers.split("vary:", 1)[1].split("\n")[0],
                 headers.strip().replace("\n", " | "))
    answer = curl("-D", "-", f"{server}/ports/600")
    head, _, body = answer.partition("\n\n")  # (text mode has made \r\n \n)
    try:
        port = json.loads(body).get("port")
    except ValueError:
        port = None
    checks.check("curl still gets JSON from /ports/600",
                 "content-type: application/json" in head.lower() and port == 600, head.replace("\n", " | "))
