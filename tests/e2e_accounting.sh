#!/bin/sh
# Accounting: every input record gives exactly one output record, in input
# order, whatever is wrong with it. For each kind of bad record, in JSON
# Lines and in msgpack, at -j 1 and -j 3: a good record before and after the
# bad one; the bad one's output record carries `error` {code, message,
# position (, line)} (or `warnings` for invalid UTF-8 without --strict); its
# stderr line names the record's position, line and id (when the record has
# a readable one) and the problem; the exit status is 1 for an error, 0 for
# a warning (SPEC.md). Checks are done in python3 on `whosaid dump`.
set -u
B=${B:-build}
W=$B/whosaid
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "e2e_accounting: $*" >&2; exit 1; }
GOOD0='{"id":"g0","text":"\"It is fine,\" Mr. Putin said on Monday."}'
GOOD2='{"id":"g2","text":"Kim Jong Un told reporters that it was over."}'

# check NAME STATUS CODE ID STDERR_RE [run options] < record: runs the
# record between two good ones, in JSON Lines (as given) and as msgpack
# (through `pack`, when PACK=1), at -j 1 and -j 3. CODE is the error code
# wanted in the middle record, or "warn:NAME" for a warning; ID is the id
# the output record must carry ("-" for none); STDERR_RE a regular
# expression that a stderr line must match.
check() {
	name=$1 want=$2 code=$3 id=$4 re=$5
	shift 5
	{ echo "$GOOD0"; cat; echo "$GOOD2"; } > "$T/$name.jsonl"
	for j in 1 3; do
		$W run -j $j "$@" -o "$T/$name.mpk" "$T/$name.jsonl" 2> "$T/$name.err"
		st=$?
		[ "$st" = "$want" ] || { cat "$T/$name.err" >&2; fail "$name (-j $j): exit $st, wanted $want"; }
		$W dump "$T/$name.mpk" > "$T/$name.out" || fail "$name: dump failed"
		python3 - "$T/$name.out" "$T/$name.err" "$code" "$id" "$re" "$name -j $j" <<'PY' || exit 1
import json, re, sys
out, errf, code, want_id, rx, name = sys.argv[1:]
recs = [json.loads(l) for l in open(out, encoding="utf-8")]
def bad(msg):
    print("e2e_accounting: %s: %s" % (name, msg), file=sys.stderr)
    sys.exit(1)
if len(recs) != 3:
    bad("%d output records for 3 input records" % len(recs))
if recs[0].get("id") != "g0" or recs[2].get("id") != "g2":
    bad("records out of order or lost: %r" % [r.get("id") for r in recs])
for k in (0, 2):
    if "error" in recs[k] or not recs[k]["quotes"]:
        bad("good record %d damaged: %r" % (k, recs[k]))
r = recs[1]
if want_id == "-":
    if "id" in r:
        bad("unexpected id %r" % r["id"])
elif str(r.get("id")) != want_id:
    bad("id %r, wanted %r" % (r.get("id"), want_id))
if code.startswith("warn:"):
    if "error" in r or code[5:] not in r.get("warnings", []):
        bad("no warning %s: %r" % (code[5:], r))
else:
    e = r.get("error")
    if not e or e.get("code") != code or not e.get("message") or e.get("position") != 1:
        bad("error %r, wanted code %s at position 1" % (e, code))
    if r.get("entities") != [] or r.get("quotes") != []:
        bad("error record with results")
err = open(errf, encoding="utf-8", errors="replace").read().splitlines()
if not any(re.search(rx, l) for l in err):
    bad("no stderr line matches %r:\n%s" % (rx, "\n".join(err)))
PY
	done
	if [ "${PACK:-1}" = 1 ]; then
		$W pack -o "$T/$name.in.mpk" "$T/$name.jsonl" 2> /dev/null
		for j in 1 3; do
			$W run -j $j "$@" -o "$T/$name.mpk" "$T/$name.in.mpk" 2> "$T/$name.err"
			st=$?
			[ "$st" = "$want" ] || { cat "$T/$name.err" >&2; fail "$name (msgpack, -j $j): exit $st, wanted $want"; }
			[ "$($W dump "$T/$name.mpk" | wc -l | tr -d ' ')" = 3 ] || fail "$name (msgpack): not 3 records"
		done
	fi
}

