#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Error dump for quoted content (a debugging aid, not part of make eval).

    eval/qdump.py GOLD.jsonl PRED.jsonl [--all] [--ctx N] [--kinds]

Trims spans as eval/score.c does (SPEC.md, Measures) and lists, for the
quoted subset (gold content holding a quotation mark; predictions of kind
direct or mixed), every gold content hull that no predicted quoted content
equals (`miss`, with the predicted quoted content that overlaps it most, if
any) and every predicted quoted content that equals no gold hull (`false`),
with some context. --kinds prints only a count per error class (the
classes are rough heuristics, for triage). --all uses every attribution.
The exact-span counts it prints match whosaid-eval's (check them).
"""
import json
import sys

DQ = set('"\u00ab\u00bb\u201c\u201d\u201e\u201f\u300c\u300d\u300e\u300f')
SQ = set("'\u2018\u2019\u201a\u201b\u2039\u203a")
QM = DQ | SQ | set("`\u00b4\u2032\u2033")
PUNCT = set('!(),-.:;?[]{}*/\\') | set('\u2010\u2011\u2012\u2013\u2014\u2015\u2026\u00b7\u2022\u00bf\u00a1\u2212')


def is_space(c):
    o = ord(c)
    return c.isspace() or o == 0xA0 or 0x2000 <= o <= 0x200B or o in (0x202F, 0x205F, 0x3000, 0xFEFF)


def trimmed(c):
    return is_space(c) or c in QM or c in PUNCT


class Doc:
    def __init__(self, text):
        self.text = text
        self.b = text.encode('utf-8')
        # byte offset -> char index (only at char starts)
        self.c2b = []
        off = 0
        for ch in text:
            self.c2b.append(off)
            off += len(ch.encode('utf-8'))
        self.c2b.append(off)
        self.b2c = {b: i for i, b in enumerate(self.c2b)}

    def ci(self, b):
        while b not in self.b2c and b > 0:
            b -= 1
        return self.b2c.get(b, 0)

    def trim(self, s, e, content):
        t = self.text
        a, z = self.ci(s), self.ci(min(e, len(self.b)))
        a0, z0 = a, z
        while a < z and trimmed(t[a]):
            a += 1
        while z > a and trimmed(t[z - 1]):
            z -= 1
        if content and z - a > 4 and t[a:a + 4].lower() == 'that' and a + 4 < len(t) and is_space(t[a + 4]):
            a2, z2 = a + 4, z
            while a2 < z2 and trimmed(t[a2]):
                a2 += 1
            while z2 > a2 and trimmed(t[z2 - 1]):
                z2 -= 1
            if a2 < z2:
                a, z = a2, z2
        if a == z:
            a, z = a0, z0
            while a < z and is_space(t[a]):
                a += 1
            while z > a and is_space(t[z - 1]):
                z -= 1
        return self.c2b[a], self.c2b[z]

    def s(self, a, b):
        return self.b[a:b].decode('utf-8', 'replace')


def single_pair(t):
    opened = False
    prev = ' '
    for i, c in enumerate(t):
        nxt = t[i + 1] if i + 1 < len(t) else ' '
        if c in SQ and c != '\u201a':
            can_open = c not in '\u2019\u203a' and (is_space(prev) or prev in '([' or prev in PUNCT or prev in DQ) and (nxt.isalnum())
            can_close = c not in '\u2018\u2039' and not is_space(prev) and (is_space(nxt) or nxt in PUNCT or nxt in DQ)
            if opened and can_close:
                return True
            if can_open:
                opened = True
        prev = c
    return False


def is_quoted(doc, pieces):
    for s, e in pieces:
        t = doc.s(s, e)
        if any(c in DQ for c in t) or "''" in t or '``' in t:
            return True
        if single_pair(t):
            return True
    return False


def classify(doc, g, p):
    """A rough name for how predicted span p differs from gold span g."""
    gs, ge = g
    ps, pe = p
    parts = []
    if ps < gs:
        parts.append('start-early')
    elif ps > gs:
        parts.append('start-late')
    if pe > ge:
        parts.append('end-late')
    elif pe < ge:
        parts.append('end-early')
    return '+'.join(parts)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    opts = [a for a in sys.argv[1:] if a.startswith('--')]
    allq = '--all' in opts
    kinds = '--kinds' in opts
    ctx = 60
    for o in opts:
        if o.startswith('--ctx='):
            ctx = int(o[6:])
    gold = {}
    for line in open(args[0], encoding='utf-8'):
        r = json.loads(line)
        gold[r['id']] = r
    pred = {}
    for line in open(args[1], encoding='utf-8'):
        r = json.loads(line)
        pred.setdefault(r['id'], r)
    tp = np = ng = 0
    counts = {}
    for gid, gr in gold.items():
        doc = Doc(gr['text'])
        gs = {}
        for it in gr['gold']:
            pcs = it['content']
            if not pcs:
                continue
            if not allq and not is_quoted(doc, pcs):
                continue
            h = (min(a for a, _ in pcs), max(b for _, b in pcs))
            tsp = doc.trim(h[0], h[1], True)
            if tsp[0] < tsp[1]:
                gs.setdefault(tsp, it)
        ps = {}
        for q in pred.get(gid, {}).get('quotes', []):
            if not allq and q.get('kind') not in ('direct', 'mixed'):
                continue
            tsp = doc.trim(q['start'], q['end'], True)
            if tsp[0] < tsp[1]:
                ps.setdefault(tsp, q)
        # all predicted content (any kind), to tell "found but indirect"
        anyp = {}
        for q in pred.get(gid, {}).get('quotes', []):
            anyp.setdefault(doc.trim(q['start'], q['end'], True), q)
        ng += len(gs)
        np += len(ps)
        tp += len(set(gs) & set(ps))
        for g in sorted(gs):
            if g in ps:
                continue
            best = None
            bo = 0
            for p in ps:
                ov = min(g[1], p[1]) - max(g[0], p[0])
                if ov > bo:
                    bo, best = ov, p
            if g in anyp:
                k = 'miss:kind-indirect'
            elif best is None:
                k = 'miss:none'
            else:
                k = 'miss:' + classify(doc, g, best)
            counts[k] = counts.get(k, 0) + 1
            if kinds:
                continue
            it = gs[g]
            print('== %s %s  gold %d-%d (%d pieces, direct=%s)' % (k, gid, g[0], g[1], len(it['content']), it['direct']))
            lo = max(0, min(g[0], best[0] if best else g[0]) - ctx)
            hi = min(len(doc.b), max(g[1], best[1] if best else g[1]) + ctx)
            while lo > 0 and (doc.b[lo] & 0xC0) == 0x80:
                lo -= 1
            while hi < len(doc.b) and (doc.b[hi] & 0xC0) == 0x80:
                hi += 1
            print('  ctx : ' + doc.s(lo, hi).replace('\n', '\u00b6'))
            print('  gold: ' + doc.s(g[0], g[1]).replace('\n', '\u00b6'))
            for a, b in it['content']:
                if len(it['content']) > 1:
                    print('   piece: ' + doc.s(a, b).replace('\n', '\u00b6'))
            if it.get('source'):
                print('   src: ' + ' | '.join(doc.s(a, b) for a, b in it['source']) +
                      '   cue: ' + ' | '.join(doc.s(a, b) for a, b in it.get('cue') or []))
            if best:
                q = ps[best]
                print('  pred: ' + doc.s(best[0], best[1]).replace('\n', '\u00b6') + '   [%s cue=%s]' % (
                    q.get('kind'), (q.get('cue') or {}).get('text')))
        for p in sorted(ps):
            if p in gs:
                continue
            ov = [g for g in gs if min(g[1], p[1]) > max(g[0], p[0])]
            gall = {}
            for it in gr['gold']:
                pcs = it['content']
                if pcs:
                    h = (min(a for a, _ in pcs), max(b for _, b in pcs))
                    gall.setdefault(doc.trim(h[0], h[1], True), it)
            if ov:
                k = 'false:overlaps-quoted-gold'
            elif p in gall:
                k = 'false:gold-unquoted-exact'
            elif any(min(g[1], p[1]) > max(g[0], p[0]) for g in gall):
                k = 'false:overlaps-unquoted-gold'
            else:
                k = 'false:no-gold'
            counts[k] = counts.get(k, 0) + 1
            if kinds or k == 'false:overlaps-quoted-gold':
                continue
            q = ps[p]
            lo = max(0, p[0] - ctx)
            hi = min(len(doc.b), p[1] + ctx)
            while lo > 0 and (doc.b[lo] & 0xC0) == 0x80:
                lo -= 1
            while hi < len(doc.b) and (doc.b[hi] & 0xC0) == 0x80:
                hi += 1
            print('== %s %s  pred %d-%d' % (k, gid, p[0], p[1]))
            print('  ctx : ' + doc.s(lo, hi).replace('\n', '\u00b6'))
            print('  pred: ' + doc.s(p[0], p[1]).replace('\n', '\u00b6') + '   [%s cue=%s spk=%s]' % (
                q.get('kind'), (q.get('cue') or {}).get('text'), (q.get('speaker') or {}).get('text')))
    P = tp / np if np else 0
    R = tp / ng if ng else 0
    F = 2 * P * R / (P + R) if P + R else 0
    print('# exact content %s: tp %d pred %d gold %d  P %.3f R %.3f F1 %.3f' % (
        'all' if allq else 'quoted', tp, np, ng, P, R, F))
    for k in sorted(counts, key=lambda k: -counts[k]):
        print('# %5d %s' % (counts[k], k))


if __name__ == '__main__':
    main()
