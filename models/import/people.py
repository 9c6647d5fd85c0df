# SPDX-License-Identifier: MIT
"""People (people.tsv) from the Wikidata-derived office-holder files and
the US Congress / executive data; also collects the offices they held, for
roles.tsv."""

import glob
import os
import re

import yamlmini
from common import read_csv, read_hand, clean, fold, is_latin

# Cabinet rows count when the office was held in or after this year (or is
# still held): older office holders are rarely in the news.
RECENT_YEAR = 2000
# Former members of Congress born in or after this year are kept.
CONGRESS_BORN_MIN = "1930"

# The cabinet files are named after their repository; the country each
# covers (ISO 3166-1 alpha-2).
CABINET_CC = {
    "afghanistan": "AF", "australia-cabinet": "AU", "belarus-ministers": "BY",
    "brazil-ministers": "BR", "canada-cabinet": "CA", "china-ministers": "CN",
    "egypt-ministers": "EG", "france-cabinet": "FR", "greece-cabinet": "GR",
    "hong-kong": "HK", "india-ministers": "IN", "indonesia-ministers": "ID",
    "iran-ministers": "IR", "iraq-ministers": "IQ", "israel-ministers": "IL",
    "italy-ministers": "IT", "japan-ministers": "JP", "kenya": "KE",
    "mexico-ministers": "MX", "nigeria": "NG", "north-korea": "KP",
    "pakistan-ministers": "PK", "philippines-ministers": "PH",
    "poland-cabinet": "PL", "russia-cabinet": "RU", "saudi-ministers": "SA",
    "singapore-ministers": "SG", "south-africa-cabinet": "ZA",
    "south-korea-ministers": "KR", "spain-ministers": "ES",
    "sweden-cabinet": "SE", "syria": "SY", "taiwan": "TW",
    "turkey-ministers": "TR", "uae-ministers": "AE", "ukraine-cabinet": "UA",
    "united-kingdom-cabinet": "GB", "us-cabinet": "US", "venezuela": "VE",
    "vietnam": "VN",
}

SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
QID = re.compile(r"^Q[0-9]+$")


def year(d):
    d = (d or "").strip()
    return int(d[:4]) if len(d) >= 4 and d[:4].isdigit() else None


def good_label(s):
    """A usable person label: Latin script, no digits, not a bare QID."""
    s = clean(re.sub(r"\s*\([^)]*\)", "", s or ""))
    if not s or QID.match(s) or re.search(r"[0-9]", s) or not is_latin(s):
        return ""
    if "," in s or len(s) < 3:
        return ""
    return s


