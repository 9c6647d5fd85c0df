# SPDX-License-Identifier: MIT
"""Organizations (orgs.tsv): political parties (Party Facts), companies
(S&P 500, cspell company names) and the hand-written lists of
international bodies, news media and government bodies."""

import glob
import os
import re

from common import read_csv, read_hand, read_lines, clean, fold, is_latin

# Parties still active in or after this year (or with no end year).
PARTY_RECENT = 1990
# Party acronyms shorter than this are not listed: every two-letter
# acronym is also a country or state code or a common abbreviation
# ("NC", "EB", "GB", "MP"). A hand list can still give one.
PARTY_ACRONYM_MIN = 3
# When parties of several countries share a name ("Labour", "Democrats",
# "Green Party"), the name goes to one party only: a party of a hand list
# first, then a party of an English-speaking country in this order (the
# users read mostly English-language news), then the largest vote share.
ENGLISH_CC = ["US", "GB", "IE", "CA", "AU", "NZ"]
TECHNICAL = {"ally", "tech", "1-perc", "unknown", "indep", "etc"}

# Words that end a company's legal name; the short form drops them.
CORP_SUFFIX = re.compile(
    r"(?:,?\s+(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?|Company|"
    r"Companies|Ltd\.?|Limited|plc|PLC|N\.V\.|S\.A\.|AG|SE|Group|Holdings?|"
    r"Holding Corp\.?|& Co\.?|L\.P\.|LLC|Trust))+$")


def split_names(s):
    """'Alliance 90 / Greens' -> parts; notes in [] and () dropped."""
    s = re.sub(r"\[[^\]]*\]", " ", s or "")
    s = re.sub(r"\([^)]*\)", " ", s)
    out = []
    for part in re.split(r"\s+/\s+|\s+--\s+", s):
        part = clean(part.strip(" -–—\"“”"))
        if part and is_latin(part) and len(part) > 2:
            out.append(part)
    return out


