#!/bin/sh
# End to end on the bundled sample: 5 records with entities and quotes
# arrays; the JSON path and the pack -> msgpack path give the same output;
# -j 1 and -j 2 are byte-identical; every offset lies inside its text and
# every text field equals the bytes at its offsets; make run's table works.
set -eu
B=${B:-build}
W=$B/whosaid
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "e2e_sample: $*" >&2; exit 1; }

$W run -j 1 sample/articles.jsonl > "$T/j1.mpk" || fail "run -j 1 failed"
$W run -j 2 sample/articles.jsonl > "$T/j2.mpk" || fail "run -j 2 failed"
cmp -s "$T/j1.mpk" "$T/j2.mpk" || fail "-j 1 and -j 2 differ"

$W pack sample/articles.jsonl > "$T/in.mpk" || fail "pack failed"
$W run -j 2 "$T/in.mpk" > "$T/viampk.mpk" || fail "run on packed input failed"
$W dump "$T/j1.mpk" > "$T/json.jsonl"
$W dump "$T/viampk.mpk" > "$T/mpk.jsonl"
diff -u "$T/json.jsonl" "$T/mpk.jsonl" >&2 || fail "JSON path and msgpack path differ"
$W run -f jsonl sample/articles.jsonl > "$T/direct.jsonl"
diff -u "$T/json.jsonl" "$T/direct.jsonl" >&2 || fail "run -f jsonl differs from run | dump"

$W run --emit tokens,sentences -f jsonl sample/articles.jsonl > "$T/emit.jsonl"
[ "$(wc -l < "$T/emit.jsonl" | tr -d ' ')" = 5 ] || fail "not 5 output records"
[ "$(grep -c '"entities":\[.*"quotes":\[.*"tokens":\[.*"sentences":\[' "$T/emit.jsonl")" = 5 ] ||
	fail "a record lacks entities, quotes, tokens or sentences"
! grep -q '"error":' "$T/json.jsonl" || fail "an error record in the sample output"
# Offsets and text fields are checked in C by build/tests/test_pipeline; this
# checks the same on the JSON the CLI writes, where python3 is installed.
if command -v python3 >/dev/null 2>&1; then
python3 - "$T/emit.jsonl" sample/articles.jsonl <<'PY' || fail "output check failed"
import json, sys
out = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
inp = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
assert len(out) == len(inp) == 5, (len(out), len(inp))
for o, i in zip(out, inp):
    keys = list(o.keys())
    assert keys[:len(i)] == list(i.keys()), keys          # input keys first, in order
    for k in i:
        assert o[k] == i[k], k                            # copied unchanged
    for k in ("entities", "quotes", "tokens", "sentences"):
        assert isinstance(o[k], list), k
    assert "error" not in o
    b = i["text"].encode("utf-8")
    def span(x, what):
        assert 0 <= x["start"] <= x["end"] <= len(b), (what, x)
        assert b[x["start"]:x["end"]].decode("utf-8", "replace") == x["text"], (what, x)
    for e in o["entities"]:
        span(e, "entity")
        assert e["type"] in ("PER", "ORG", "LOC", "NORP", "MISC"), e
    for q in o["quotes"]:
        span(q, "quote")
        assert q["kind"] in ("direct", "mixed", "indirect"), q
        if q["speaker"] is not None: span(q["speaker"], "speaker")
        if q["cue"] is not None: span(q["cue"], "cue")
        assert 0 <= q["sentence"] < max(1, len(o["sentences"])), q
    for s, e in o["tokens"] + o["sentences"]:
        assert 0 <= s <= e <= len(b), (s, e)
PY
fi

$W run sample/articles.jsonl | $W dump --table quotes --format table > "$T/table.txt" ||
	fail "dump --format table failed"
head -n 1 "$T/table.txt" | grep -q '^speaker *when *kind *quote' || fail "table header missing"
$W dump --table quotes --format csv "$T/j1.mpk" | head -n 1 | tr -d '\r' |
	grep -qx 'doc_id,date,when,speaker,speaker_id,speaker_type,kind,cue,quote,start,end' ||
	fail "quotes csv header wrong"
$W dump --table entities --format tsv "$T/j1.mpk" | head -n 1 |
	grep -qx "$(printf 'doc_id\ttype\tid\tname\ttext\tstart\tend')" || fail "entities tsv header wrong"
# the quotes CSV reads back (Python's csv module) to the same fields as jsonl
if command -v python3 >/dev/null 2>&1; then
	$W dump --table quotes --format csv "$T/j1.mpk" > "$T/q.csv"
	$W dump --table quotes --format jsonl "$T/j1.mpk" > "$T/q.jsonl"
	python3 - "$T/q.csv" "$T/q.jsonl" <<'PY' || fail "quotes CSV does not read back"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
js = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(rows) == len(js), (len(rows), len(js))
for r, j in zip(rows, js):
    for k, v in j.items():
        assert r[k] == ("" if v is None else str(v)), (k, r[k], v)
PY
fi
exit 0
