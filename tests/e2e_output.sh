#!/bin/sh
# Output failures: a full disk (/dev/full) or a closed pipe on output ends
# `run`, `pack` and `dump` with a clear message on stderr and exit status 2,
# never with success after a partial record; for run at -j 1 and -j 2, in
# msgpack and JSON, to -o FILE and to standard output.
set -u
B=${B:-build}
W=$B/whosaid
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "e2e_output: $*" >&2; exit 1; }

# far more output than a pipe buffer and stdio's buffer hold (about 2 MB
# as msgpack, more as JSON or a table), so that the writer must block
i=0
while [ $i -lt 1000 ]; do
	echo '{"id":"p'$i'","text":"\"We will fill the pipe,\" Mr. Kim Jong Un told reporters in Seoul on Monday. Russia said so too, according to the Kremlin."}'
	i=$((i + 1))
done > "$T/one.jsonl"
cat "$T/one.jsonl" "$T/one.jsonl" "$T/one.jsonl" "$T/one.jsonl" "$T/one.jsonl" "$T/one.jsonl" > "$T/in.jsonl"
$W run "$T/in.jsonl" > "$T/in.mpk" || fail "run on the input failed"
[ "$(wc -c < "$T/in.mpk")" -gt 1000000 ] || fail "test output too small to fill a pipe"

# full: NAME CMD...: the command writes to a full disk
full() {
	name=$1
	shift
	"$@" > "$T/out" 2> "$T/err"
	st=$?
	[ $st = 2 ] || fail "$name: full disk gives status $st, wanted 2"
	grep -q 'writing .* failed: No space left on device' "$T/err" || { cat "$T/err" >&2; fail "$name: full disk not reported"; }
}
# closed NAME CMD...: the command's standard output is closed after 10 bytes
closed() {
	name=$1
	shift
	{ "$@" 2> "$T/err"; echo $? > "$T/st"; } | head -c 10 > /dev/null
	st=$(cat "$T/st")
	[ "$st" = 2 ] || fail "$name: closed pipe gives status $st, wanted 2"
	grep -q 'writing standard output failed: Broken pipe' "$T/err" || { cat "$T/err" >&2; fail "$name: closed pipe not reported"; }
}

if [ -w /dev/full ]; then
	for j in 1 2; do
		full "run -j $j -o /dev/full" $W run -j $j -o /dev/full "$T/in.jsonl"
		full "run -j $j > /dev/full" sh -c "$W run -j $j '$T/in.jsonl' > /dev/full"
		full "run -j $j jsonl > /dev/full" sh -c "$W run -j $j -f jsonl '$T/in.mpk' > /dev/full"
	done
	full "pack -o /dev/full" $W pack -o /dev/full "$T/in.jsonl"
	for t in docs quotes entities; do
		for f in jsonl csv tsv table; do
			full "dump $t $f -o /dev/full" $W dump --table $t --format $f -o /dev/full "$T/in.mpk"
		done
		full "dump $t > /dev/full" sh -c "$W dump --table $t '$T/in.mpk' > /dev/full"
	done
else
	echo "e2e_output: /dev/full is not writable here: full-disk cases skipped" >&2
fi

for j in 1 2; do
	closed "run -j $j | head" $W run -j $j "$T/in.jsonl"
	closed "run -j $j -f jsonl | head" $W run -j $j -f jsonl "$T/in.mpk"
done
closed "pack | head" $W pack "$T/in.jsonl"
for t in quotes entities; do
	for f in jsonl csv tsv table; do
		closed "dump $t $f | head" $W dump --table $t --format $f "$T/in.mpk"
	done
done
for f in jsonl csv table; do
	closed "dump docs $f | head" $W dump --table docs --format $f "$T/in.mpk"
done

# and the control: the same commands succeed when the output has room
$W run -j 2 -o "$T/ok.mpk" "$T/in.jsonl" 2> "$T/err" || fail "run to a file failed"
cmp -s "$T/ok.mpk" "$T/in.mpk" || fail "run -j 2 output differs from -j 1"
$W dump --table quotes --format csv "$T/in.mpk" > "$T/ok.csv" || fail "dump to a file failed"
[ "$(wc -l < "$T/ok.csv")" -gt 6000 ] || fail "dump wrote too few rows"
exit 0
