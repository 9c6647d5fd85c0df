#!/bin/sh
# run --stats, --stats=json and the progress line: what they print, that
# they change nothing in the output, and that the numbers add up.
set -eu
B=${B:-build}
W=$B/whosaid
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "e2e_stats: $*" >&2; exit 1; }

in=sample/articles.jsonl
# the sample, three times, with a bad line in between
cat "$in" > "$T/in.jsonl"
echo '{broken' >> "$T/in.jsonl"
cat "$in" "$in" >> "$T/in.jsonl"
n_in=$(grep -c . "$T/in.jsonl")
text_bytes=$(python3 -c '
import json, sys
n = 0
for l in open(sys.argv[1], encoding="utf-8"):
    try:
        t = json.loads(l).get("text")
    except ValueError:
        continue
    if isinstance(t, str):
        n += len(t.encode("utf-8"))
print(n)' "$T/in.jsonl")

for j in 1 2; do
	st=0
	$W run -j $j "$T/in.jsonl" > "$T/plain" 2> "$T/plain.err" || st=$?
	[ $st = 1 ] || fail "-j $j: exit $st, want 1 (a broken line)"
	st=0
	$W run -j $j --stats "$T/in.jsonl" > "$T/stats" 2> "$T/stats.err" || st=$?
	[ $st = 1 ] || fail "-j $j --stats: exit $st"
	cmp -s "$T/plain" "$T/stats" || fail "-j $j: --stats changes the output"
	grep -q "^whosaid: $n_in records (1 failed)" "$T/stats.err" || fail "-j $j: no records line: $(cat "$T/stats.err")"
	for s in tokenize sentences entities quotes read/write; do
		grep -q "^whosaid: $s " "$T/stats.err" || fail "-j $j: no $s line"
	done
	grep -q 'MB/s per core' "$T/stats.err" || fail "-j $j: no MB/s per core"
	# the text lines come after the plain run's stderr, which is unchanged
	head -n "$(wc -l < "$T/plain.err")" "$T/stats.err" | cmp -s - "$T/plain.err" ||
		fail "-j $j: --stats changes the record messages"

	st=0
	$W run -j $j --stats=json "$T/in.jsonl" > "$T/json" 2> "$T/json.err" || st=$?
	[ $st = 1 ] || fail "-j $j --stats=json: exit $st"
	cmp -s "$T/plain" "$T/json" || fail "-j $j: --stats=json changes the output"
	tail -n 1 "$T/json.err" | python3 -c '
import json, sys
j, n_in, text_bytes = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = json.loads(sys.stdin.read())
def check(c, what):
    if not c:
        sys.exit("e2e_stats: --stats=json: " + what + ": " + json.dumps(s))
check(s["records"] == n_in and s["failed"] == 1, "records")
check(s["jobs"] == j, "jobs")
check(abs(s["text_mb"] - text_bytes / 1e6) < 0.0006, "text_mb")
check(s["wall_s"] > 0 and s["cpu_s"] > 0 and s["mb_per_s_per_core"] > 0, "times")
check(s["startup_ms"] >= 0 and s["startup_ms"] < 1000 * s["wall_s"], "startup_ms")
st = s["stages"]
check(sorted(st) == sorted(["tokenize", "sentences", "entities", "quotes", "read_write"]), "stage names")
check(abs(sum(v["share"] for v in st.values()) - 1) < 0.01, "shares add up to 1")
check(all(v["share"] > 0 and v["mb_per_s_per_core"] > 0 for v in st.values()), "every stage timed")
' "$j" "$n_in" "$text_bytes" || fail "-j $j: bad JSON stats"
done

st=0
$W run --stats=xml "$T/in.jsonl" > /dev/null 2>&1 || st=$?
[ $st = 2 ] || fail "--stats=xml: exit $st, want 2"

# progress: off when stderr is not a terminal, on with --progress (the
# last line is cleared), off again with --quiet; output unchanged
$W run -j 2 --progress "$T/in.jsonl" > "$T/pg" 2> "$T/pg.err" || true
cmp -s "$T/plain" "$T/pg" || fail "--progress changes the output"
grep -q "$(printf '\r')" "$T/pg.err" && fail "a run of a few ms shows a progress line"
$W run -j 2 --progress --quiet "$T/in.jsonl" > /dev/null 2> "$T/q.err" || true
cmp -s "$T/q.err" "$T/plain.err" || fail "--quiet still shows progress"
# a longer run (the sample 4000 times over, 55 MB, a second or more: at
# 1200 times, 16 MB, an idle machine finished in about 0.25 s, before the
# first progress line) from a file (ETA), and a pipe that pauses for a
# second (size unknown: no ETA)
i=0
while [ $i -lt 4000 ]; do cat "$in"; i=$((i + 1)); done > "$T/big.jsonl"
$W run -j 2 --progress "$T/big.jsonl" > /dev/null 2> "$T/big.err"
tr '\r' '\n' < "$T/big.err" | grep -q 'records/s .* MB/s .*% *ETA [0-9]*:[0-9][0-9]' ||
	fail "--progress on a file: no line with records/s, MB/s and ETA: $(tr '\r' '\n' < "$T/big.err" | head -3)"
tail -c 4 "$T/big.err" | od -c | grep -q '\[   K' || fail "--progress: the last line is not cleared"
{ cat "$in" "$in"; sleep 1; cat "$in"; } | $W run -j 2 --progress > /dev/null 2> "$T/pipe.err"
tr '\r' '\n' < "$T/pipe.err" | grep -q 'records/s' || fail "--progress on a pipe: no line"
tr '\r' '\n' < "$T/pipe.err" | grep -q 'ETA' && fail "--progress on a pipe shows an ETA"
{ cat "$in" "$in"; sleep 1; cat "$in"; } | $W run -j 2 > /dev/null 2> "$T/none.err"
[ ! -s "$T/none.err" ] || fail "progress shown on a stderr that is no terminal"
exit 0
