#!/usr/bin/env python3
"""Copies YANG modules into a form yuma123 netconfd 2.13 can load and
fill, for tools/bench-netconf. Two of its bugs are worked around:

* It cannot `refine` a node that a grouping takes from another grouping
  ("missing refine target"), although RFC 7950 allows it and pyang and
  libyang accept it. Each `uses G;` inside a top-level grouping is
  replaced by G's body: the same schema, in a form yuma123 reads.
* It refuses some valid decimal64 values when the type has a range: with
  fraction-digits 2 and range "0..100", "0.00", "0.05", "0.1" and "0.15"
  are "not in range" while "0", "0.2" and "100.00" are accepted. The
  `range` of every decimal64 type is dropped, so that netconfd takes the
  values chain-agent serves, where the built-in type is restricted and
  where a decimal64 typedef is (yuma123 also fails to read a range such
  as "0.001..600000" on a derived type: "invalid real number"). This
  only widens what netconfd would accept.
* A container with a YANG 1.1 `action` fails as soon as it holds data
  ("add defaults failed": its default-filling code meets an object type
  it does not expect). Actions are operations, not data, and the
  benchmark calls none, so they are dropped.

Nothing else changes.

    yuma-compat.py OUT_DIR MODULE.yang...
"""

import os
import re
import sys


def block_end(text, open_brace):
    """Index just past the `}` closing the `{` at `open_brace`, skipping
    quoted strings and comments."""
    depth = 0
    i = open_brace
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "'":
            i = text.index("'", i + 1)
        elif text.startswith("//", i):
            i = text.index("\n", i)
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise SystemExit("flatten-groupings: unbalanced braces")


GROUPING = re.compile(r"^  grouping ([\w.-]+) \{", re.M)
DESCRIPTION = re.compile(r'\A\s*description\s*(".*?(?<!\\)"|\'.*?\')\s*;\s*\n', re.S)


def groupings(text):
    """{name: (start, end, body)} of the module's top-level groupings."""
    found = {}
    for match in GROUPING.finditer(text):
        open_brace = match.end() - 1
        end = block_end(text, open_brace)
        found[match.group(1)] = (match.start(), end, text[open_brace + 1 : end - 1])
    return found


def flatten(text):
    while True:
        defined = groupings(text)
        # Last grouping first, so that earlier offsets stay valid.
        for start, end, _ in sorted(defined.values(), key=lambda item: -item[0]):
            inner = re.search(r"^( *)uses ([\w.-]+);\n", text[start:end], re.M)
            if inner is None or inner.group(2) not in defined:
                continue
            body = DESCRIPTION.sub("", defined[inner.group(2)][2].lstrip("\n"), count=1)
            # The body sits 4 spaces inside its grouping; move it to the
            # indentation of the `uses`.
            indent = inner.group(1)
            lines = [indent + line[4:] if line.strip() else "" for line in body.rstrip().splitlines()]
            text = text[: start + inner.start()] + "\n".join(lines) + "\n" + text[start + inner.end() :]
            break
        else:
            return text


RANGE = re.compile(r"\n *range (\"[^\"]*\"|'[^']*'|[^;\s]+);")
TYPEDEF_DECIMAL64 = re.compile(r"\n *typedef ([\w.-]+) \{\s*type decimal64\b")


def decimal64_typedefs(texts):
    """Names of the typedefs (in any of the modules) that are decimal64."""
    return sorted({m.group(1) for text in texts for m in TYPEDEF_DECIMAL64.finditer(text)})


def drop_decimal64_ranges(text, typedefs=()):
    """Drop the `range` of decimal64 types: the built-in type, and the
    typedefs that are decimal64 restricted where they are used
    (`type ca-types:milliseconds { range "0.001..600000"; }`)."""
    names = "|".join(["decimal64"] + [r"(?:[\w.-]+:)?" + re.escape(t) for t in typedefs])
    decimal64 = re.compile(r"type (?:" + names + r") \{")
    out = []
    at = 0
    for match in decimal64.finditer(text):
        if match.start() < at:
            continue
        end = block_end(text, match.end() - 1)
        out.append(text[at : match.start()])
        out.append(RANGE.sub("", text[match.start() : end]))
        at = end
    out.append(text[at:])
    return "".join(out)


ACTION = re.compile(r"\n( *)action [\w.-]+ \{")


def drop_actions(text):
    while True:
        match = ACTION.search(text)
        if match is None:
            return text
        end = block_end(text, match.end() - 1)
        text = text[: match.start()] + text[end:]


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    texts = {}
    for path in sys.argv[2:]:
        with open(path) as handle:
            texts[path] = handle.read()
    typedefs = decimal64_typedefs(texts.values())
    for path, text in texts.items():
        with open(os.path.join(out_dir, os.path.basename(path)), "w") as handle:
            handle.write(drop_actions(drop_decimal64_ranges(flatten(text), typedefs)))


if __name__ == "__main__":
    main()
