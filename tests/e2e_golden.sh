#!/bin/sh
# Golden files (tests/golden/): the driver's own output, which no stage
# changes. NAME.in.jsonl and NAME.in.msgpack go through `whosaid run -f
# jsonl -j 2`; stdout must equal NAME.expected, stderr plus a last line
# "exit N" NAME.stderr.expected. dump.in.jsonl (hand-made output records)
# goes through every `dump` table and format, each compared with
# dump.TABLE.FORMAT.expected. REGEN=1 rewrites the expected files instead
# (then review them with git diff).
set -u
B=${B:-build}
W=$(pwd)/$B/whosaid
G=tests/golden
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # GOT EXPECTED
	if [ -n "${REGEN:-}" ]; then
		cp "$1" "$2"
	elif ! diff -u "$2" "$1" >&2; then
		echo "e2e_golden: $2 differs (REGEN=1 rewrites it)" >&2
		fail=1
	fi
}
for in in $G/*.in.jsonl $G/*.in.msgpack; do
	name=${in%.in.*}
	[ "$name" = "$G/dump" ] && continue
	$W run -f jsonl -j 2 "$in" > "$T/out" 2> "$T/err"
	echo "exit $?" >> "$T/err"
	check "$T/out" "$name.expected"
	check "$T/err" "$name.stderr.expected"
done
for t in docs quotes entities; do
	for f in jsonl csv tsv table; do
		$W dump --table $t --format $f --width 80 $G/dump.in.jsonl > "$T/out" 2>&1 ||
			{ echo "e2e_golden: dump --table $t --format $f failed" >&2; fail=1; }
		check "$T/out" "$G/dump.$t.$f.expected"
	done
done
exit $fail
