# SPDX-License-Identifier: MIT
"""First names (firstnames.tsv, FIRST lines with a gender hint and a count)
and surnames (surnames.tsv, SURNAME lines), evidence for people who are in
no list."""

import os
import re

from common import read_csv, read_lines, clean, fold, is_latin

# SSA names given to at least this many US babies in their best year.
SSA_MIN = 200
# A name is m or f when that sex has at least this share of its SSA
# count; otherwise u (Jordan, Taylor, Jean).
GENDER_SHARE = 0.9
# Surnames of former members of Congress that at least this many bore.
CONGRESS_SURNAME_MIN = 2


def _name_ok(s):
    return bool(s) and is_latin(s) and len(s) >= 2 and \
        re.fullmatch(r"[^\W\d_][\w'\u2019.-]*(?: [^\W\d_][\w'\u2019.-]*)?", s) \
        is not None


def emit(out, src, lex, hand_dir):
    ndir = os.path.join(src, "names")
    first = {}  # display form -> {"m": count, "f": count, "src": set}

    def add(name, g, n, source):
        name = clean(name)
        if not _name_ok(name):
            return
        if name.isupper() or name.islower():
            name = name.capitalize()
        r = first.setdefault(name, {"m": 0, "f": 0, "hint": set()})
        if n:
            r[g] += n
        else:
            r["hint"].add(g)

    for ln in read_lines(os.path.join(ndir, "ssa_maxoccurbysex.txt")):
        p = ln.split(",")
        if len(p) >= 3 and p[2].isdigit() and int(p[2]) >= SSA_MIN:
            add(p[0], "f" if p[1] == "F" else "m", int(p[2]), "ssa")
    for f, g in (("stdlib_female-first-names-en.txt", "f"),
                 ("stdlib_male-first-names-en.txt", "m")):
        for ln in read_lines(os.path.join(ndir, f)):
            add(ln, g, 0, "stdlib")
    for r in read_csv(os.path.join(ndir,
                                   "sigpwned_common-forenames-by-country.csv")):
        g = {"M": "m", "F": "f"}.get(r.get("Gender", ""), "")
        if g:
            add(r.get("Romanized Name") or "", g, 0, "sigpwned")
    for name, r in first.items():
        total = r["m"] + r["f"]
        if total:
            if r["m"] >= GENDER_SHARE * total:
                g = "m"
            elif r["f"] >= GENDER_SHARE * total:
                g = "f"
            else:
                g = "u"
        else:
            g = r["hint"].pop() if len(r["hint"]) == 1 else "u"
        e = {"gender": g, "count": total}
        if lex.is_word(name, name_part=True):
            e["weak"] = 1  # Will, Mark, Hope, Rose
        out.add("firstnames.tsv", name, "FIRST", "", "", e)

    sur = {}
    for r in read_csv(os.path.join(ndir,
                                   "sigpwned_common-surnames-by-country.csv")):
        n = clean(r.get("Romanized Name") or "")
        c = r.get("Count") or ""
        if _name_ok(n):
            sur[n] = max(sur.get(n, 0), int(c) if c.isdigit() else 0)
    cnt = {}
    for r in read_csv(os.path.join(
            src, "persons/us-congress/legislators-historical.csv")):
        n = clean(r["last_name"])
        if _name_ok(n):
            cnt[n] = cnt.get(n, 0) + 1
    for n, c in cnt.items():
        if c >= CONGRESS_SURNAME_MIN:
            sur.setdefault(n, 0)
    for n, c in sur.items():
        e = {"count": c}
        if lex.is_word(n, name_part=True):
            e["weak"] = 1
        out.add("surnames.tsv", n, "SURNAME", "", "", e)
