#!/bin/sh
# Output is byte-identical for every -j, in both output formats, on the
# sample, on an input with bad records mixed in (stderr identical too), and
# on PolNeAR dev when $SHARED has it; its JSON and msgpack paths agree.
set -eu
B=${B:-build}
SHARED=${SHARED:-../shared}
W=$B/whosaid
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "e2e_jobs: $*" >&2; exit 1; }

same_for_all_j() { # FILE [options]: -j 1, 2, 3 and 8 agree, stdout and stderr
	f=$1
	shift
	st=0
	$W run -j 1 "$@" "$f" > "$T/ref" 2> "$T/ref.err" || st=$?
	[ $st -le 1 ] || fail "run -j 1 $f: exit $st"
	for j in 2 3 8; do
		st2=0
		$W run -j $j "$@" "$f" > "$T/got" 2> "$T/got.err" || st2=$?
		[ $st2 = $st ] || fail "-j $j exits $st2, -j 1 exits $st ($f)"
		cmp -s "$T/ref" "$T/got" || fail "-j $j output differs from -j 1 ($f $*)"
		cmp -s "$T/ref.err" "$T/got.err" || fail "-j $j stderr differs from -j 1 ($f $*)"
	done
}

same_for_all_j sample/articles.jsonl
same_for_all_j sample/articles.jsonl -f jsonl --emit tokens,sentences

# many small records with bad ones between them
i=0
: > "$T/many.jsonl"
while [ $i -lt 300 ]; do
	case $((i % 7)) in
	3) echo '{"id":"bad'$i'"}' ;;
	5) echo '{broken' ;;
	*) echo '{"id":"r'$i'","text":"Record '$i' says \"hello,\" she said. It rains."}' ;;
	esac
	i=$((i + 1))
done >> "$T/many.jsonl"
same_for_all_j "$T/many.jsonl"
same_for_all_j "$T/many.jsonl" -f jsonl

# streamed in small pieces through a pipe: same output as from the file
$W pack sample/articles.jsonl > "$T/sample.mpk"
for f in sample/articles.jsonl "$T/sample.mpk" "$T/many.jsonl"; do
	$W run -j 2 "$f" > "$T/file.out" 2>/dev/null || true
	dd if="$f" bs=13 status=none | $W run -j 2 > "$T/pipe.out" 2>/dev/null || true
	cmp -s "$T/file.out" "$T/pipe.out" || fail "$f read through a pipe in 13-byte pieces differs"
done

dev=$SHARED/data/eval/polnear-dev.jsonl
if [ -r "$dev" ]; then
	same_for_all_j "$dev"
	$W run -j 2 -f jsonl "$dev" > "$T/dev.json.jsonl"
	$W pack "$dev" > "$T/dev.mpk"
	$W run -j 2 "$T/dev.mpk" | $W dump > "$T/dev.mpk.jsonl"
	cmp -s "$T/dev.json.jsonl" "$T/dev.mpk.jsonl" || fail "PolNeAR dev: JSON path and msgpack path differ"
	n_in=$(grep -c . "$dev")
	n_out=$(wc -l < "$T/dev.json.jsonl" | tr -d ' ')
	[ "$n_in" = "$n_out" ] || fail "PolNeAR dev: $n_in records in, $n_out out"
else
	echo "e2e_jobs: $dev not found; PolNeAR checks skipped" >&2
fi
exit 0
