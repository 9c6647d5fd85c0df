#!/bin/sh
# Pathological input, each case under a time limit: the run must end with
# valid output (one record per input record) or an error record, never a
# hang or a crash. The sizes are those of the reliability issue (20 MB
# without punctuation, 100,000 quotation marks, one 10 MB paragraph,
# 100,000 nested brackets): each takes well under a second here, so the
# generous PATHO_TIMEOUT (60 s, for sanitizer builds on a busy machine)
# only catches work that grows faster than the input. The 4 GB length prefix runs with virtual memory capped
# at 2 GB, so allocating the record would fail the test.
set -u
B=${B:-build}
W=$(pwd)/$B/whosaid
T=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then echo "e2e_patho: keeping $T" >&2; else trap 'rm -rf "$T"' EXIT; fi
LIMIT=${PATHO_TIMEOUT:-60}
fail() { echo "e2e_patho: $*" >&2; exit 1; }
# case NAME WANT_STATUS WANT_RECORDS FILE [run options]
case_() {
	name=$1 want=$2 nrec=$3 file=$4
	shift 4
	timeout "$LIMIT" $W run "$@" -o "$T/$name.out" "$file" 2> "$T/$name.err"
	got=$?
	[ $got = 124 ] && fail "$name: no result within ${LIMIT}s"
	[ $got -ge 128 ] && fail "$name: killed by signal $((got - 128))"
	[ "$got" = "$want" ] || { head -c 2000 "$T/$name.err" >&2; fail "$name: exit $got, wanted $want"; }
	n=$($W dump "$T/$name.out" | wc -l | tr -d ' ')
	[ "$n" = "$nrec" ] || fail "$name: $n output records, wanted $nrec"
}
# json_text NAME: a JSON Lines record around the text on stdin (already
# JSON-escaped), then a normal record after it.
json_text() {
	{ printf '{"id":"%s","text":"' "$1"; cat; printf '"}\n{"id":"after","text":"He said \\"yes\\"."}\n'; } > "$T/$1.jsonl"
}

# a 4 GB length prefix, with only a little of the record present
printf '\202\242id\241x\244text\333\377\377\377\377' > "$T/huge.mpk"
head -c 100000 /dev/zero >> "$T/huge.mpk"
# (sanitizer builds reserve more address space than that: no cap for them)
if ( ulimit -v 2000000 && $W run -h > /dev/null ) 2> /dev/null; then
	( ulimit -v 2000000; case_ huge 1 1 "$T/huge.mpk" ) || exit 1
else
	case_ huge 1 1 "$T/huge.mpk"
fi
grep -q 'record 0: a size limit was exceeded' "$T/huge.err" || fail "huge: no limit error"

# an array that claims 4 G items, then nothing
printf '\201\241x\335\377\377\377\377' > "$T/items.mpk"
case_ items 1 1 "$T/items.mpk"

# 20 MB of words without punctuation (names and titles among them, so
# that the entity stage looks them up); 2 MB of the same with a reporting
# verb every six words (an attribution each: the quote stage's worst case,
# linear but some 2 MB/s); and 10 MB in one paragraph
yes 'word Smith went to the Minister' | head -n 650000 | tr '\n' ' ' | json_text nopunct
case_ nopunct 0 2 "$T/nopunct.jsonl"
yes 'word Smith said that the Minister' | head -n 60000 | tr '\n' ' ' | json_text nopunctcue
case_ nopunctcue 0 2 "$T/nopunctcue.jsonl"
yes 'Lorem ipsum dolor sit amet, consectetur adipiscing elit' | head -n 180000 | tr '\n' ' ' | json_text para
case_ para 0 2 "$T/para.jsonl" -j 2

# 100,000 quotation marks: straight, curly, and alternating with words
yes '\"' | head -n 100000 | tr -d '\n' | json_text straight
case_ straight 0 2 "$T/straight.jsonl"
yes '“' | head -n 100000 | tr -d '\n' | json_text curly
case_ curly 0 2 "$T/curly.jsonl"
yes '\"a said \"' | head -n 100000 | tr -d '\n' | json_text mixedq
case_ mixedq 0 2 "$T/mixedq.jsonl"

# 100,000 brackets, open only and nested pairs (100,000 deep), and nested
# with words and quotation marks between them
yes '(' | head -n 100000 | tr -d '\n' | json_text open
case_ open 0 2 "$T/open.jsonl"
{ yes '([' | head -n 50000 | tr -d '\n'; yes '])' | head -n 50000 | tr -d '\n'; } | json_text nested
case_ nested 0 2 "$T/nested.jsonl"
{ yes '(he said \"a [' | head -n 100000 | tr -d '\n'; yes ']\" b)' | head -n 100000 | tr -d '\n'; } | json_text nestedw
case_ nestedw 0 2 "$T/nestedw.jsonl"

# deep nesting of a copied-through value, 1,000,000 levels (a recursive
# reader would need some 50 MB of stack for it): JSON and msgpack, through
# run and dump
{ printf '{"id":"deep","text":"x","extra":'; head -c 1000000 /dev/zero | tr '\0' '['; head -c 1000000 /dev/zero | tr '\0' ']'; printf '}\n'; } > "$T/deep.jsonl"
printf '{"id":"after","text":"ok"}\n' >> "$T/deep.jsonl"
case_ deepjson 1 2 "$T/deep.jsonl"
{ printf '\203\242id\241d\244text\241x\245extra'; head -c 1000000 /dev/zero | tr '\0' '\221'; printf '\300'; } > "$T/deep.mpk"
case_ deepmpk 1 1 "$T/deep.mpk"
timeout "$LIMIT" $W dump "$T/deep.mpk" > "$T/deepdump.out" 2> "$T/deepdump.err"
[ $? = 1 ] || fail "deepdump: exit status"
grep -q 'nested deeper than' "$T/deepdump.err" || fail "deepdump: not reported"

# a stream of 0xc1 (a byte msgpack never uses) after a good record
{ printf '\202\242id\241g\244text\241x'; head -c 1000 /dev/zero | tr '\0' '\301'; } > "$T/c1.mpk"
case_ c1 1 2 "$T/c1.mpk"

# binary garbage as input
head -c 100000 /dev/urandom > "$T/random.bin"
timeout "$LIMIT" $W run "$T/random.bin" > "$T/random.out" 2> "$T/random.err"
got=$?
[ $got = 1 ] || [ $got = 0 ] || fail "random: exit $got"
exit 0
