#!/bin/sh
# Error records and exit codes: every input record gives one output record;
# bad records carry `error` and make the run exit 1; bad usage, unreadable
# input, model or output exit 2; -h works on every command.
set -u
B=${B:-build}
W=$B/whosaid
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "e2e_errors: $*" >&2; exit 1; }
# expect STATUS CMD...: runs CMD, stdout to $T/out, stderr to $T/err
expect() {
	want=$1
	shift
	"$@" > "$T/out" 2> "$T/err"
	got=$?
	[ "$got" = "$want" ] || { cat "$T/err" >&2; fail "exit $got, wanted $want: $*"; }
}
count() { $W dump "$1" | wc -l | tr -d ' '; }

# -h on every command
for c in run pack dump model; do
	expect 0 $W $c -h
	grep -q '^usage: whosaid' "$T/out" || fail "$c -h prints no usage"
done
expect 0 $W -h
expect 2 $W
expect 2 $W frobnicate

# bad usage
expect 2 $W run -j 0 sample/articles.jsonl
expect 2 $W run --format xml sample/articles.jsonl
expect 2 $W run --emit words sample/articles.jsonl
expect 2 $W run --no-such-option
expect 2 $W dump --table people sample/articles.jsonl
expect 2 $W model build
grep -q 'usage' "$T/err" || fail "usage error prints no usage"

# unreadable input
expect 2 $W run "$T/missing.jsonl"
grep -q 'missing.jsonl' "$T/err" || fail "missing file not named"
expect 2 $W run "$T"
expect 2 $W pack "$T/missing.jsonl"
expect 2 $W dump "$T/missing.mpk"

# unreadable or corrupt model
expect 2 $W run -m "$T/none.model" sample/articles.jsonl
grep -q 'model' "$T/err" || fail "missing model not reported"
head -c 1000 /dev/urandom > "$T/junk.model"
expect 2 $W run -m "$T/junk.model" sample/articles.jsonl
grep -q 'not a whosaid model' "$T/err" || fail "corrupt model not reported"
msize=$(wc -c < "$B/whosaid.model")
head -c $((msize - 1)) "$B/whosaid.model" > "$T/cut.model"
expect 2 $W run -m "$T/cut.model" sample/articles.jsonl
WHOSAID_MODEL="$T/junk.model" $W run sample/articles.jsonl > /dev/null 2>&1
[ $? = 2 ] || fail "WHOSAID_MODEL is not used"

# model build: a model that run accepts; a missing source folder
expect 0 $W model build -o "$T/m.model" models/src
grep -q "built $T/m.model: [0-9]* bytes in [0-9.]* s" "$T/err" || fail "model build reports no size and time"
expect 0 $W run -m "$T/m.model" sample/articles.jsonl
expect 2 $W model build -o "$T/m2.model" "$T/no-such-dir"
expect 2 $W model frobnicate

# the output must not be one of the inputs
cp sample/articles.jsonl "$T/same.jsonl"
expect 2 $W run -o "$T/same.jsonl" "$T/same.jsonl"
cmp -s sample/articles.jsonl "$T/same.jsonl" || fail "run -o overwrote its input"
expect 2 $W pack -o "$T/same.jsonl" "$T/same.jsonl"
expect 2 $W dump -o "$T/same.jsonl" "$T/same.jsonl"

# unwritable output
expect 2 $W run -o "$T/no/such/dir/out.mpk" sample/articles.jsonl
if [ -w /dev/full ]; then
	expect 2 $W run -o /dev/full sample/articles.jsonl
	grep -q 'failed' "$T/err" || fail "full disk not reported"
fi

# a closed pipe on output: a message and status 2, not a silent death
i=0
while [ $i -lt 3000 ]; do echo '{"id":"p'$i'","text":"Some words to fill the pipe with output."}'; i=$((i + 1)); done > "$T/pipe.jsonl"
for j in 1 2; do
	{ $W run -j $j -f jsonl "$T/pipe.jsonl" 2> "$T/err"; echo $? > "$T/st"; } | head -c 10 > /dev/null
	[ "$(cat "$T/st")" = 2 ] || fail "-j $j: closed pipe gives status $(cat "$T/st"), wanted 2"
	grep -q 'writing standard output failed: Broken pipe' "$T/err" || fail "-j $j: closed pipe not reported"
done

