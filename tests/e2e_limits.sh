#!/bin/sh
# The named limits of pipeline/limits.h, each exceeded through the whole
# program: the record gets an error (code "limit" or "bad_record", the
# limit named in its message) or, where processing can go on, is processed
# within the limit; never a crash, and the next record is untouched.
set -u
B=${B:-build}
W=$B/whosaid
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "e2e_limits: $*" >&2; exit 1; }
AFTER='{"id":"after","text":"\"Fine,\" he said."}'
lim() { sed -n "s/^#define $1 (\{0,1\}\([0-9]*\)u.*/\1/p" pipeline/limits.h; }
# the limits as the code has them (shift expressions evaluated)
eval "$(python3 - <<'PY'
import re
for l in open("pipeline/limits.h"):
    m = re.match(r"#define (\w+) \(?(\d+)u?(?:ll)? *(?:<< *(\d+))?\)?\s*$", l)
    if m:
        v = int(m.group(2)) << int(m.group(3) or 0)
        print("%s=%d" % (m.group(1), v))
PY
)"
[ -n "${QUOTE_MAX_BYTES:-}" ] && [ -n "${SENT_MAX_TOKENS:-}" ] && [ -n "${REC_MAX_DEPTH:-}" ] &&
	[ -n "${REC_MAX_TEXT_BYTES:-}" ] && [ -n "${REC_MAX_BYTES:-}" ] || fail "limits.h not parsed"

# QUOTE_MAX_BYTES: a quotation longer than the limit (one long "word", so
# that the quote stage's token window does not cut it first) is dropped; a
# shorter one of the same shape is kept
python3 - "$T/quote.jsonl" "$QUOTE_MAX_BYTES" <<'PY'
import json, sys
path, lim = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for name, n in (("over", lim + 100), ("under", 2000)):
        f.write(json.dumps({"id": name, "text": 'Mr. Putin said: "' + "a" * n + '." Then he left.'}) + "\n")
    f.write('{"id":"after","text":"\\"Fine,\\" he said."}\n')
PY
$W run -f jsonl "$T/quote.jsonl" > "$T/quote.out" 2> "$T/quote.err" || fail "quote: exit $?"
python3 - "$T/quote.out" "$QUOTE_MAX_BYTES" <<'PY' || fail "quote length limit not kept"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
lim = int(sys.argv[2])
assert [x["id"] for x in r] == ["over", "under", "after"], r
for x in r:
    for q in x["quotes"]:
        assert q["end"] - q["start"] <= lim, (x["id"], q["end"] - q["start"])
assert any(q["end"] - q["start"] >= 2000 for q in r[1]["quotes"]), "the quote under the limit is lost"
assert r[2]["quotes"], "record after lost its quote"
PY

# SENT_MAX_TOKENS: a sentence of 3.5 times the limit in words is cut into
# sentences of at most the limit, all tokens still covered, and the record
# carries the warning sentence_limit (exit status 0: a warning)
python3 - "$T/sent.jsonl" "$SENT_MAX_TOKENS" <<'PY'
import json, sys
n = int(sys.argv[2]) * 7 // 2
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": "long", "text": "He said " + " ".join(["word"] * n) + " and left."}) + "\n")
    f.write('{"id":"after","text":"\\"Fine,\\" he said."}\n')
PY
$W run -f jsonl --emit tokens,sentences "$T/sent.jsonl" > "$T/sent.out" 2> "$T/sent.err" || fail "sent: exit $?"
python3 - "$T/sent.out" "$SENT_MAX_TOKENS" <<'PY' || fail "sentence token limit not kept"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
lim = int(sys.argv[2])
toks, sents = r[0]["tokens"], r[0]["sentences"]
assert len(sents) >= 4, len(sents)
starts = [t[0] for t in toks]
import bisect
covered = 0
for s in sents:
    n = bisect.bisect_left(starts, s[1]) - bisect.bisect_left(starts, s[0])
    assert 0 < n <= lim, n
    covered += n
assert covered == len(toks), (covered, len(toks))
assert r[0].get("warnings") == ["sentence_limit"], r[0].get("warnings")
assert r[1]["id"] == "after" and r[1]["quotes"] and "warnings" not in r[1]
PY
grep -q "record 0 (line 1, id \"long\"): warning: sentence_limit" "$T/sent.err" || { cat "$T/sent.err" >&2; fail "sent: warning not on stderr"; }

# REC_MAX_DEPTH: levels of values, the record's map being level 1 (so a
# value inside REC_MAX_DEPTH - 1 containers is the deepest allowed). A
# copied-through value at the limit is copied byte for byte (msgpack out,
# JSON out, from JSON and from msgpack input); one level more is an error
# record; far more (100,000 levels, tests/e2e_patho.sh) too, without
# overflowing the stack
python3 - "$T/depth.jsonl" "$T/depth.mpk" "$REC_MAX_DEPTH" <<'PY'
import json, sys
lim = int(sys.argv[3])
def nest(d):  # a value whose innermost scalar sits at level d of the record
    v = 1
    for i in range(d - 2):
        v = [v] if i % 2 else {"k": v}
    return v
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": "max", "text": "He said no.", "extra": nest(lim)}, separators=(",", ":")) + "\n")
    f.write(json.dumps({"id": "over", "text": "He said no.", "extra": nest(lim + 1)}, separators=(",", ":")) + "\n")
    f.write('{"id":"after","text":"\\"Fine,\\" he said."}\n')
