// portinfo wiki widget: <span data-portinfo-port="5432"></span> or
// <span data-portinfo-service="postgresql"></span> becomes a small card about that IANA assignment.
// A plain script (no modules, no dependencies) for <script src=".../widget.js" defer>.
// It must run under a host's strict Content-Security-Policy, so it never evaluates code, never
// parses markup (all data goes in as text nodes, made by el(): IANA notes hold "u=<username>") and styles
// itself only through a constructed stylesheet adopted by a shadow root, which CSP style-src does
// not govern and which keeps its styles and the host's apart.
(function () {
  "use strict";

  // The API is where this script came from, unless the tag names another (data-portinfo-api):
  // captured now, because document.currentScript is null once this first run is over.
  var script = document.currentScript || document.querySelector("script[src*='widget.js']");
  var named = script && script.dataset.portinfoApi;
  var base = named ? new URL(named, location.href) : new URL(".", script ? script.src : location.href);
  if (!/\/$/.test(base.pathname)) base.pathname += "/"; // "https://host/portinfo" means the folder
  var TIMEOUT_MS = 10000; // a hung server ends in a message, not an endless "looking up"

  // The card resets everything first (all:initial): the host's inherited styles (font,
  // letter-spacing, …) reach a shadow root through its host element, which :host cannot outrank.
  var CSS = [
    ":host{display:inline-block;vertical-align:top;max-width:32em;margin:2px 0}",
    ".card{all:initial;display:block;border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;",
    "background:#fff;font:13px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328}",
    ".head{font-weight:600}.head a{color:#0969da;text-decoration:none}.head a:hover{text-decoration:underline}",
    ".tag{display:inline-block;margin-left:6px;padding:0 6px;border-radius:9px;background:#eaeef2;font-size:11px;font-weight:400}",
    ".site{background:#fff1c2}.rec{margin-top:4px}.name{font-weight:600}.muted{color:#59636e}",
    ".notes{white-space:pre-wrap;font-size:12px;color:#59636e;max-height:6em;overflow:auto}",
    "a{color:#0969da}.error{border-color:#cf222e;color:#82071e;background:#fff5f5}.loading{color:#59636e}",
    "@media (prefers-color-scheme:dark){.card{background:#161b22;border-color:#30363d;color:#e6edf3}",
    ".tag{background:#30363d}.site{background:#5a4a00}.muted,.notes,.loading{color:#9198a1}a,.head a{color:#4493f8}",
    ".error{background:#2d1214;color:#ff9492;border-color:#f85149}}"
  ].join("");
  var sheet = null; // browsers without constructed stylesheets (before 2023) get plain cards
  try { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); } catch (e) { sheet = null; }

  // One request per distinct question, however many elements ask it.
  var answers = new Map();
  function ask(path) {
    if (!answers.has(path)) answers.set(path, load(new URL(path, base)));
    return answers.get(path);
  }
  function load(url) {
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, TIMEOUT_MS);
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "omit", signal: abort.signal })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (response.ok && body) return body;
          // The problem's title is short enough for a card; its detail goes in the tooltip.
          var failure = new Error((body && (body.title || body.detail)) || "unexpected answer (HTTP " + response.status + ")");
          failure.detail = body && body.detail;
          throw failure;
        });
      }, function () {
        throw new Error(abort.signal.aborted ? "no answer from " + base.origin + " within " + TIMEOUT_MS / 1000 + " s"
                                             : "cannot reach " + base.origin);
      })
      .finally(function () { clearTimeout(timer); });
  }

  // Characters that act on the text around them unseen, shown as "[U+202E]" as the server's
  // pages show them (the set PrintableText.needsEscape names): bidi controls ("rtl\u202Egnp.exe"
  // would read "rtlexe.png"), NUL and the other C0 controls but tab and line breaks, DEL and the
  // C1 controls.
  var UNSEEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;
  function visible(text) {
    return String(text).replace(UNSEEN, function (c) {
      return "[U+" + ("000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4) + "]";
    });
  }

  // Tiny DOM builder: text is always text, never markup, and every text goes in here, visible.
  function el(tag, cls, children) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    (children || []).forEach(function (c) { if (c != null) node.append(c instanceof Node ? c : visible(c)); });
    return node;
  }
  // The one way a card links, and only to an absolute http(s) URL: what else data may hold
  // (javascript:, data:) is shown as its text alone.
  function link(href, text) {
    if (!/^https?:\/\//i.test(href)) return text;
    var a = el("a", null, [text]); a.href = href; return a;
  }
  function portPage(port) { return new URL("ports/" + port, base).href; }
  function span(range) {
    if (!range) return null;
    return range.first === range.last ? String(range.first) : range.first + "\u2013" + range.last;
  }

  // Rows that differ only by transport read as one line: "ftp  tcp, udp, sctp".
  function merge(records) {
    var groups = new Map();
    records.forEach(function (r) {
      var key = [r.service, r.description, span(r.ports), r.source, r.notes].join("\u0000");
      var g = groups.get(key);
      if (!g) groups.set(key, g = { r: r, transports: [], refs: [] });
      if (r.transport && g.transports.indexOf(r.transport) < 0) g.transports.push(r.transport);
      (r.references || []).forEach(function (ref) { if (g.refs.indexOf(ref) < 0) g.refs.push(ref); });
    });
    return Array.from(groups.values());
  }

  function refNode(ref) {
    var rfc = /^RFC(\d+)$/i.exec(ref);
    return rfc ? link("https://www.rfc-editor.org/rfc/rfc" + Number(rfc[1]), "RFC " + Number(rfc[1])) : ref;
  }
  function joined(nodes) {
    var out = [];
    nodes.forEach(function (n, i) { if (i) out.push(", "); out.push(n); });
    return out;
  }

  function recordNode(g, showPorts) {
    var r = g.r, ports = span(r.ports);
    var line = [el("span", "name", [r.service || "(no name)"])];
    if (g.transports.length) line.push(el("span", "tag", [g.transports.join(", ")]));
    if (showPorts && ports) line.push(el("span", "tag", ["port ", link(portPage(r.ports.first), ports)]));
    else if (ports && r.ports.first !== r.ports.last) line.push(el("span", "tag", ["ports " + ports]));
    if (r.source === "site") line.push(el("span", "tag site", ["this site's assignment"]));
    return el("div", "rec", [
      el("div", null, line),
      r.description ? el("div", null, [r.description]) : null,
      g.refs.length ? el("div", "muted", ["References: "].concat(joined(g.refs.map(refNode)))) : null,
      r.unauthorized_use ? el("div", "muted", [r.unauthorized_use]) : null,
      r.notes ? el("div", "notes", [r.notes]) : null
    ]);
  }

  // Additive field: shown when the server has it, never required.
  function knownUsesNode(uses) {
    if (!Array.isArray(uses) || !uses.length) return null;
    return el("div", "rec muted", ["Known uses: "].concat(joined(uses.map(function (u) {
      return link(u.url, [u.product, u.use].filter(Boolean).join(": "));
    }))));
  }

  function portCard(a) {
    var head = el("div", "head", [link(portPage(a.port), "Port " + a.port),
      a.range ? el("span", "tag", [a.range + " range"]) : null, a.status ? el("span", "tag", [a.status]) : null]);
    var recs = merge(a.records || []).map(function (g) { return recordNode(g, false); });
    if (!recs.length) recs = [el("div", "rec muted", ["No IANA assignment."])];
    return el("div", "card", [head].concat(recs, [knownUsesNode(a.known_uses)]));
  }

  function serviceCard(a) {
    var head = el("div", "head", ["Service " + a.service]);
    var recs = merge(a.records || []).map(function (g) { return recordNode(g, true); });
    return el("div", "card", [head].concat(recs, [knownUsesNode(a.known_uses)]));
  }

  // What an element asks, or an error to show without asking anything.
  function question(node) {
    var port = node.getAttribute("data-portinfo-port");
    if (port !== null) {
      port = port.trim();
      if (!/^\d{1,5}$/.test(port)) return { label: "port " + port, error: "not a port number (0\u201365535)" };
      return { label: "port " + port, path: "ports/" + port, card: portCard };
    }
    var name = node.getAttribute("data-portinfo-service");
    if (name === null) return null;
    name = name.trim();
    if (!name) return { label: "service", error: "no service name given" };
    // One path segment: "cl/1" -> cl%2F1; "." and ".." would otherwise be resolved away.
    var segment = encodeURIComponent(name).replace(/^\.\.?$/, function (d) { return d.replace(/\./g, "%2E"); });
    return { label: "service " + name, path: "services/" + segment, card: serviceCard };
  }

  var roots = new WeakMap(); // element -> the shadow root this widget gave it
  var shown = new WeakMap(); // element -> the question its card answers
  function render(node) {
    var q = question(node);
    if (!q || shown.get(node) === (q.path || q.error)) return;
    var root = roots.get(node);
    if (!root) {
      try {
        root = node.attachShadow({ mode: "open" });
      } catch (e) { // an element that takes no shadow root (<td>, <a>) or has one of its own
        console.warn("portinfo widget: cannot draw in <" + node.localName + ">; use a <span> or <div>");
        return;
      }
      if (sheet) root.adoptedStyleSheets = [sheet];
      roots.set(node, root);
    }
    shown.set(node, q.path || q.error);
    var fail = function (why, detail) {
      var card = el("div", "card error", ["portinfo: " + q.label + ": " + why]);
      if (detail) card.title = visible(detail);
      root.replaceChildren(card);
    };
    if (q.error) return fail(q.error);
    root.replaceChildren(el("div", "card loading", ["Looking up " + q.label + "\u2026"]));
    ask(q.path).then(function (answer) {
      if (shown.get(node) === q.path) root.replaceChildren(q.card(answer));
    }).catch(function (e) {
      if (shown.get(node) === q.path) fail(e.message, e.detail);
    });
  }

  var SELECTOR = "[data-portinfo-port],[data-portinfo-service]";
  function scan(node) {
    if (node.nodeType !== 1) return;
    if (node.matches(SELECTOR)) render(node);
    node.querySelectorAll(SELECTOR).forEach(render);
  }

  // Wiki editors and live previews add and change elements after load.
  new MutationObserver(function (changes) {
    changes.forEach(function (c) {
      if (c.type === "attributes") render(c.target);
      else c.addedNodes.forEach(scan);
    });
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ["data-portinfo-port", "data-portinfo-service"]
  });
  scan(document.documentElement);
})();
