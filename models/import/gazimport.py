#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rewrites models/src/gaz/*.tsv from the raw gazetteer sources in
$SHARED/data/gazetteer-src and the hand-written lists in models/import/hand,
then checks the lists and prints counts per file and type.

    python3 models/import/gazimport.py [--src DIR] [--out DIR]

Developer-only (the lists are committed; the build never runs it).
Python standard library only, plus an English word list at
/usr/share/dict/words (Debian package wamerican) for the weak marks."""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from common import Out, check, read_titles  # noqa: E402
from countries import Countries  # noqa: E402
from lexicon import Lexicon  # noqa: E402
from orgs import Orgs  # noqa: E402
from people import People  # noqa: E402
import places  # noqa: E402
import roles  # noqa: E402
import names  # noqa: E402

FILES = ["countries.tsv", "demonyms.tsv", "regions.tsv", "landmarks.tsv",
         "cities.tsv",
         "people.tsv", "orgs.tsv", "roles.tsv", "titles.tsv",
         "firstnames.tsv", "surnames.tsv"]
# Lists whose type the compiler does not read yet are written beside the
# gazetteer folder, not in it (SURNAME: see models/src/gaz/README.md).
PENDING = {"surnames.tsv": os.path.join("..", "gaz-pending")}


def main():
    shared = os.environ.get("SHARED", os.path.join(HERE, "..", "..", "..",
                                                   "shared"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=os.path.join(shared, "data",
                                                  "gazetteer-src"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", "src", "gaz"))
    ap.add_argument("--check-only", action="store_true")
    a = ap.parse_args()
    out_dir = os.path.normpath(a.out)
    if not a.check_only:
        src = os.path.normpath(a.src)
        if not os.path.isdir(src):
            sys.exit("import: no gazetteer sources at %s (set SHARED)" % src)
        hand = os.path.join(HERE, "hand")
        lex = Lexicon(src)
        countries = Countries(src, lex, hand)
        out = Out()
        countries.emit(out)
        titles = [t for t, _ in read_titles(hand)]
        cities = places.Places(src, lex, countries, hand, titles)
        cities.emit(out)
        people = People(src, countries, hand)
        people.emit(out)
        Orgs(src, lex, countries, hand, cities.folded_names(),
             titles).emit(out)
        roles.emit(out, people, countries, hand, cities.folded_names())
        names.emit(out, src, lex, hand)
        out.write(out_dir, PENDING)
    present = [f for f in FILES if os.path.exists(os.path.join(
        out_dir, PENDING.get(f, ""), f))]
    bad = check(out_dir, present, PENDING)
    if bad:
        sys.exit("import: %d problems in the lists" % bad)


if __name__ == "__main__":
    main()