with open(sys.argv[2], "wb") as f:  # msgpack by hand: fixmap, fixstr, fixarray
    for name, d in (("max", lim), ("over", lim + 1)):
        f.write(b"\x83\xa2id\xa0"[:-1] + bytes([0xa0 | len(name)]) + name.encode())
        f.write(b"\xa4text\xabHe said no.\xa5extra" + b"\x91" * (d - 2) + b"\x01")
    f.write(b"\x82\xa2id\xa5after\xa4text\xb0\"Fine,\" he said.")
PY
for f in jsonl mpk; do
	$W run -o "$T/depth.$f.out" "$T/depth.$f" 2> "$T/depth.err"
	[ $? = 1 ] || { cat "$T/depth.err" >&2; fail "depth ($f): exit status"; }
	grep -q "record 1.*nested deeper than $REC_MAX_DEPTH levels" "$T/depth.err" || { cat "$T/depth.err" >&2; fail "depth ($f): not reported"; }
	$W dump "$T/depth.$f.out" > "$T/depth.$f.json" || fail "depth ($f): dump failed"
	$W run -f jsonl "$T/depth.$f" > "$T/depth.$f.direct" 2> /dev/null
	cmp -s "$T/depth.$f.json" "$T/depth.$f.direct" || fail "depth ($f): run -f jsonl and run | dump differ"
	python3 - "$T/depth.jsonl" "$T/depth.$f.json" "$REC_MAX_DEPTH" "$f" <<'PY' || fail "depth ($f): limit not kept"
import json, sys
src = [json.loads(l) for l in open(sys.argv[1])]
out = [json.loads(l) for l in open(sys.argv[2])]
lim = int(sys.argv[3])
assert len(out) == 3
want = src[0]["extra"] if sys.argv[4] == "jsonl" else json.loads("[" * (lim - 2) + "1" + "]" * (lim - 2))
assert out[0]["id"] == "max" and out[0]["extra"] == want, "value at the limit not copied"
assert out[1]["error"]["position"] == 1 and str(lim) in out[1]["error"]["message"], out[1]
assert out[2]["id"] == "after" and out[2]["quotes"]
PY
done
# msgpack in, msgpack out: the value at the limit byte for byte
$W run -o "$T/depth.mpk.out" "$T/depth.mpk" 2> /dev/null
python3 - "$T/depth.mpk" "$T/depth.mpk.out" "$REC_MAX_DEPTH" <<'PY' || fail "depth: value not copied byte for byte"
import sys
lim = int(sys.argv[3])
v = b"\xa5extra" + b"\x91" * (lim - 2) + b"\x01"
assert v in open(sys.argv[1], "rb").read() and v in open(sys.argv[2], "rb").read()
PY

# REC_MAX_TEXT_BYTES: a text one byte over the limit is an error record
# "limit"; REC_MAX_BYTES: a record over it (a large copied-through value)
# is skipped as it streams by, with an error record in its place
{ printf '{"id":"bigtext","text":"'; head -c $((REC_MAX_TEXT_BYTES + 1)) /dev/zero | tr '\0' 'a'; printf '"}\n'; echo "$AFTER"; } > "$T/big.jsonl"
$W run -o "$T/big.out" "$T/big.jsonl" 2> "$T/big.err"
[ $? = 1 ] || fail "bigtext: exit status"
grep -q 'record 0 (line 1, id "bigtext"): a size limit was exceeded: text of [0-9]* bytes exceeds the limit' "$T/big.err" ||
	{ cat "$T/big.err" >&2; fail "bigtext: not reported"; }
$W dump "$T/big.out" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
assert len(r) == 2 and r[0]["error"]["code"] == "limit" and r[0]["id"] == "bigtext", r[0].get("error")
assert r[1]["id"] == "after" and r[1]["quotes"]
' || fail "bigtext: output records wrong"
{ printf '{"id":"bigrec","text":"x","pad":"'; head -c $((REC_MAX_BYTES + 1)) /dev/zero | tr '\0' 'a'; printf '"}\n'; echo "$AFTER"; } > "$T/big.jsonl"
$W run -o "$T/big.out" "$T/big.jsonl" 2> "$T/big.err"
[ $? = 1 ] || fail "bigrec: exit status"
grep -q 'record 0 (line 1): a size limit was exceeded' "$T/big.err" || { cat "$T/big.err" >&2; fail "bigrec: not reported"; }
$W dump "$T/big.out" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
assert len(r) == 2 and r[0]["error"]["code"] == "limit", r[0]
assert r[1]["id"] == "after" and r[1]["quotes"]
' || fail "bigrec: output records wrong"
exit 0
