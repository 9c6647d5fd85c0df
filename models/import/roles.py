# SPDX-License-Identifier: MIT
"""Roles (roles.tsv: ROLE lines linking a role phrase to who held it, with
start/end) and titles (titles.tsv: TITLE lines for honorifics, role nouns
and generic government job titles).

Role phrases are generated from the position labels of the person files:
"President of Russia" gives "President of Russia", "Russian President",
"Russia's President"; a cabinet label such as "Minister of Foreign
Affairs" in the Russian cabinet gives "Russian Foreign Minister",
"Foreign Minister of Russia", and so on. Heads of state or government
also get "leader" forms ("North Korean leader") for the office that leads
the country (hand/leaders.txt)."""

import os
import re

from common import read_hand, read_lines, read_titles, clean, fold

MONARCH = re.compile(
    r"^(?:monarch|king|queen|sultan|emir|prince|emperor|grand duke|"
    r"governor-general|yang di-pertuan agong|pope|captain regent|"
    r".*co-prince|o le ao o le malo)\b", re.I)
HEAD_GOV = re.compile(
    r"^(?:prime minister|premier|(?:federal )?chancellor|taoiseach|"
    r"president of the government|chairman of the council of ministers)$",
    re.I)
SUPREME = re.compile(r"^supreme leader$", re.I)
PRESIDENT = re.compile(r"^president$", re.I)
PORTFOLIO = re.compile(
    r"^((?:First |Deputy |Vice |Acting |Senior |Cabinet |Federal |Union )*)"
    r"(Minister|Secretary|Ministry)(?: of State)? (?:of|for) (.+)$")
DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")
# A generic job title harvested from cabinet labels must occur in at least
# this many cabinet files (countries) to count as a common title.
TITLE_MIN_FILES = 2


def the_name(name):
    """"United States" -> "the United States"; "Russia" stays."""
    if re.match(r"^(?:United |Republic |Central African|Dominican Republic|"
                r"Czech Republic|Holy See|Vatican City|Gambia|"
                r"Democratic Republic)", name) or \
            re.search(r"(?:Islands|lands|ines|mas|ives|oros|elles)$", name):
        return "the " + name
    return name


def date(s):
    s = (s or "").strip()[:10]
    if DATE.match(s):
        return s
    return ""