class Orgs:
    def __init__(self, src, lex, countries, hand_dir, place_names,
                 titles=()):
        self.src = src
        # Title words ("MP", "MEP") are no names of parties.
        self.titles = {fold(t) for t in titles}
        self.lex = lex
        self.countries = countries
        self.hand_dir = hand_dir
        self.places = place_names  # folded place names (not company names)
        self.iso3 = {}
        for ln in read_lines(os.path.join(src, "countries/geonames_countryInfo.tsv")):
            p = ln.split("\t")
            if len(p) > 2 and not ln.startswith("#"):
                self.iso3[p[1]] = p[0]
        self.iso3["XKX"] = "XK"

    def acronym_ok(self, a):
        """A party or body acronym that can stand alone in text: two or
        more capitals, no spaces, and not a common word ("PACE", "SAFE")."""
        if not a or " " in a or len(a) < 2 or len(a) > 10:
            return False
        if sum(1 for c in a if c.isupper()) < 2:
            return False
        if not is_latin(a) or self.lex.is_word(a) or fold(a) in self.titles:
            return False
        return True

    def emit(self, out):
        self._parties(out)
        self._companies(out)
        for path in sorted(glob.glob(os.path.join(self.hand_dir, "orgs-*.txt"))):
            for typ, ident, name, extra, surfaces in read_hand(path):
                for s in surfaces:
                    e = dict(extra)
                    if re.fullmatch(r"[A-Z]{2,5}", s) and self.lex.is_word(s):
                        e["case"] = 1
                    elif self.lex.weak(s):
                        e["weak"] = 1
                    out.add("orgs.tsv", s, typ, ident, name, e)
        self._country_bodies(out)

    def _country_bodies(self, out):
        """"Russian Foreign Ministry", "North Korean military": the bodies
        of hand/country-bodies.txt for every sovereign country, named with
        the country's adjectives."""
        bodies = []
        for ln in read_lines(os.path.join(self.hand_dir, "country-bodies.txt")):
            if ln.strip() and not ln.startswith("#"):
                p = ln.split("\t")
                if len(p) == 3:
                    bodies.append(tuple(x.strip() for x in p))
        for cc, r in sorted(self.countries.rec.items()):
            if not r["independent"]:
                continue
            for adj in r["adjs"]:
                if len(self.countries.owners_of(adj)) != 1:
                    continue  # "Congolese", "Dominican": which country?
                for words, slug, canon in bodies:
                    out.add("orgs.tsv", adj + " " + words, "ORG",
                            "gov:%s:%s" % (cc.lower(), slug),
                            canon.replace("{c}", r["name"]),
                            {"cc": cc, "kind": "gov"})

    def _hand_surfaces(self):
        """Folded surfaces of the hand-written lists (organizations and
        NORP groups): data-derived names give way to them ("Hamas" is the
        Palestinian movement, not the Algerian party of that nickname)."""
        keys = set()
        for path in sorted(glob.glob(os.path.join(self.hand_dir, "orgs-*.txt"))) \
                + [os.path.join(self.hand_dir, "norp.txt")]:
            for typ, ident, name, extra, surfaces in read_hand(path):
                keys.update((fold(x), ident) for x in surfaces)
        self.hand_keys = {}
        for k, ident in keys:
            self.hand_keys.setdefault(k, set()).add(ident)

    def _party_name_ok(self, s, ident):
        owners = self.hand_keys.get(fold(s))
        if owners and ident not in owners:
            return False
        if " " not in s:
            # One-word names that are words or group names ("Change",
            # "Independent", "Muslim") say nothing on their own.
            if self.lex.is_word(s) or self.lex.weak(s) or \
                    self.countries.owners_of(s):
                return False
        return True

    def _parties(self, out):
        self._hand_surfaces()
        pdir = os.path.join(self.src, "organizations")
        wd = {r["partyfacts_id"]: r for r in read_csv(
            os.path.join(pdir, "partyfacts_wikidata-parties.csv"))}
        parties = []
        for r in read_csv(os.path.join(pdir, "partyfacts_core-parties.csv")):
            if r["technical"].strip() or r["name_short"] in TECHNICAL:
                continue
            last = r["year_last"].strip()
            if last[:4].isdigit() and int(last[:4]) < PARTY_RECENT:
                continue
            w = wd.get(r["partyfacts_id"], {})
            qid = (w.get("wikidata_id") or "").strip()
            ident = qid if re.fullmatch(r"Q[0-9]+", qid) else \
                "party:pf" + r["partyfacts_id"]
            cands = []
            for s in ([w.get("name", "")] + split_names(r["name_english"])
                      + split_names(r["name"])):
                s = clean(s)
                if s and is_latin(s) and s not in cands and len(s) > 2 \
                        and not re.fullmatch(r"[0-9 ]+", s):
                    cands.append(s)
            names = [s for s in cands if self._party_name_ok(s, ident)]
            acr = []
            for a in (r["name_short"], w.get("name_short", "")):
                a = clean(a)
                if self.acronym_ok(a) and len(a) >= PARTY_ACRONYM_MIN and \
                        a not in acr and not re.search(r"[/()]", a) and \
                        self._party_name_ok(a, ident):
                    acr.append(a)
            if not names:
                continue
            try:
                share = float(r["share"] or 0)
            except ValueError:
                share = 0.0
            cc = self.iso3.get(r["country"], "")
            parties.append((ident, cands[0], names, acr, share, cc))

        def preference(p):
            cc = p[5]
            return (ENGLISH_CC.index(cc) if cc in ENGLISH_CC
                    else len(ENGLISH_CC), -p[4], p[0])

        # A name or acronym shared by parties of several countries goes to
        # the preferred one (see ENGLISH_CC). Parties of one country that
        # share a name (splits, successors) keep it all.
        owners = {}
        for p in parties:
            for s in set(fold(x) for x in p[2] + p[3]):
                owners.setdefault(s, []).append(p)
        for k, ps in owners.items():
            if len({p[5] for p in ps}) > 1:
                best = min(ps, key=preference)
                owners[k] = [p for p in ps if p[5] == best[5]]
        # An acronym goes to the party that owns it alone, or to the one
        # with at least twice the vote share of every other owner (and
        # more than none).
        acr_owners = {}
        for p in parties:
            for a in p[3]:
                acr_owners.setdefault(a, []).append(p)
        for p in parties:
            ident, canon, names, acr, share, cc = p
            e = {"cc": cc, "kind": "party"}
            names = [s for s in names
                     if any(o is p for o in owners[fold(s)])]
            # The canonical name is the first (English) name, even when it
            # is a plain word and no surface ("Justice", listed as
            # "Ardarutyun"); when another party took that name, the first
            # name this party keeps ("Democratic Party of Mendoza").
            if names and any(o[0] != ident
                             for o in owners.get(fold(canon), [])):
                canon = names[0]
            for s in names:
                out.add("orgs.tsv", s, "ORG", ident, canon, e)
            for a in acr:
                if not any(o is p for o in owners[fold(a)]):
                    continue
                rivals = [o for o in acr_owners[a] if o[0] != ident]
                if rivals and not all(share >= 2 * o[4] and share > o[4]
                                      for o in rivals):
                    continue
                out.add("orgs.tsv", a, "ORG", ident, canon, e)

    def _companies(self, out):
        pdir = os.path.join(self.src, "organizations")
        symbols = {}
        for r in read_csv(os.path.join(pdir, "sp500_constituents.csv")):
            sym, sec = r["Symbol"].strip(), clean(r["Security"])
            sec = re.sub(r"^(.*) \(The\)$", r"The \1", sec)
            symbols[sym] = sec
            full = clean(re.sub(r"\s*\(Class [A-Z]\)|\s+Class [A-Z]$", "", sec))
            short = clean(CORP_SUFFIX.sub("", full))
            if short.startswith("The ") and len(short.split()) > 2:
                short = short[4:]
            ident = "sp500:" + sym.replace(".", "-")
            if "(Class" in sec and any(
                    clean(re.sub(r"\s*\(Class [A-Z]\)", "", v)) == full
                    for k, v in symbols.items() if k != sym):
                # Alphabet A/C, Fox A/B, News Corp A/B: one company.
                continue
            e = {"kind": "company"}
            hq = r.get("Headquarters Location", "")
            if hq:
                e["cc"] = "US" if "," in hq else ""
            out.add("orgs.tsv", full, "ORG", ident, full, e)
            if short and short != full and len(short) > 1:
                w = dict(e)
                if self.lex.weak(short) or self.lex.is_word(short):
                    w["weak"] = 1
                out.add("orgs.tsv", short, "ORG", ident, full, w)
        self.sp_symbols = symbols
        shorts = {}
        for sym, v in symbols.items():
            shorts[fold(clean(CORP_SUFFIX.sub("", v)))] = sym
            shorts[fold(v)] = sym
        # A word that belongs to the short name of one S&P company only
        # ("Disney" in "Walt Disney") is taken as that company.
        word_of = {}
        for sym, v in symbols.items():
            short = clean(CORP_SUFFIX.sub("", re.sub(r"\s*\(Class [A-Z]\)", "", v)))
            ws = short.split()
            if len(ws) > 1:
                for w in ws:
                    word_of.setdefault(fold(w), set()).add((sym, v))
        for ln in read_lines(os.path.join(pdir, "cspell_companies.txt")):
            s = clean(ln)
            if not s or s.startswith("#") or len(s) < 3 or not is_latin(s):
                continue
            k = fold(s)
            if s in symbols or k in shorts:
                continue  # a ticker (AAPL) or already an S&P name
            if re.fullmatch(r"[A-Z0-9]{4,}", s):
                continue  # tickers and codes (ABMD, ATVI)
            if k in self.places or self.countries.code(s):
                continue  # a place name in the list (Basel, Bangalore)
            if self.lex.is_word(s) or self.lex.is_first(s) \
                    or self.countries.owners_of(s):
                continue  # word pieces of names (Bank, Advanced, Ben)
            if re.fullmatch(r"[a-z].*", s):
                continue
            e = {"kind": "company"}
            if k in self.lex.any_first or self.lex.is_surname(s):
                e["weak"] = 1
            if re.fullmatch(r"[A-Z]{3}", s) and self.lex.is_word(s):
                e["case"] = 1
            owners = word_of.get(k, set())
            if len(owners) == 1:
                sym, full = next(iter(owners))
                full = clean(re.sub(r"\s*\(Class [A-Z]\)", "", full))
                e["cc"] = "US"
                out.add("orgs.tsv", s, "ORG", "sp500:" + sym.replace(".", "-"),
                        full, e)
                continue
            out.add("orgs.tsv", s, "ORG", "company:" + re.sub(
                r"[^a-z0-9]+", "-", k).strip("-"), s, e)
