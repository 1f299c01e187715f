import Basics
import Registry

/// The pages' one stylesheet, inlined in each page (self-contained: nothing to fetch, inside a
/// company network too) and allowed by its hash in the pages' Content-Security-Policy, which
/// allows nothing else: no scripts, no other styles, no frames, forms only to this server.
public enum PageStyle {
    /// As a StaticString, for HTMLWriter.markup: the pages' own text, never data.
    static let cssLiteral: StaticString = """
        :root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--accent:#0a5bd3;--soft:#f3f5f7}
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;--line:#30363d;--accent:#6cb6ff;--soft:#161b22}}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        header,main,footer{max-width:56rem;margin:0 auto;padding:0 1rem}
        header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding-top:.75rem;padding-bottom:.75rem;border-bottom:1px solid var(--line)}
        header a.home{font-weight:700;text-decoration:none;color:var(--fg)}
        form.lookup{display:flex;flex:1;gap:.5rem;min-width:14rem}
        form.lookup input{flex:1;min-width:0;font:inherit;padding:.35rem .5rem;border:1px solid var(--line);border-radius:.3rem;background:var(--bg);color:var(--fg)}
        form.lookup button{font:inherit;padding:.35rem .8rem;border:1px solid var(--line);border-radius:.3rem;background:var(--soft);color:var(--fg)}
        a{color:var(--accent)}
        h1{font-size:1.6rem;line-height:1.25;margin:1.2rem 0 .4rem}
        h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
        p.answer{font-size:1.15rem;margin:.2rem 0 .8rem}
        .muted,dt{color:var(--muted)}
        .label{display:inline-block;font-size:.75rem;padding:0 .4rem;border:1px solid var(--line);border-radius:1rem;vertical-align:middle}
        section.record{border:1px solid var(--line);border-radius:.4rem;padding:.2rem 1rem .6rem;margin:.8rem 0}
        section.record h3{margin:.6rem 0 .2rem;font-size:1.05rem}
        section.record h4{margin:.6rem 0 0;font-size:.95rem;color:var(--muted)}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.4rem 0}
        dd{margin:0;overflow-wrap:anywhere;white-space:pre-line}
        pre{background:var(--soft);border:1px solid var(--line);border-radius:.3rem;padding:.5rem .7rem;overflow-x:auto;margin:.3rem 0 .7rem}
        code{font:.9rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        table{border-collapse:collapse;width:100%;font-size:.95rem}
        th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
        ul.related li,ul.results li{margin:.25rem 0}
        nav.neighbours{display:flex;justify-content:space-between;gap:1rem;margin:1.5rem 0;flex-wrap:wrap}
        footer{margin-top:2rem;padding-top:.75rem;padding-bottom:2rem;border-top:1px solid var(--line);font-size:.85rem;color:var(--muted)}
        @media (max-width:36rem){dl{grid-template-columns:1fr}dt{margin-top:.3rem}h1{font-size:1.35rem}}
        """
    static var css: String { cssLiteral.description }

    /// The Content-Security-Policy every page is served with.
    public static let contentSecurityPolicy: String = {
        var digest = SHA256()
        digest.update(Array(css.utf8))
        return "default-src 'none'; style-src 'sha256-\(Base64.encode(hex: digest.finalize()))'; img-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    }()
}

/// Base64 (RFC 4648, with padding), for the CSP hash.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The bytes a hex string spells, in base64.
    static func encode(hex: String) -> String {
        let digits = hex.utf8.map { ASCII.hexDigitValue($0) ?? 0 }
        let bytes = stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
        var out: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = bytes[start..<min(start + 3, bytes.count)]
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for index in 0..<4 {
                out.append(index <= chunk.count ? alphabet[(value >> (18 - 6 * index)) & 63] : UInt8(ascii: "="))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