class People:
    def __init__(self, src, countries, hand_dir):
        self.src = src
        self.countries = countries
        self.p = {}        # id -> person
        self.offices = []  # (id, office label, cc, start, end, kind)
        self.hand_dir = hand_dir
        self._load()

    def person(self, ident, label, cc="", gender=""):
        r = self.p.get(ident)
        if r is None:
            r = self.p[ident] = {"id": ident, "name": label, "labels": [],
                                 "variants": [], "cc": cc, "gender": gender}
        if label and label not in r["labels"]:
            r["labels"].append(label)
        if not r["name"]:
            r["name"] = label
        if cc and not r["cc"]:
            r["cc"] = cc
        if gender and not r["gender"]:
            r["gender"] = gender
        return r

    def _load(self):
        pdir = os.path.join(self.src, "persons")
        # Labels from the older crawl fill the bare QIDs of the newer one
        # (the README lists them); hand/people.txt has the few left.
        labels = {}
        old = read_csv(os.path.join(pdir,
                                    "epscrapers_world-leaders_wikidata_2022.csv"))
        for r in old:
            if good_label(r["officeholderLabel"]):
                labels[r["officeholder"]] = good_label(r["officeholderLabel"])
        hand = read_hand(os.path.join(self.hand_dir, "people.txt"))
        for typ, ident, name, extra, surfaces in hand:
            labels.setdefault(ident, name)
        new = read_csv(os.path.join(pdir, "epscrapers_world-leaders_wikidata.csv"))
        # Rank: how recent the source is (2025-26 crawl, congress and
        # executive 3; 2023 crawl 2; 2022 crawls 1); the newest says how
        # a term ended.
        for rows, rank in ((new, 3), (old, 1)):
            for r in rows:
                q = r["officeholder"]
                lab = good_label(r["officeholderLabel"]) or labels.get(q, "")
                if not QID.match(q) or not lab:
                    continue
                cc = self.countries.code(r["country"])
                self.person(q, lab, cc)
                self.offices.append((q, clean(r["positionLabel"]), cc,
                                     r["start_year"], r["end_year"], "leader",
                                     rank))
        for r in read_csv(os.path.join(pdir,
                                       "epscrapers_foreign-ministers_wikidata.csv")):
            q, lab = r["person"], good_label(r["name"])
            if not QID.match(q) or not lab:
                continue
            cc = self.countries.code(r["countryLabel"])
            self.person(q, lab, cc)
            self.offices.append((q, clean(r["positionLabel"]), cc, r["start"],
                                 "", "foreign", 1))
        for r in read_csv(os.path.join(pdir,
                                       "epscrapers_intl-org-officeholders_current.csv")):
            q, lab = r["personID"], good_label(r["person"])
            if not QID.match(q) or not lab:
                continue
            self.person(q, lab)
            self.offices.append((q, clean(r["position"]), "", r["start"],
                                 r["end"], "intl", 2))
        for path in sorted(glob.glob(os.path.join(pdir, "cabinets", "*.csv"))):
            base = os.path.basename(path)[:-4]
            cc = CABINET_CC.get(base, "")
            for r in read_csv(path):
                q, lab = r["personID"], good_label(r["person"])
                if not QID.match(q) or not lab:
                    continue
                end = year(r.get("end"))
                if end is not None and end < RECENT_YEAR:
                    continue
                g = {"male": "m", "female": "f"}.get(
                    (r.get("gender") or "").strip().lower(), "")
                self.person(q, lab, cc, g)
                self.offices.append((q, clean(r["position"]), cc, r["start"],
                                     r["end"], "cabinet", 1))
        for typ, ident, name, extra, surfaces in hand:
            r = self.person(ident, name, extra.get("cc", ""),
                            extra.get("gender", ""))
            for s in surfaces:
                if s not in r["labels"]:
                    r["labels"].append(s)
            # An office of an international body (hand list: heads of the
            # EU institutions), with its term.
            if extra.get("office"):
                self.offices.append((ident, extra["office"], "",
                                     extra.get("start", ""),
                                     extra.get("end", ""), "intl", 3))
        self._congress(pdir)

    def _us_index(self):
        """Indexes of US people with a QID, for linking congress and
        executive records that carry none: exact folded names (labels and
        variants), and "first last" of two-word labels only (so that
        "George Bush" does not take "George W. Bush")."""
        exact, loose = {}, {}
        for q, r in self.p.items():
            if r["cc"] != "US" or not QID.match(q):
                continue
            for lab in r["labels"] + r["variants"]:
                exact.setdefault(fold(lab), set()).add(q)
                t = [x for x in lab.split() if x not in SUFFIXES]
                if len(t) == 2:
                    loose.setdefault(fold(" ".join(t)), set()).add(q)
        return exact, loose

    def _match(self, idx, names, fallback):
        exact, loose = idx
        for f in names:
            hit = exact.get(fold(f), set())
            if len(hit) == 1:
                return next(iter(hit))
        for f in names:
            hit = loose.get(fold(f), set())
            if len(hit) == 1:
                return next(iter(hit))
        return fallback

    def _congress(self, pdir):
        cdir = os.path.join(pdir, "us-congress")
        cur = yamlmini.load(os.path.join(cdir, "legislators-current.yaml"))
        ex = yamlmini.load(os.path.join(cdir, "executive.yaml"))
        for rec in cur + ex:
            ids = rec.get("id") or {}
            nm = rec.get("name") or {}
            bio = rec.get("bio") or {}
            terms = rec.get("terms") or []
            # Every president and vice president is kept, however long
            # ago: "George Washington" and "Lincoln" are in the news.
            names = congress_names(nm.get("first"), nm.get("middle"),
                                   nm.get("last"), nm.get("suffix"),
                                   nm.get("nickname"), nm.get("official_full"),
                                   initials_first=rec in ex)
            if not names:
                continue
            q = ids.get("wikidata") or ""
            if not QID.match(q):
                fb = ("bioguide:" + ids["bioguide"]) if ids.get("bioguide") \
                    else ("govtrack:" + str(ids.get("govtrack") or ""))
                if fb.endswith(":"):
                    continue
                q = self._match(self._us_index(), names, fb)
            g = {"M": "m", "F": "f"}.get(bio.get("gender") or "", "")
            r = self.person(q, names[0], "US", g)
            for s in names[1:]:
                if s not in r["variants"]:
                    r["variants"].append(s)
            for t in terms:
                off = {"prez": "President of the United States",
                       "viceprez": "Vice President of the United States"}.get(
                           t.get("type"))
                if off:
                    self.offices.append((q, off, "US", t.get("start"),
                                         t.get("end"), "leader", 3))
        idx = self._us_index()
        for row in read_csv(os.path.join(cdir, "legislators-historical.csv")):
            if (row.get("birthday") or "") < CONGRESS_BORN_MIN:
                continue
            names = congress_names(row["first_name"], row["middle_name"],
                                   row["last_name"], row["suffix"],
                                   row["nickname"], row["full_name"])
            if not names:
                continue
            if not row["bioguide_id"]:
                continue
            q = self._match(idx, names, "bioguide:" + row["bioguide_id"])
            g = {"M": "m", "F": "f"}.get(row.get("gender") or "", "")
            r = self.person(q, names[0], "US", g)
            for s in names[1:]:
                if s not in r["variants"]:
                    r["variants"].append(s)

    def _settle_cc(self):
        """A person's country is the one of most of their offices (Macron
        is also co-prince of Andorra)."""
        cnt = {}
        for q, off, cc, start, end, kind, rank in self.offices:
            if cc:
                d = cnt.setdefault(q, {})
                d[cc] = d.get(cc, 0) + 1
        for q, d in cnt.items():
            r = self.p.get(q)
            if r is not None and r["cc"] not in d or (
                    r is not None and d[r["cc"]] < max(d.values())):
                r["cc"] = max(sorted(d), key=lambda c: d[c])

    def emit(self, out):
        self._settle_cc()
        for r in self.p.values():
            t = r["name"].split()
            if len(t) >= 3 and t[0] in ("Dr.", "Dr", "Sir", "Dame"):
                r["name"] = " ".join(t[1:])
        # Generated variants that two people share, or that are another
        # person's label, are dropped: they would only mislead.
        owners = {}
        for q, r in self.p.items():
            for s in set(r["labels"]):
                owners.setdefault(fold(s), set()).add(("label", q))
            for s in set(r["variants"]) | set(label_variants(r["labels"])):
                owners.setdefault(fold(s), set()).add(("variant", q))
        for q, r in sorted(self.p.items()):
            e = {"cc": r["cc"], "gender": r["gender"]}
            for s in r["labels"]:
                out.add("people.tsv", s, "PER", q, r["name"], e)
            for s in list(r["variants"]) + label_variants(r["labels"]):
                o = owners.get(fold(s), set())
                if len({x[1] for x in o}) > 1:
                    continue
                out.add("people.tsv", s, "PER", q, r["name"], e)


