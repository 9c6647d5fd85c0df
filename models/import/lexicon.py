# SPDX-License-Identifier: MIT
"""Word and name evidence used to mark surfaces weak (weak=1: the surface
is also a common English word or a common first name or surname, so the
tagger needs evidence before it takes it as a name)."""

import json
import os
import re

from common import read_csv, read_lines, fold

# News text whose capitalization tells words from names: a word written in
# lower case more often than capitalized on its own inside a sentence is
# a common word ("reading", "justice"); one written capitalized on its own
# is a name ("Google", "China", "Trump"). A capital inside a longer name
# says nothing about the word ("Justice Department", "United States",
# "Heritage Foundation", "Van Hollen"), so a capitalized use counts only
# when neither neighbour is a capitalized word. Only the texts of the
# PolNeAR train and dev splits are read.
NEWS_TEXT = ["polnear-train.jsonl", "polnear-dev.jsonl"]
NEWS_MIN = 3

DICT_PATHS = ["/usr/share/dict/words", "/usr/share/dict/american-english"]

# A first name is "common" for the weak mark when at least this many US
# babies got it in its best year (SSA): Jordan, Chad, Georgia, Madison,
# Lincoln; not India or Kenya.
WEAK_FIRST_MIN = 2000
# For big places the first-name sense must be common indeed: Jordan, Chad,
# Sydney, Austin; not London or Paris.
WEAK_FIRST_BIG = 5000
# Surnames borne by at least this many former members of Congress count
# as common American surnames.
CONGRESS_SURNAME_MIN = 3

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019]*|[^\sA-Za-z]")
_WORD = re.compile(r"[A-Za-z][a-z]+")


def news_case_counts(eval_dir):
    """word (lower case) -> [lower-case uses, capitalized uses inside a
    sentence with no capitalized word beside them, all capitalized uses
    inside a sentence]."""
    cnt = {}
    for f in NEWS_TEXT:
        path = os.path.join(eval_dir, f)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as fh:
            for ln in fh:
                toks = _TOKEN.findall(json.loads(ln).get("text") or "")
                for i, w in enumerate(toks):
                    if not _WORD.fullmatch(w):
                        continue
                    # Inside a sentence: after a word ending in a
                    # lower-case letter, or a comma.
                    p = toks[i - 1] if i else "."
                    if not (p[-1].islower() or p in ",;"):
                        continue
                    c = cnt.setdefault(w.lower(), [0, 0, 0])
                    if w[0].islower():
                        c[0] += 1
                        continue
                    c[2] += 1
                    # Alone: no capitalized word on either side.
                    n = toks[i + 1] if i + 1 < len(toks) else "."
                    if p[0].islower() or p in ",;":
                        if not n[0].isupper():
                            c[1] += 1
    return cnt


def _stem(s):
    """"King's" -> "King": the possessive of a word is that word."""
    return re.sub(r"['\u2019]s$", "", s.strip())


class Lexicon:
    def __init__(self, src):
        self.news = news_case_counts(os.path.join(src, "..", "eval"))
        self.words = set()
        path = next((p for p in DICT_PATHS if os.path.exists(p)), None)
        if path is None:
            raise SystemExit(
                "import: needs an English word list at /usr/share/dict/words "
                "(Debian: apt-get install wamerican)")
        for w in read_lines(path):
            # Lower-case entries only: capitalized ones are proper nouns.
            if w and w[0].islower() and "'" not in w:
                self.words.add(w)
        self.first = {}
        for ln in read_lines(os.path.join(src, "names/ssa_maxoccurbysex.txt")):
            p = ln.split(",")
            if len(p) >= 3 and p[2].isdigit() and int(p[2]) >= WEAK_FIRST_MIN:
                k = fold(p[0])
                self.first[k] = max(self.first.get(k, 0), int(p[2]))
        # Every first name the data knows, however rare: used to keep
        # given names out of the company list.
        self.any_first = set(self.first)
        for ln in read_lines(os.path.join(src, "names/ssa_maxoccurbysex.txt")):
            self.any_first.add(fold(ln.split(",")[0]))
        for f in ("stdlib_female-first-names-en.txt",
                  "stdlib_male-first-names-en.txt"):
            for ln in read_lines(os.path.join(src, "names", f)):
                if ln.strip():
                    self.any_first.add(fold(ln))
        for r in read_csv(os.path.join(
                src, "names/sigpwned_common-forenames-by-country.csv")):
            n = r.get("Romanized Name") or ""
            if n:
                self.any_first.add(fold(n))
        self.surnames = set()
        for r in read_csv(os.path.join(
                src, "names/sigpwned_common-surnames-by-country.csv")):
            n = r.get("Romanized Name") or ""
            if n:
                self.surnames.add(fold(n))
        cnt = {}
        for r in read_csv(os.path.join(
                src, "persons/us-congress/legislators-historical.csv")):
            k = fold(r["last_name"])
            cnt[k] = cnt.get(k, 0) + 1
        for k, n in cnt.items():
            if n >= CONGRESS_SURNAME_MIN:
                self.surnames.add(k)

    def is_word(self, s, name_part=False):
        """s (one or more words) is a common English word or phrase. For
        a one-word entity name ("Justice", "United") capitalized uses
        inside longer names are no evidence of the name; for the words of
        personal names (name_part: first names, surnames) they are, since
        that is how "Peter" or "Rogers" are written."""
        low = _stem(s).lower()
        c = self.news.get(low)
        if c:
            caps = c[2] if name_part else c[1]
            if c[0] + caps >= NEWS_MIN:
                return c[0] > caps
        return low in self.words

    def is_first(self, s, min_count=WEAK_FIRST_MIN):
        return self.first.get(fold(s), 0) >= min_count

    def is_surname(self, s):
        return fold(s) in self.surnames

    def weak(self, s, big=False):
        """A one-word surface that is also a common word, a common first
        name or a common surname. For big places (countries, capitals,
        cities of a million) only the first-name sense counts: "China" or
        "Houston" mean the place far more often than the word or the
        surname, "Jordan" and "Chad" do not."""
        if " " in s.strip():
            return False
        if big:
            # Only the news text's evidence counts here, not the word
            # list: "guinea" is in the dictionary, "male" is in the news.
            c = self.news.get(_stem(s).lower())
            return self.is_first(s, WEAK_FIRST_BIG) or bool(
                c and c[0] + c[1] >= NEWS_MIN and c[0] > c[1])
        if self.is_first(s):
            return True
        return self.is_word(s) or self.is_surname(s)
