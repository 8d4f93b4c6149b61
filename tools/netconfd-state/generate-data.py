#!/usr/bin/env python3
"""Generates instance data for YANG modules, for tools/bench-netconf.

Used only when chain-agent cannot give its own data (no NETCONF server in
the build): netconfd then holds data of the same modules, with list
lengths given by the caller, and made-up but valid values.

    generate-data.py --path DIR[:DIR] --counts counts.json \
        --config config.xml --full full.xml MODULE.yang...

counts.json maps a list's schema path without prefixes
("/chains/chain/nodes/node") to the number of entries in each parent;
lists not named there get one entry. config.xml holds the configuration
nodes only (a startup file); full.xml holds configuration and state (for
the bench-state SIL). Every list path and its count is printed on stderr.

Values follow the leaf's type: the first enum, the low end of a range, a
string that matches the type's patterns (tried from a small set of
candidates), and unique keys per list. A mandatory leafref names the
first entry of the list it refers to; optional leafrefs are left out.
Actions, RPCs and notifications are not data.
"""

import argparse
import json
import re
import sys
from xml.sax.saxutils import escape

from pyang import context, error, repository

DATA_KEYWORDS = {"container", "list", "leaf", "leaf-list", "choice", "case"}
NC_BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"
TIME = "2026-11-21T12:00:00Z"


def base_type(type_stmt):
    """The built-in type under a chain of typedefs, with every pattern,
    length, range, enum and fraction-digits met on the way."""
    facts = {"patterns": [], "length": None, "range": None, "enums": None, "fraction": None,
             "union": None, "leafref": False, "typedefs": []}
    while type_stmt is not None:
        for pattern in type_stmt.search("pattern"):
            facts["patterns"].append(pattern.arg)
        for key, keyword in (("length", "length"), ("range", "range")):
            found = type_stmt.search_one(keyword)
            if found is not None and facts[key] is None:
                facts[key] = found.arg
        enums = type_stmt.search("enum")
        if enums and facts["enums"] is None:
            facts["enums"] = [enum.arg for enum in enums]
        fraction = type_stmt.search_one("fraction-digits")
        if fraction is not None:
            facts["fraction"] = int(fraction.arg)
        if type_stmt.arg == "union":
            facts["union"] = type_stmt.search("type")
        if type_stmt.arg == "leafref":
            facts["leafref"] = True
        typedef = getattr(type_stmt, "i_typedef", None)
        if typedef is None:
            return type_stmt.arg.split(":")[-1], facts
        facts["typedefs"].append(typedef.arg)
        type_stmt = typedef.search_one("type")
    return "string", facts


def low_end(range_arg, default):
    if not range_arg:
        return default
    first = range_arg.split("|")[0].split("..")[0].strip()
    if first in ("min", "max"):
        return default
    try:
        return float(first) if "." in first else int(first)
    except ValueError:
        return default


def length_ok(value, length_arg):
    if not length_arg:
        return True
    for part in length_arg.split("|"):
        bounds = [b.strip() for b in part.split("..")]
        low = 0 if bounds[0] == "min" else int(bounds[0])
        high = bounds[-1]
        high = 1 << 62 if high == "max" else int(high)
        if low <= len(value) <= high:
            return True
    return False


def string_value(name, index, facts):
    candidates = [f"{name}-{index}", f"{name}{index}", str(index + 1), TIME,
                  f"0x{index + 1:064x}", "00:11:22:33:44:55", "1.3.6.1.4.1", "127.0.0.1:830",
                  f"{index + 1:02x}", "a"]
    for candidate in candidates:
        if not length_ok(candidate, facts["length"]):
            continue
        if all(re.fullmatch(pattern, candidate) for pattern in facts["patterns"]):
            return candidate
    raise SystemExit(f"generate-data: no value for {name} matches {facts['patterns']}")


def value(leaf, index, type_stmt=None):
    """A valid value for `leaf`; `index` makes keys unique."""
    type_stmt = type_stmt if type_stmt is not None else leaf.search_one("type")
    base, facts = base_type(type_stmt)
    if facts["union"]:
        return value(leaf, index, facts["union"][0])
    if base == "enumeration":
        return facts["enums"][index % len(facts["enums"])]
    if base == "boolean":
        return "true"
    if base == "empty":
        return ""
    if base in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"):
        return str(int(low_end(facts["range"], 0)) + index)
    if base == "decimal64":
        low = low_end(facts["range"], 0)
        return f"{float(low) + index:.{facts['fraction'] or 1}f}"
    if "date-and-time" in facts["typedefs"]:
        return TIME
    return string_value(leaf.arg, index, facts)


def mandatory(leaf):
    found = leaf.search_one("mandatory")
    return found is not None and found.arg == "true"


