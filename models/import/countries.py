# SPDX-License-Identifier: MIT
"""Countries and territories (countries.tsv) and their demonyms as NORP
(demonyms.tsv)."""

import json
import os
import re

from common import read_csv, read_hand, read_lines, is_latin, fold, clean


def _dotted(s):
    return ".".join(s) + "."


def _strip_parens(s):
    return clean(re.sub(r"\([^)]*\)", " ", s))


class Countries:
    """cc -> record with the canonical name, the name surfaces and the
    adjectives; plus lookups from any name to its code."""

    def __init__(self, src, lex, hand_dir):
        self.lex = lex
        self.hand_dir = hand_dir
        self.rec = {}
        self.by_name = {}
        cdir = os.path.join(src, "countries")
        with open(os.path.join(cdir, "world-countries_countries.json"),
                  encoding="utf-8") as f:
            wc = json.load(f)
        for c in wc:
            cc = c["cca2"]
            r = self.rec.setdefault(cc, {
                "cc": cc, "name": clean(c["name"]["common"]),
                "independent": bool(c.get("independent")),
                "surfaces": {}, "adjs": [], "capital": c.get("capital") or []})
            self._add(r, c["name"]["common"])
            self._add(r, c["name"]["official"])
            for a in c.get("altSpellings") or []:
                # The bare ISO code is no alias in text; spellings with
                # letters beyond ASCII here are native forms.
                if a == cc or not a.isascii():
                    continue
                # One-word spellings here are mostly native names (Norge,
                # Nippon) or words ("Island" for Iceland); acronyms stay.
                if " " not in a.strip() and "-" not in a and \
                        not re.fullmatch(r"[A-Z]{2,5}", a):
                    continue
                self._add(r, a)
            dem = (c.get("demonyms") or {}).get("eng") or {}
            for g in ("m", "f"):
                for a in (dem.get(g) or "").split(","):
                    a = clean(a)
                    if a and a not in r["adjs"]:
                        r["adjs"].append(a)
        with open(os.path.join(cdir, "i18n-iso-countries_en.json"),
                  encoding="utf-8") as f:
            iso = json.load(f)["countries"]
        for cc, v in iso.items():
            r = self.rec.get(cc)
            if r is None:
                continue
            for a in (v if isinstance(v, list) else [v]):
                self._add(r, a)
        for row in read_csv(os.path.join(cdir, "countries-list_countries.csv")):
            r = self.rec.get(row["Code"])
            if r is not None:
                self._add(r, row["Name"])
        for ln in read_lines(os.path.join(cdir, "geonames_countryInfo.tsv")):
            if ln.startswith("#"):
                continue
            p = ln.split("\t")
            if len(p) > 5 and p[0] in self.rec:
                self._add(self.rec[p[0]], p[4])
                self.rec[p[0]].setdefault("gn_capital", p[5])
        with open(os.path.join(cdir, "i18n-nationality_en.json"),
                  encoding="utf-8") as f:
            nat = json.load(f)["nationalities"]
        for cc, a in nat.items():
            r = self.rec.get(cc)
            if r is None:
                continue
            a = clean(a)
            # The file mixes adjectives with territory names ("Guam",
            # "Cayman Islands") and notes ("Dominican (Dominica)").
            if (not a or any(ch in a for ch in "(),") or " - " in a
                    or fold(a) == fold(r["name"]) or "Island" in a
                    or (fold(a) in {fold(x) for x in r["surfaces"]}
                        and not a.endswith(("i", "an", "ese", "ish", "ic")))):
                continue
            if a not in r["adjs"]:
                r["adjs"].append(a)
        self.extra = []  # hand entities that are not ISO countries
        for typ, ident, name, extra, surfaces in read_hand(
                os.path.join(hand_dir, "countries.txt")):
            cc = ident[4:] if ident.startswith("iso:") else ""
            if cc in self.rec:
                for s in surfaces:
                    self._add(self.rec[cc], s, hand=True)
            else:
                self.extra.append((typ, ident, name, extra, surfaces))
        self.nouns = {}
        for ln in read_lines(os.path.join(hand_dir, "demonyms.txt")):
            if not ln.strip() or ln.startswith("#"):
                continue
            cc, _, forms = ln.partition("\t")
            self.nouns.setdefault(cc.strip(), []).extend(
                x.strip() for x in forms.split("|") if x.strip())
        for cc, r in self.rec.items():
            for s in r["surfaces"]:
                self.by_name.setdefault(fold(s), cc)
        for cc, r in self.rec.items():  # canonical names win
            self.by_name[fold(r["name"])] = cc

    def _add(self, r, s, hand=False):
        s = clean(s)
        if not s or not is_latin(s) or "," in s:
            return
        if "(" in s:
            s = _strip_parens(s)
        if s.lower().startswith("the ") and not hand:
            s = s[4:]
        if len(s) < 2:
            return
        caps = re.fullmatch(r"[A-Z]{2,4}", s) is not None
        flags = {}
        if caps and self.lex.is_word(s):
            # "US": the lower-case form is a word; match this case only.
            flags["case"] = 1
        r["surfaces"].setdefault(s, flags)
        if caps and not hand:
            r["surfaces"].setdefault(_dotted(s), {})

    def code(self, name):
        """ISO code for a country name as the person files write it."""
        if not name:
            return ""
        k = fold(name)
        if k in self.by_name:
            return self.by_name[k]
        k2 = re.sub(r"^(the |republic of |kingdom of )", "", k)
        return self.by_name.get(k2, "")

    def adjectives(self, cc):
        r = self.rec.get(cc)
        return list(r["adjs"]) if r else []

    def emit(self, out):
        for cc, r in sorted(self.rec.items()):
            base = {"cc": cc}
            for s, flags in r["surfaces"].items():
                e = dict(base)
                e.update(flags)
                if self.lex.weak(s, big=True):
                    e["weak"] = 1
                out.add("countries.tsv", s, "LOC", "iso:" + cc, r["name"], e)
        for typ, ident, name, extra, surfaces in self.extra:
            for s in surfaces:
                out.add("countries.tsv", s, typ, ident, name, extra)
        self._emit_demonyms(out)

    def owners_of(self, adj):
        if not hasattr(self, "_owners"):
            self._owners = self._adj_owners()
        return self._owners.get(adj, [])

    def _adj_owners(self):
        owners = {}
        for cc, r in self.rec.items():
            for a in r["adjs"]:
                owners.setdefault(a, []).append(cc)
        for a, ccs in owners.items():
            # "French" is also the adjective of French territories: keep
            # the sovereign country when there is exactly one.
            ind = [c for c in ccs if self.rec[c]["independent"]]
            if len(ind) == 1:
                owners[a] = ind
        return owners

    def _emit_demonyms(self, out):
        owners = self._adj_owners()
        for a, ccs in sorted(owners.items()):
            for cc in ccs:
                r = self.rec[cc]
                out.add("demonyms.tsv", a, "NORP", "iso:" + cc, r["name"],
                        {"cc": cc})
                p = plural(a)
                # The compiler adds "s" to NORP surfaces itself (flagged
                # plural); only plurals its rule does not make are listed.
                if p and p != a + compiler_plural_suffix(a):
                    out.add("demonyms.tsv", p, "NORP", "iso:" + cc,
                            r["name"], {"cc": cc, "plural": 1})
        self._emit_nouns(out)
        self._emit_groups(out)

    def _emit_groups(self, out):
        """Religious, ethnic and political groups (hand/norp.txt)."""
        for typ, ident, name, extra, surfaces in read_hand(
                os.path.join(self.hand_dir, "norp.txt")):
            for s in surfaces:
                # Members of an organization (id of the organization, a
                # Wikidata id) are named by the listed surfaces only: the
                # canonical name is the organization's ("Democratic Party"
                # is no group of people).
                if s == name and re.fullmatch(r"Q[0-9]+", ident):
                    continue
                out.add("demonyms.tsv", s, typ, ident, name, extra)

    def _emit_nouns(self, out):
        for cc, forms in sorted(self.nouns.items()):
            r = self.rec.get(cc)
            if r is None:
                continue
            for f in forms:
                # hand nouns: a plural is marked in the file with "*"
                e = {"cc": cc}
                if f.endswith("*"):
                    f = f[:-1]
                    e["plural"] = 1
                out.add("demonyms.tsv", f, "NORP", "iso:" + cc, r["name"], e)


def compiler_plural_suffix(a):
    """The plural that models/build_gaz.c generates for a NORP surface
    (keep in step with its plural_suffix)."""
    if len(a) < 3 or a.endswith(("s", "x", "z", "sh", "ch", "ese")):
        return "\0"
    return "s"


def plural(a):
    """English plural of a demonym used as a noun, or None when the word
    has none of its own ("Chinese", "Swiss", "French")."""
    if a.endswith(("ese", "ss", "sh", "ch", "x", "z", "s")):
        return None
    if re.search(r"(?:sh|ch|s)man$", a):  # Frenchman, Scotsman; not German
        return a[:-3] + "men"
    return a + "s"
