# SPDX-License-Identifier: MIT
"""Shared helpers of the gazetteer import: reading the raw sources, cleaning
surfaces, and writing the sorted TSV lists of models/src/gaz.

Developer-only step (the lists are committed; the build never runs this).
Python standard library only."""

import csv
import os
import re
import sys
import unicodedata

# Order of the keys in the extra column, so that lines are stable.
EXTRA_ORDER = ["cc", "pop", "gender", "count", "kind", "office", "start",
               "end", "weak", "case", "plural"]

ENTITY_TYPES = {"PER", "ORG", "LOC", "NORP", "MISC"}
ALL_TYPES = ENTITY_TYPES | {"ROLE", "TITLE", "FIRST", "SURNAME"}


def die(msg):
    sys.stderr.write("import: " + msg + "\n")
    sys.exit(2)


def clean(s):
    """One field: no tabs or newlines, single spaces, NFC, no stray quotes."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u200e", "").replace("\u200f", "").replace("\ufeff", "")
    s = re.sub(r"[\t\r\n\u00a0]+", " ", s)
    s = re.sub(r" {2,}", " ", s)
    return s.strip()


def is_latin(s):
    """True when every letter of s is Latin script (ASCII or with diacritics)."""
    for ch in s:
        if ch.isalpha():
            if ord(ch) < 128:
                continue
            try:
                if "LATIN" not in unicodedata.name(ch):
                    return False
            except ValueError:
                return False
    return True


def fold(s):
    """A loose key for comparing names: no diacritics, lower case, letters
    and digits only, single spaces (hyphens and apostrophes dropped)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("\u2019", "'")
    s = re.sub(r"['\u02bc`]", "", s)
    s = re.sub(r"[^0-9a-z]+", " ", s)
    return s.strip()


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def read_lines(path):
    with open(path, encoding="utf-8-sig") as f:
        return [ln.rstrip("\n").rstrip("\r") for ln in f]


class Out:
    """Collects the lines of every output file; write() sorts them bytewise
    (the order of LC_ALL=C sort) and drops duplicates."""

    def __init__(self):
        self.files = {}
        self.keys = {}

    def add(self, fname, surface, typ, ident="", name="", extra=None,
            key=None):
        surface = clean(surface)
        if not surface:
            return False
        if typ not in ALL_TYPES:
            die("bad type %r" % typ)
        ident = clean(ident)
        name = clean(name)
        parts = []
        for k in EXTRA_ORDER:
            if extra and extra.get(k) not in (None, "", 0, False):
                v = clean(str(extra[k])).replace(";", ",")
                parts.append("%s=%s" % (k, v))
        if extra:
            for k in extra:
                if k not in EXTRA_ORDER:
                    die("unknown extra key %r" % k)
        line = "\t".join([surface, typ, ident, name, ";".join(parts)])
        # One line per (surface, type, id) unless the caller gives a key
        # (ROLE lines: one per office and term).
        k = key if key is not None else (surface, typ, ident)
        seen = self.keys.setdefault(fname, set())
        if (fname, k) in seen:
            return False
        seen.add((fname, k))
        self.files.setdefault(fname, []).append(line)
        return True

    def write(self, outdir, subdirs=None):
        for fname, lines in self.files.items():
            d = os.path.normpath(os.path.join(outdir, (subdirs or {}).get(
                fname, "")))
            os.makedirs(d, exist_ok=True)
            data = sorted(set(ln.encode("utf-8") for ln in lines))
            tmp = os.path.join(d, fname + ".tmp")
            with open(tmp, "wb") as f:
                for ln in data:
                    f.write(ln + b"\n")
            os.replace(tmp, os.path.join(d, fname))


def check(outdir, names, subdirs=None):
    """The checker: validates every line of every list and prints counts
    per file and per type. Returns the number of problems found."""
    problems = 0
    total = 0
    print("%-16s %8s  %s" % ("file", "lines", "per type"))
    for fname in names:
        path = os.path.normpath(os.path.join(outdir, (subdirs or {}).get(
            fname, ""), fname))
        if not os.path.exists(path):
            print("%-16s missing" % fname)
            problems += 1
            continue
        with open(path, "rb") as f:
            raw = f.read()
        lines = raw.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        per = {}
        prev = None
        for i, ln in enumerate(lines, 1):
            where = "%s:%d" % (fname, i)
            try:
                s = ln.decode("utf-8")
            except UnicodeDecodeError:
                print("  %s: not UTF-8" % where)
                problems += 1
                continue
            f5 = s.split("\t")
            if len(f5) != 5:
                print("  %s: %d fields" % (where, len(f5)))
                problems += 1
                continue
            surface, typ, ident, name, extra = f5
            if not surface.strip() or surface != surface.strip():
                print("  %s: empty or padded surface" % where)
                problems += 1
            if typ not in ALL_TYPES:
                print("  %s: bad type %s" % (where, typ))
                problems += 1
            if typ in ENTITY_TYPES or typ == "ROLE":
                if not ident or not name:
                    print("  %s: %s without id or name" % (where, typ))
                    problems += 1
            if extra:
                for kv in extra.split(";"):
                    if "=" not in kv or kv.split("=", 1)[0] not in EXTRA_ORDER:
                        print("  %s: bad extra %r" % (where, kv))
                        problems += 1
            if prev is not None and ln <= prev:
                print("  %s: not sorted or duplicate" % where)
                problems += 1
            prev = ln
            per[typ] = per.get(typ, 0) + 1
        total += len(lines)
        print("%-16s %8d  %s" % (fname, len(lines), " ".join(
            "%s=%d" % (k, per[k]) for k in sorted(per))))
    print("%-16s %8d" % ("total", total))
    return problems


def parse_extra(s):
    out = {}
    s = s.strip()
    if not s:
        return out
    for kv in s.split(";"):
        k, _, v = kv.partition("=")
        out[k.strip()] = v.strip()
    return out


def read_hand(path):
    """A hand-written list: one entity per line,
        type<TAB>id<TAB>canonical name<TAB>extra<TAB>other surfaces
    where other surfaces are separated by " | " (the canonical name is always
    a surface too). '#' starts a comment line; blank lines are skipped."""
    out = []
    for i, ln in enumerate(read_lines(path), 1):
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        p = ln.split("\t")
        while len(p) < 5:
            p.append("")
        if len(p) > 5:
            die("%s:%d: too many fields" % (path, i))
        typ, ident, name, extra, surf = (x.strip() for x in p)
        if not typ or not name:
            die("%s:%d: needs type and name" % (path, i))
        if extra and "=" not in extra:
            die("%s:%d: extra %r is no key=value list" % (path, i, extra))
        surfaces = [name] + [x.strip() for x in surf.split("|") if x.strip()]
        out.append((typ, ident, name, parse_extra(extra), surfaces))
    return out


def read_titles(hand_dir):
    """hand/titles.txt: one title a line, optionally followed by a tab and
    key=value pairs ("Mrs.<TAB>gender=f") -> [(title, extra dict)]."""
    out = []
    for i, ln in enumerate(read_lines(os.path.join(hand_dir, "titles.txt")),
                           1):
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        t, _, extra = ln.partition("\t")
        if extra.strip() and "=" not in extra:
            die("titles.txt:%d: extra %r is no key=value list" % (i, extra))
        out.append((t.strip(), parse_extra(extra)))
    return out