class Generator:
    def __init__(self, ctx, counts):
        self.ctx = ctx
        self.counts = counts
        self.seen = {}

    def namespace(self, node):
        """The namespace of the module that defines `node` (for an
        augmented node, the augmenting module's)."""
        module = self.ctx.get_module(node.i_module.i_modulename)
        return module.search_one("namespace").arg

    def children(self, node, path, namespace, index, config_only, out, depth):
        for child in node.i_children:
            if child.keyword in ("choice",):
                cases = [case for case in child.i_children]
                if cases:
                    self.children(cases[0], path, namespace, index, config_only, out, depth)
                continue
            if child.keyword == "case":
                self.children(child, path, namespace, index, config_only, out, depth)
                continue
            if child.keyword not in DATA_KEYWORDS:
                continue
            self.node(child, path, namespace, index, config_only, out, depth)

    def node(self, node, path, parent_ns, index, config_only, out, depth):
        if config_only and not node.i_config:
            return
        ns = self.namespace(node)
        xmlns = f' xmlns="{ns}"' if ns != parent_ns else ""
        my_path = f"{path}/{node.arg}"
        pad = "  " * depth
        if node.keyword == "leaf":
            _, facts = base_type(node.search_one("type"))
            if facts["leafref"]:
                target = getattr(node, "i_leafref_ptr", None)
                if not mandatory(node) or target is None:
                    return
                # Entry 0 of the referenced list always exists.
                text = value(target[0], 0)
            else:
                text = value(node, index)
            out.append(f"{pad}<{node.arg}{xmlns}>{escape(text)}</{node.arg}>")
        elif node.keyword == "leaf-list":
            out.append(f"{pad}<{node.arg}{xmlns}>{escape(value(node, index))}</{node.arg}>")
        elif node.keyword == "container":
            inner = []
            self.children(node, my_path, ns, index, config_only, inner, depth + 1)
            if inner or node.search_one("presence") is not None:
                out.append(f"{pad}<{node.arg}{xmlns}>")
                out.extend(inner)
                out.append(f"{pad}</{node.arg}>")
        elif node.keyword == "list":
            count = self.counts.get(my_path, 1)
            self.seen[my_path] = count
            keys = (node.search_one("key").arg.split() if node.search_one("key") else [])
            for entry in range(count):
                out.append(f"{pad}<{node.arg}{xmlns}>")
                # Keys first, as RFC 7950 §7.8.5 requires in XML.
                for key in keys:
                    leaf = node.search_one("leaf", key) or next(
                        c for c in node.i_children if c.arg == key)
                    out.append(f"{pad}  <{key}>{escape(value(leaf, entry))}</{key}>")
                inner = []
                for child in node.i_children:
                    if child.arg in keys:
                        continue
                    if child.keyword in ("choice", "case"):
                        self.children(child, my_path, ns, entry, config_only, inner, depth + 1)
                    elif child.keyword in DATA_KEYWORDS:
                        self.node(child, my_path, ns, entry, config_only, inner, depth + 1)
                out.extend(inner)
                out.append(f"{pad}</{node.arg}>")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", required=True)
    parser.add_argument("--counts", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--full", required=True)
    parser.add_argument("modules", nargs="+")
    args = parser.parse_args()

    repo = repository.FileRepository(args.path, use_env=False)
    ctx = context.Context(repo)
    modules = []
    for filename in args.modules:
        with open(filename) as handle:
            module = ctx.add_module(filename, handle.read())
        if module is None:
            raise SystemExit(f"generate-data: cannot parse {filename}")
        modules.append(module)
    ctx.validate()
    fatal = [e for e in ctx.errors if error.is_error(error.err_level(e[1]))]
    for position, tag, details in fatal:
        print(f"generate-data: {position}: {error.err_to_str(tag, details)}", file=sys.stderr)
    if fatal:
        raise SystemExit("generate-data: the modules have errors")
    with open(args.counts) as handle:
        counts = json.load(handle)
    generator = Generator(ctx, counts)
    for target, config_only in ((args.config, True), (args.full, False)):
        out = [f'<?xml version="1.0" encoding="UTF-8"?>', f'<config xmlns="{NC_BASE}">']
        for module in modules:
            for node in module.i_children:
                if node.keyword in DATA_KEYWORDS:
                    generator.node(node, "", NC_BASE, 0, config_only, out, 1)
        out.append("</config>")
        with open(target, "w") as handle:
            handle.write("\n".join(out) + "\n")
    for path, count in sorted(generator.seen.items()):
        print(f"generate-data: {path}: {count} per parent", file=sys.stderr)


if __name__ == "__main__":
    main()