# not a map
echo '[1,2]' | check arr 1 bad_record - 'record 1 \(line 2\): malformed record: record is an array, not a map' || exit 1
echo '"text"' | check str 1 bad_record - 'record 1 \(line 2\): malformed record: record is a string, not a map' || exit 1
echo '42' | check num 1 bad_record - 'record 1 \(line 2\): malformed record: record is an? .*, not a map' || exit 1
# no text; text not a string; no id
echo '{"id":"b1","title":"no text"}' | check notext 1 bad_record b1 'record 1 \(line 2, id "b1"\): malformed record: text is missing' || exit 1
echo '{"id":"b1","text":5}' | check textnum 1 bad_record b1 'record 1 \(line 2, id "b1"\): malformed record: text is not a string' || exit 1
echo '{"id":"b1","text":null}' | check textnull 1 bad_record b1 'record 1 \(line 2, id "b1"\): malformed record: text is not a string' || exit 1
echo '{"id":"b1","text":["a","b"]}' | check textarr 1 bad_record b1 'record 1 \(line 2, id "b1"\): malformed record: text is not a string' || exit 1
echo '{"id":7,"text":{"a":1}}' | check textmap 1 bad_record 7 'record 1 \(line 2, id 7\): malformed record: text is not a string' || exit 1
echo '{"text":"no id"}' | check noid 1 bad_record - 'record 1 \(line 2\): malformed record: id is missing' || exit 1
# broken JSON lines (pack turns them into error records too: PACK=0, the
# msgpack side is the packed error record, checked in e2e_errors.sh)
echo '{"id":"b1","text":"unterminated' | PACK=0 check broken 1 bad_record - 'record 1 \(line 2\): malformed record: broken JSON' || exit 1
echo '{"id":"b1","text":"x"} trailing' | PACK=0 check trailing 1 bad_record - 'record 1 \(line 2\): malformed record: broken JSON' || exit 1
echo '{"id":"b1","text":"x",}' | PACK=0 check comma 1 bad_record - 'record 1 \(line 2\): malformed record: broken JSON' || exit 1
# invalid UTF-8 in the text: processed with a warning; refused by --strict
# (pack turns invalid UTF-8 of a JSON line into U+FFFD: PACK=0; the
# msgpack side is checked below)
printf '{"id":"b1","text":"Mr. Putin said \377 \"no\"."}\n' | PACK=0 check utf8 0 warn:invalid_utf8 b1 'record 1 \(line 2, id "b1"\): warning: invalid_utf8' || exit 1
printf '{"id":"b1","text":"Mr. Putin said \377 \"no\"."}\n' | PACK=0 check utf8strict 1 bad_utf8 b1 'record 1 \(line 2, id "b1"\): .*invalid UTF-8' --strict || exit 1
# nested deeper than the limit, and a value nested just within it
{ printf '{"id":"b1","text":"x","extra":'; i=0; while [ $i -lt 40 ]; do printf '['; i=$((i + 1)); done
  i=0; while [ $i -lt 40 ]; do printf ']'; i=$((i + 1)); done; printf '}\n'; } | PACK=0 check deep 1 bad_record - 'record 1 \(line 2\): malformed record: record is nested deeper than 32 levels' || exit 1

