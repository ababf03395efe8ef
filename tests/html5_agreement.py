#!/usr/bin/python3
"""The page scanner's visible text against an independent HTML5 parser.

Runs html5lib (python3-html5lib, a pure-Python implementation of HTML's
tokenizer and tree builder) and netwarden's scanner (through
build/tests/scanned_text) on every HTML page of some Debian documentation
packages (real pages, English and Chinese), and counts the pages on which
both give the same text.

"Visible text" is what the scanner's ScannedPage::text holds, taken from
html5lib's tree the same way: the text of every node, in document order,
except comments and the content of script, style, template, noscript
(scripting on), noframes, noembed, iframe and title (in SVG and MathML
only script and style: an SVG <title> or <iframe> is an ordinary element); a space at the start and end of each block
element, the list read from probes/content/html_tags.cc; then both texts
are put in the scanner's normal form by scanned_text --normalise
(whitespace runs collapsed to one space, none at either end). Encodings
as html5lib detects them (byte order mark, <meta> prescan), except that a
page declaring none is read as UTF-8 when it is valid UTF-8, as the
scanner reads it.

    tests/html5_agreement.py --scanned-text build/tests/scanned_text [--min 99.5] [--generated N] [-v]

Then the same on --generated pages made of random sequences of the
constructs the scanner's rules are about (FRAGMENTS), with a fixed seed.

Exits 1 when either agreement is below --min percent, or when fewer than
--min-pages pages were found (the corpus packages are missing: run
scripts/setup.sh).
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

import html5lib

PACKAGES = [
    "debian-reference-en",
    "debian-reference-zh-cn",
    "debian-faq-zh-cn",
    "maint-guide-zh-cn",
    "debian-policy",
    "developers-reference",
    "lintian",
]
HTML_NS = "http://www.w3.org/1999/xhtml"
HIDDEN = {"script", "style", "template", "noscript", "noframes", "noembed", "iframe", "title"}
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def block_elements():
    with open(os.path.join(SOURCE_DIR, "probes/content/html_tags.cc"), encoding="utf-8") as f:
        table = f.read()
    rows = re.findall(r'\{"([a-z0-9]+)", \{Element::\w+, ([^}]*)\}\}', table)
    return {name for name, flags in rows if "kBlock" in flags}


def pages(packages):
    listing = subprocess.run(["dpkg-query", "-L", *packages], capture_output=True, text=True, check=False)
    paths = [line for line in listing.stdout.splitlines() if re.search(r"\.html?$", line)]
    return sorted(p for p in set(paths) if os.path.isfile(p))


# Pieces of the markup whose rules decide visibility, for generated pages
# that put them in orders real pages rarely do. Tables and <select> are
# left out: the scanner builds no tree, so it does not move text out of a
# table (foster parenting) or drop tags a <select> ignores.
FRAGMENTS = [
    "a", "b ", "中文", " ", "\n", "--", ">", "-", "!", "<", "]]>",
    "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<span>", "</span>", "<li>", "<br/>", "<img alt=x>",
    "<a href='x&copy=1'>", "</a>", "<option>",
    "<!--", "-->", "--!>", "<!-->", "<!--->", "<!x>", "<?x>", "</ x>", "</>", "<![CDATA[",
    "<script>", "</script>", "<!-- <script>", "</script -->", "<style>", "</style>",
    "<template>", "</template>", "<noscript>", "</noscript>", "<noframes>", "</noframes>",
    "<noembed>", "</noembed>", "<iframe>", "</iframe>", "<textarea>", "</textarea>",
    "<title>", "</title>", "<xmp>", "</xmp>", "<svg>", "</svg>", "<math>", "</math>",
    "&amp", "&nbsp;", "&copy2", "&#150;", "&#x80;", "&notit;", "&lt",
]  # fmt: skip


def generated_pages(directory, count, seed):
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        body = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 12)))
        path = os.path.join(directory, f"{i}.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html><meta charset=utf-8><body>" + body)
        paths.append(path)
    return paths


def html5lib_text(path, blocks):
    with open(path, "rb") as f:
        body = f.read()
    # A page that declares no encoding is read as UTF-8 when it is valid
    # UTF-8, as the scanner reads it (charset.h) and browsers' detectors do;
    # html5lib would otherwise fall back to windows-1252.
    try:
        body.decode("utf-8")
        likely = "utf-8"
    except UnicodeDecodeError:
        likely = None
    root = html5lib.parse(body, treebuilder="etree", scripting=True, useChardet=False, likely_encoding=likely)
    out = []

    def walk(element):
        if not isinstance(element.tag, str):  # a comment
            return
        namespace, _, name = element.tag[1:].partition("}")
        block = name in blocks
        if block:
            out.append(" ")
        if not (name in HIDDEN and (namespace == HTML_NS or name in ("script", "style"))):
            out.append(element.text or "")
            for child in element:
                walk(child)
                out.append(child.tail or "")
        if block:
            out.append(" ")

    walk(root)
    return "".join(out).replace("\0", "")


def run(tool, args, stdin=None):
    done = subprocess.run([tool, *args], input=stdin, capture_output=True, check=True)
    return done.stdout.decode("utf-8", "replace").split("\0")[:-1]


def first_difference(a, b):
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    return i, a[max(0, i - 60) : i + 60], b[max(0, i - 60) : i + 60]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scanned-text", required=True, help="the scanned_text binary")
    parser.add_argument("--min", type=float, default=99.5, help="lowest agreement in percent that passes")
    parser.add_argument("--min-pages", type=int, default=200)
    parser.add_argument("--generated", type=int, default=2000, help="generated pages to compare as well")
    parser.add_argument("-v", "--verbose", action="store_true", help="show where each differing page differs")
    args = parser.parse_args()

    paths = pages(PACKAGES)
    if len(paths) < args.min_pages:
        print(f"only {len(paths)} pages found in {', '.join(PACKAGES)}: run scripts/setup.sh", file=sys.stderr)
        return 1
    blocks = block_elements()
    real = agreement("real pages", paths, blocks, args)
    with tempfile.TemporaryDirectory() as directory:
        generated = agreement("generated pages", generated_pages(directory, args.generated, 13), blocks, args)
    return 0 if real >= args.min and generated >= args.min else 1


def agreement(what, paths, blocks, args):
    ours = run(args.scanned_text, paths)
    theirs_raw = "\0".join(html5lib_text(p, blocks) for p in paths) + "\0"
    theirs = run(args.scanned_text, ["--normalise"], theirs_raw.encode("utf-8"))
    differing = [(p, a, b) for p, a, b in zip(paths, ours, theirs) if a != b]
    for path, a, b in differing:
        print(f"differs: {path}")
        if args.verbose:
            with open(path, encoding="utf-8", errors="replace") as f:
                print(f"  page: {f.read(300)!r}")
            at, mine, other = first_difference(a, b)
            print(f"  at {at}\n  scanner: {mine!r}\n  html5lib: {other!r}")
    percent = 100.0 * (len(paths) - len(differing)) / len(paths)
    print(f"{what}: identical text on {len(paths) - len(differing)} of {len(paths)}: {percent:.2f} %")
    return percent


if __name__ == "__main__":
    sys.exit(main())
