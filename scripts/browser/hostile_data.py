"""Data the browser checks' server is given beside IANA's, which pages and cards must show and
never obey: a site file whose row has bidi and other controls in its name and description (a NUL
would make it no text file, refused whole), and
javascript: URLs put into a seeded database's known uses and everyday names.
    python3 hostile_data.py DATABASE SITE_FILE   (DATABASE seeded already; SITE_FILE is written)"""

import sqlite3
import sys

# A site's row whose name, obeyed, reads "rtlexe.png"; an unassigned port of IANA's.
SITE_PORT = 47002
SITE_NAME = "rtl\u202egnp.exe"
SITE_DESCRIPTION = "the \u2067setup\u2069 file\u0007\u009b"
# As pages and cards must show them.
SITE_NAME_SHOWN = "rtl[U+202E]gnp.exe"
SITE_DESCRIPTION_SHOWN = "the [U+2067]setup[U+2069] file[U+0007][U+009B]"
CONTROLS = ("\u202e", "\u2067", "\u2069", "\u0007", "\u009b")

# Apache Kafka's known use of 9092, and the everyday names of 53 (dns), get javascript: URLs.
KNOWN_USE_PORT = 9092
KNOWN_USE_VENDOR = "Apache Software Foundation"
EVERYDAY_NAME_PORT = 53


def prepare(database, site_file):
    with open(site_file, "w", encoding="utf-8") as f:
        f.write("Service Name,Port Number,Transport Protocol,Description\n")
        f.write(f"{SITE_NAME},{SITE_PORT},tcp,{SITE_DESCRIPTION}\n")
    db = sqlite3.connect(database)
    try:
        with db:
            uses = db.execute("UPDATE known_uses SET url = 'javascript:alert(document.domain)' WHERE port_first = ?",
                              (KNOWN_USE_PORT,)).rowcount
            names = db.execute("UPDATE everyday_names SET source = ' JavaScript:alert(1)' WHERE port = ?",
                               (EVERYDAY_NAME_PORT,)).rowcount
    finally:
        db.close()
    if not uses or not names:
        sys.exit(f"hostile_data: {database} has no known use of port {KNOWN_USE_PORT} ({uses}) "
                 f"or no everyday name of port {EVERYDAY_NAME_PORT} ({names}) to give a javascript: URL")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    prepare(sys.argv[1], sys.argv[2])