class RoleMaker:
    def __init__(self, people, countries, hand_dir, places):
        self.people = people
        self.countries = countries
        self.places = places
        self.port = {}
        for ln in read_lines(os.path.join(hand_dir, "portfolios.txt")):
            if ln.strip() and not ln.startswith("#"):
                k, _, v = ln.partition("\t")
                self.port[k.strip()] = [x.strip() for x in v.split("|")
                                        if x.strip()]
        self.pm_leads = {ln.strip() for ln in read_lines(
            os.path.join(hand_dir, "leaders.txt"))
            if ln.strip() and not ln.startswith("#")}
        # International bodies: name -> acronyms, from the hand list.
        self.intl = {}
        for typ, ident, name, extra, surfaces in read_hand(
                os.path.join(hand_dir, "orgs-intl.txt")):
            acr = [s for s in surfaces if re.fullmatch(r"[A-Z][A-Z.]{1,7}", s)]
            # Names that go before an office ("European Commission
            # President"): the name and the other capitalized names.
            pre = [s for s in surfaces if s not in acr and s[0].isupper()
                   and not s.startswith("The ") and "," not in s]
            for s in surfaces:
                self.intl[fold(s)] = (name, acr + pre)

    def shorts(self, b):
        """Short forms of a generic office: "Minister of Foreign Affairs"
        -> "Foreign Minister"; "Secretary of Defense" -> "Defense
        Secretary"; "Federal Chancellor" -> "Chancellor"."""
        out = []
        m = PORTFOLIO.match(b)
        if m:
            pre, noun, x = m.group(1), m.group(2), m.group(3).strip()
            if noun == "Ministry":
                return out
            if x in self.port:
                xs = self.port[x]
            elif len(x.split()) <= 2 and " and " not in x and "," not in x \
                    and x[0].isupper():
                xs = [x[4:] if x.startswith("the ") else x]
            else:
                xs = []
            for s in xs:
                if s == "State" and noun == "Secretary" and not pre:
                    continue  # "State Secretary" is another office
                out.append("%s%s %s" % (pre, s, noun))
        if b.startswith("Federal "):
            out.append(b[8:])
        return out

    def split_country(self, label):
        """"President of the French Republic" -> ("President", "FR")."""
        parts = label.split(" of ")
        for i in range(1, len(parts)):
            tail = " of ".join(parts[i:])
            cc = self.countries.code(tail)
            if cc:
                return " of ".join(parts[:i]), cc
        return label, ""

    def country_forms(self, b, cc):
        r = self.countries.rec.get(cc)
        if r is None:
            return []
        c = r["name"]
        forms = ["%s's %s" % (c, b)]
        if " to " not in b and not b.endswith((" of", " for")):
            forms.append("%s of %s" % (b, the_name(c)))
        adjs = [a for a in r["adjs"]
                if self.countries.owners_of(a) == [cc]]
        acr = [s for s in r["surfaces"]
               if re.fullmatch(r"(?:[A-Z]\.){2,4}|[A-Z]{2,4}", s)]
        # "US President", not "USA President": skip an acronym that
        # extends a shorter one of the same country.
        adjs += [a for a in acr if not any(
            o != a and a.startswith(o.rstrip(".")) for o in acr)]
        for a in adjs:
            forms.append("%s %s" % (a, b))
        return forms

    def leader_offices(self, offices):
        """(q, label, cc) of world-leader offices that lead their country."""
        per = {}
        for q, label, cc, start, end, kind, rank in offices:
            if kind != "leader" or not cc:
                continue
            b, _ = self.split_country(label)
            per.setdefault(cc, set()).add(b)
        lead = {}
        for cc, bs in per.items():
            sup = [b for b in bs if SUPREME.match(b)]
            gov = [b for b in bs if HEAD_GOV.match(b)]
            pres = [b for b in bs if PRESIDENT.match(b)]
            mon = [b for b in bs if MONARCH.match(b)]
            if sup:
                lead[cc] = set(sup)
            elif gov and (cc in self.pm_leads or (mon and not pres)):
                lead[cc] = set(gov)
            elif pres:
                lead[cc] = set(pres)
            elif gov:
                lead[cc] = set(gov)
            elif mon:
                lead[cc] = set(mon)
        return lead

    def emit(self, out):
        offices = self.people.offices
        lead = self.leader_offices(offices)
        title_files = {}
        groups = {}  # (q, office) -> [cc, forms, intervals]
        for q, label, cc, start, end, kind, rank in offices:
            p = self.people.p.get(q)
            if p is None or not p["name"]:
                continue
            label = clean(label.strip('"'))
            if not label or label.lower() in ("position", "member"):
                continue
            b, lcc = self.split_country(label)
            forms = []
            office = label
            if lcc:
                cc = lcc
            if kind == "intl":
                forms.append(label)
                m = re.match(r"^(.*?) of (?:the )?(.+)$", label)
                if m and fold(m.group(2)) in self.intl:
                    name, acr = self.intl[fold(m.group(2))]
                    # "ECB President", "European Commission President":
                    # a one-word office after the body's acronym or name.
                    for a in acr:
                        if " " not in m.group(1) or a.isupper():
                            forms.append("%s %s" % (a, m.group(1)))
                cc = ""
            elif lcc or (cc and not self._has_place(label)):
                if cc not in self.countries.rec:
                    continue
                # One office name per office, whatever the source's label:
                # "President of the People's Republic of China" and the
                # Chinese cabinet's "President" are "President of China".
                office = "%s of %s" % (b, the_name(
                    self.countries.rec[cc]["name"]))
                if not lcc:
                    if kind == "cabinet":
                        title_files.setdefault(label, set()).add(cc)
                else:
                    forms.append(label)
                bs = [b] + self.shorts(b)
                if kind == "leader" and b in lead.get(cc, ()):
                    bs.append("leader")
                for x in bs:
                    forms += self.country_forms(x, cc)
            elif self._has_place(label):
                forms.append(label)  # "Mayor of London"
            else:
                continue
            g = groups.setdefault((q, office), [cc, set(), []])
            g[1].update(clean(f) for f in forms)
            g[2].append((date(start), date(end), rank))
        # One spelling per office ("Prime minister of India" and "Prime
        # Minister of India"): the one with more capitals.
        canon = {}
        for (q, office) in groups:
            k = office.lower()
            if k not in canon or sum(c.isupper() for c in office) > \
                    sum(c.isupper() for c in canon[k]):
                canon[k] = office
        merged = {}
        for (q, office), (cc, forms, ivs) in groups.items():
            g = merged.setdefault((q, canon[office.lower()]), [cc, set(), []])
            g[1].update(forms)
            g[2].extend(ivs)
        for (q, office), (cc, forms, ivs) in merged.items():
            name = self.people.p[q]["name"]
            for start, end in merge_terms(ivs):
                e = {"cc": cc, "office": office, "start": start, "end": end}
                for f in forms:
                    out.add("roles.tsv", f, "ROLE", q, name, e,
                            key=(f, q, office, start))
        self.titles = {t for t, fs in title_files.items()
                       if len(fs) >= TITLE_MIN_FILES and " to " not in t
                       and not self.split_country(t)[1]
                       and not self._has_place(t)}

    def _has_place(self, label):
        """"Mayor of London": an office of one place (not a country)."""
        m = re.search(r" (?:of|in) (?:the )?([A-Z][^,]*)$", label)
        return bool(m) and fold(m.group(1)) in self.places and \
            not self.countries.code(m.group(1))


def _year(d):
    return int(d[:4]) if d else None


def merge_terms(ivs):
    """Terms of one person in one office -> merged (start, end) terms.
    Overlapping or back-to-back terms merge; the most precise start wins;
    where one source says the term is still open and a newer one gives an
    end, the newer one wins."""
    ivs = sorted(ivs, key=lambda t: (_year(t[0]) or 0, -len(t[0])))
    out = []
    for start, end, rank in ivs:
        if out:
            s0, e0, r0 = out[-1]
            y = _year(start)
            if not e0 or y is None or (_year(e0) or 0) >= y:
                if _year(s0) == y and len(start) > len(s0):
                    s0 = start
                if e0 and end:
                    e0 = max(e0, end, key=lambda d: (d[:4], len(d), d))
                elif not e0 and not end:
                    pass
                else:  # one open, one closed: trust the newer source
                    if rank > r0:
                        e0 = end
                    elif rank == r0:
                        e0 = ""
                out[-1] = (s0, e0, max(r0, rank))
                continue
        out.append((start, end, rank))
    return [(s, e) for s, e, r in out]


def emit(out, people, countries, hand_dir, places):
    rm = RoleMaker(people, countries, hand_dir, places)
    rm.emit(out)
    titles = set(rm.titles)
    for t in list(titles):
        titles.update(rm.shorts(t))
    hand = {}
    for t, extra in read_titles(hand_dir):
        titles.add(t)
        hand[clean(t)] = extra
    for t in titles:
        t = clean(t)
        if t and len(t.split()) <= 6 and not re.search(r"[0-9\"()]", t):
            out.add("titles.tsv", t, "TITLE", "", "", hand.get(t))