# empty input: no records, success
: > "$T/empty"
expect 0 $W run "$T/empty"
[ ! -s "$T/out" ] || fail "empty input gave output"
printf '\n\n  \n' > "$T/blank"
expect 0 $W run "$T/blank"

# bad records in JSON Lines: each gives an error record in its place
printf '%s\n' '{"id":"a","text":"Fine."}' '{"id": "b"}' '[1,2]' '{broken' '' \
	'{"id":"q","text":5}' '{"text":"no id"}' '{"id":"z","text":"Fine too."}' > "$T/mixed.jsonl"
expect 1 $W run -j 2 "$T/mixed.jsonl"
cp "$T/out" "$T/mixed.mpk"
[ "$(count "$T/mixed.mpk")" = 7 ] || fail "7 records in, $(count "$T/mixed.mpk") out"
grep -qx 'whosaid: record 1 (line 2, id "b"): malformed record: text is missing' "$T/err" ||
	{ cat "$T/err" >&2; fail "stderr does not name record 1"; }
grep -q '^whosaid: record 3 (line 4): malformed record: broken JSON' "$T/err" || fail "broken line not named"
grep -q '^whosaid: record 4 (line 6, id "q"): malformed record: text is not a string' "$T/err" ||
	fail "non-string text not named"
grep -q '^whosaid: 5 of 7 records failed' "$T/err" || fail "no summary"
$W dump "$T/mixed.mpk" > "$T/mixed.out.jsonl"
sed -n 2p "$T/mixed.out.jsonl" | grep -q '"id":"b","entities":\[\],"quotes":\[\],"error":{"code":"bad_record","message":"text is missing","position":1,"line":2}' ||
	fail "error record 1 wrong: $(sed -n 2p "$T/mixed.out.jsonl")"
sed -n 4p "$T/mixed.out.jsonl" | grep -q '^{"entities":\[\],"quotes":\[\],"error":{"code":"bad_record","message":"broken JSON' ||
	fail "broken line record wrong"
sed -n 7p "$T/mixed.out.jsonl" | grep -q '"id":"z"' || fail "record after errors lost"

# pack keeps the count too, and then run reports the broken ones
expect 1 $W pack "$T/mixed.jsonl"
cp "$T/out" "$T/packed.mpk"
expect 1 $W run "$T/packed.mpk"
[ "$(count "$T/out")" = 7 ] || fail "pack -> run lost records"

# truncated msgpack: complete records kept, one error record for the rest
$W pack sample/articles.jsonl > "$T/s.mpk"
size=$(wc -c < "$T/s.mpk")
head -c $((size - 100)) "$T/s.mpk" > "$T/cut.mpk"
expect 1 $W run "$T/cut.mpk"
grep -q 'record 4: malformed record: input ends inside a record' "$T/err" || fail "truncation not reported"
[ "$(count "$T/out")" = 5 ] || fail "truncated stream: wrong record count"

# non-map msgpack items
printf '\222\001\002\201\242id\241x' > "$T/nonmap.mpk" # [1,2] then {"id":"x"}
printf '\201\242id\241y' | cat - "$T/nonmap.mpk" > "$T/nonmap2.mpk"
expect 1 $W run "$T/nonmap2.mpk"
[ "$(count "$T/out")" = 3 ] || fail "non-map items: wrong record count"
grep -q 'record 1: malformed record: record is an array, not a map' "$T/err" || fail "non-map not named"

# invalid UTF-8: a warning, offsets kept; --strict makes it an error
printf '\202\242id\241u\244text\245ab\377cd' > "$T/bad8.mpk"
expect 0 $W run -f jsonl "$T/bad8.mpk"
grep -qF "$(printf '"text":"ab\357\277\275cd"')" "$T/out" || fail "JSON text does not show U+FFFD"
grep -q '"warnings":\["invalid_utf8"\]' "$T/out" || fail "no invalid_utf8 warning"
grep -q 'warning: invalid_utf8' "$T/err" || fail "warning not on stderr"
expect 1 $W run --strict -f jsonl "$T/bad8.mpk"
grep -q '"code":"bad_utf8"' "$T/out" || fail "--strict did not refuse invalid UTF-8"

# several files: positions run on across files, and files are named
expect 1 $W run sample/articles.jsonl "$T/mixed.jsonl"
grep -q "mixed.jsonl: record 6 (line 2, id \"b\")" "$T/err" || { cat "$T/err" >&2; fail "file or position wrong"; }
[ "$(count "$T/out")" = 12 ] || fail "two files: wrong record count"
exit 0