def label_variants(labels):
    """Forms of a Wikidata label that differ in words: without middle
    initials ("Amina J. Mohammed" -> "Amina Mohammed") and without a
    generational suffix ("... Jr.")."""
    out = []
    for lab in labels:
        t = lab.split()
        if len(t) >= 3 and t[0] in ("Dr.", "Dr", "Sir", "Dame"):
            out.append(" ".join(t[1:]))  # "Dr. Narayan Khadka"
            t = t[1:]
        t2 = [x for x in t if x not in SUFFIXES]
        if len(t2) >= 2 and t2 != t:
            out.append(" ".join(t2))
        t3 = [x for i, x in enumerate(t2)
              if not (0 < i < len(t2) - 1 and re.fullmatch(r"(?:[A-Z]\.)+", x))]
        if len(t3) >= 2 and t3 != t2:
            out.append(" ".join(t3))
    return out


def congress_names(first, middle, last, suffix, nick, full,
                   initials_first=False):
    """Canonical name first, then the forms that differ in words. With
    initials_first (presidents), the canonical name keeps the middle
    initials when there is no nickname ("Franklin D. Roosevelt")."""
    first, middle, last = clean(first), clean(middle), clean(last)
    suffix, nick, full = clean(suffix), clean(nick), clean(full)
    if not first or not last:
        return []
    canon = (nick or first) + " " + last
    inits = " ".join(w[0] + "." for w in middle.split() if w[0].isalpha())
    if initials_first and not nick and inits:
        canon = first + " " + inits + " " + last
    forms = [canon, (nick or first) + " " + last]
    if full:
        forms.append(full)
    forms.append(first + " " + last)
    if middle:
        forms.append(first + " " + middle + " " + last)
        if inits and inits != middle:
            forms.append(first + " " + inits + " " + last)
        if nick and inits:
            forms.append(nick + " " + inits + " " + last)
    if suffix:
        forms += [f + " " + suffix for f in forms[:]
                  if not f.endswith(suffix) and f.startswith(first + " ")]
    seen, res = set(), []
    for f in forms:
        f = clean(f)
        if f and f not in seen:
            seen.add(f)
            res.append(f)
    return res
