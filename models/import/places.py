# SPDX-License-Identifier: MIT
"""Cities (cities.tsv, GeoNames cities15000) and regions (regions.tsv,
hand-written: US states, provinces, regions named in the news)."""

import os

from common import read_hand, read_lines, clean, fold

# Cities of at least this population, plus every national capital.
CITY_POP_MIN = 100000
# A city this big (or a capital) is "big": only a common first name makes
# its name weak ("Jackson" is weak, "Houston" is not).
BIG_POP = 1000000


def edit_distance(a, b, cap=3):
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1,
                           prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class Places:
    def __init__(self, src, lex, countries, hand_dir, titles=()):
        self.lex = lex
        self.titles = {fold(t) for t in titles}
        self.countries = countries
        self.hand_dir = hand_dir
        self.all_names = set()
        self.cities = []
        path = os.path.join(src, "cities/geonames_cities15000.txt")
        for ln in read_lines(path):
            p = ln.split("\t")
            if len(p) < 19:
                continue
            gid, name, ascii_, alts = p[0], clean(p[1]), clean(p[2]), p[3]
            code, cc = p[7], p[8]
            pop = int(p[14]) if p[14].isdigit() else 0
            self.all_names.add(fold(name))
            if pop < CITY_POP_MIN and code != "PPLC":
                continue
            self.cities.append((gid, name, ascii_, alts, code, cc, pop))
        self.regions = read_hand(os.path.join(hand_dir, "regions.txt"))
        self.exonyms = read_hand(os.path.join(hand_dir, "cities.txt"))
        self.landmarks = read_hand(os.path.join(hand_dir, "landmarks.txt"))

    def folded_names(self):
        s = set(self.all_names)
        for typ, ident, name, extra, surfaces in self.regions + \
                self.landmarks:
            s.update(fold(x) for x in surfaces)
        return s

    def emit(self, out):
        # hand/cities.txt names a city as city:CC:Name (the most populous
        # city of that name in that country).
        best = {}
        for c in self.cities:
            k = "city:%s:%s" % (c[5], c[1])
            if k not in best or best[k][6] < c[6]:
                best[k] = c
        extra_names = {}
        for typ, ident, name, extra, surfaces in self.exonyms:
            c = best.get(ident)
            if c is None:
                raise SystemExit("import: hand/cities.txt: no city %s" % ident)
            extra_names.setdefault("geonames:" + c[0], []).extend(
                x for x in surfaces if x != name)
        for gid, name, ascii_, alts, code, cc, pop in self.cities:
            big = pop >= BIG_POP or code == "PPLC"
            forms = [name]
            if ascii_ and ascii_ != name:
                forms.append(ascii_)
            forms += extra_names.get("geonames:" + gid, [])
            for f in forms:
                e = {"cc": cc, "pop": pop}
                if self.lex.weak(f, big=big):
                    e["weak"] = 1
                out.add("cities.tsv", f, "LOC", "geonames:" + gid, name, e)
        for typ, ident, name, extra, surfaces in self.regions:
            for s in surfaces:
                e = dict(extra)
                if self.lex.weak(s, big=True) or self.abbr_weak(s):
                    e["weak"] = 1
                out.add("regions.tsv", s, typ, ident, name, e)
        for typ, ident, name, extra, surfaces in self.landmarks:
            for s in surfaces:
                e = dict(extra)
                if self.lex.weak(s):
                    e["weak"] = 1  # "Maidan", "Guantanamo": also words or names
                out.add("landmarks.tsv", s, typ, ident, name, e)

    def abbr_weak(self, s):
        """An abbreviation written with a period and small letters
        ("Miss.", "Pa.") loses the period in the tagger's key: it is weak
        when its letters are a word, a name or a title ("Miss", "Mass",
        "Ore", "Mo") or at most two letters (which are also codes and
        other abbreviations: "Pa", "Va", "La")."""
        if not s.endswith(".") or " " in s or s.upper() == s:
            return False
        letters = s.replace(".", "")
        return len(letters) <= 2 or fold(letters) in self.titles or \
            self.lex.weak(letters) or self.lex.is_word(letters, True)