# msgpack only: not a map, text not a string, invalid UTF-8, and a stream
# truncated inside a record (every complete record before it kept)
mpk_check() {
	name=$1 want=$2 nrec=$3 re=$4
	shift 4
	$W run "$@" -o "$T/$name.out.mpk" "$T/$name.mpk" 2> "$T/$name.err"
	st=$?
	[ "$st" = "$want" ] || { cat "$T/$name.err" >&2; fail "$name: exit $st, wanted $want"; }
	n=$($W dump "$T/$name.out.mpk" | wc -l | tr -d ' ')
	[ "$n" = "$nrec" ] || fail "$name: $n output records, wanted $nrec"
	grep -Eq "$re" "$T/$name.err" || { cat "$T/$name.err" >&2; fail "$name: stderr does not match $re"; }
}
echo "$GOOD0" | $W pack > "$T/g0.mpk"
echo "$GOOD2" | $W pack > "$T/g2.mpk"
{ cat "$T/g0.mpk"; printf '\223\001\002\003'; cat "$T/g2.mpk"; } > "$T/marr.mpk"
mpk_check marr 1 3 'record 1: malformed record: record is an array, not a map'
{ cat "$T/g0.mpk"; printf '\202\242id\242b1\244text\304\002ab'; cat "$T/g2.mpk"; } > "$T/mbin.mpk"
mpk_check mbin 1 3 'record 1 \(id "b1"\): malformed record: text is not a string'
{ cat "$T/g0.mpk"; printf '\202\242id\242b1\244text\245ab\377cd'; cat "$T/g2.mpk"; } > "$T/m8.mpk"
mpk_check m8 0 3 'record 1 \(id "b1"\): warning: invalid_utf8 \(text holds invalid UTF-8 at byte 2\)'
mpk_check m8 1 3 'record 1 \(id "b1"\): text is not valid UTF-8: text holds invalid UTF-8 at byte 2' --strict
$W dump "$T/m8.out.mpk" | sed -n 2p | grep -q '"error":{"code":"bad_utf8","message":"text holds invalid UTF-8 at byte 2","position":1}' ||
	fail "m8 --strict: error record wrong: $($W dump "$T/m8.out.mpk" | sed -n 2p)"
# truncated: g0, g2, then g2 cut in its text
n2=$(wc -c < "$T/g2.mpk")
{ cat "$T/g0.mpk" "$T/g2.mpk"; head -c $((n2 - 5)) "$T/g2.mpk"; } > "$T/mcut.mpk"
for j in 1 3; do
	mpk_check mcut 1 3 'record 2: malformed record: input ends inside a record' -j $j
	$W dump "$T/mcut.out.mpk" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
assert [x.get("id") for x in r] == ["g0", "g2", None], r
assert r[2]["error"]["code"] == "bad_record" and r[2]["error"]["position"] == 2, r[2]
assert "error" not in r[0] and "error" not in r[1]
' || fail "mcut: records wrong"
done
# JSON Lines cut inside its last line (no newline at the end)
{ echo "$GOOD0"; printf '{"id":"b1","text":"cut he'; } > "$T/jcut.jsonl"
$W run -o "$T/jcut.mpk" "$T/jcut.jsonl" 2> "$T/jcut.err"
[ $? = 1 ] || fail "jcut: exit status"
[ "$($W dump "$T/jcut.mpk" | wc -l | tr -d ' ')" = 2 ] || fail "jcut: not 2 records"
grep -q 'record 1 (line 2): malformed record: broken JSON' "$T/jcut.err" || fail "jcut: not reported"

# many bad records of every kind in one stream: count and order kept at -j 4
python3 - "$T/many.jsonl" <<'PY'
import sys
kinds = ['[1]', '{"id":"%d"}', '{"id":"%d","text":1}', '{broken', '{"id":"%d","text":"ok \\"%d\\" he said."}']
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        k = kinds[i % len(kinds)]
        f.write((k.replace("%d", str(i))) + "\n")
PY
$W run -j 4 -o "$T/many.mpk" "$T/many.jsonl" 2> "$T/many.err"
[ $? = 1 ] || fail "many: exit status"
$W dump "$T/many.mpk" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
assert len(r) == 3000, len(r)
for i, x in enumerate(r):
    if i % 5 == 4:
        assert x["id"] == str(i) and "error" not in x, (i, x)
    else:
        assert x["error"]["position"] == i and x["error"]["line"] == i + 1, (i, x)
        if i % 5 in (1, 2):
            assert x["id"] == str(i), (i, x)
' || fail "many: records lost, reordered or mislabelled"
grep -q '^whosaid: 2400 of 3000 records failed$' "$T/many.err" || fail "many: no summary line"
[ "$(grep -c 'malformed record' "$T/many.err")" = 2400 ] || fail "many: not one stderr line per bad record"
exit 0
