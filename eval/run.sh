#!/bin/sh
# The evaluation report (`make eval`): runs the pipeline on PolNeAR dev and
# on the seed articles, scores the output with build/whosaid-eval and
# prints every table as one report. EVAL_TRAIN=1 also scores PolNeAR train.
# B is the build directory, SHARED the shared data folder. Predictions and
# the numbers as JSON stay in $B/eval/ for a later look.
set -u
B=${B:-build}
SHARED=${SHARED:-../shared}
J=${J:-2}
EV="$B/whosaid-eval"
W="$B/whosaid"
OUT="$B/eval"
DATA="$SHARED/data"

die() {
	echo "eval: $*" >&2
	exit 1
}

[ -x "$EV" ] || die "$EV is missing: run make first"
[ -x "$W" ] || die "$W is missing: run make first"
[ -r "$DATA/eval/polnear-dev.jsonl" ] || die "no $DATA/eval/polnear-dev.jsonl (set SHARED)"
mkdir -p "$OUT" || die "cannot create $OUT"

# Runs the pipeline on $1 into $2. Exit 1 (some records carry an error)
# still leaves one output record per input record, so it is scored.
pipe() {
	"$W" run --format jsonl -j "$J" "$1" >"$2" 2>"$2.err"
	rc=$?
	if [ $rc -ge 2 ]; then
		head -n 5 "$2.err" >&2
		die "'$W run --format jsonl $1' failed (exit $rc); the pipeline's run command" \
			"with JSON Lines output is needed for the evaluation"
	fi
	[ $rc = 1 ] && echo "eval: note: some records of $1 carry an error (see $2.err)" >&2
	in=$(grep -c . "$1")
	out=$(grep -c . "$2")
	[ "$in" = "$out" ] || die "$1: $in input records but $out output records"
	return 0
}

# Times one pipeline run, in seconds, with the shell's clock.
now() { date +%s.%N; }

# Keep the last run's numbers to show what changed.
for f in dev seeds entcov golden; do
	[ -f "$OUT/$f.json" ] && mv "$OUT/$f.json" "$OUT/$f.prev.json"
done

t0=$(now)
pipe "$DATA/eval/polnear-dev.jsonl" "$OUT/dev.pred.jsonl"
t1=$(now)
pipe "$DATA/seeds/articles.jsonl" "$OUT/seeds.pred.jsonl"
if [ "${EVAL_TRAIN:-0}" = 1 ]; then
	pipe "$DATA/eval/polnear-train.jsonl" "$OUT/train.pred.jsonl"
fi

echo "== whosaid evaluation ($(git describe --always --dirty 2>/dev/null || echo '?'), $(date -u +%Y-%m-%dT%H:%MZ)) =="
echo "pipeline on PolNeAR dev: $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s with -j $J"
echo
fail=0
"$EV" --by-outlet polnear "$DATA/eval/polnear-dev.jsonl" "$OUT/dev.pred.jsonl" || fail=1
echo
if [ "${EVAL_TRAIN:-0}" = 1 ]; then
	"$EV" polnear "$DATA/eval/polnear-train.jsonl" "$OUT/train.pred.jsonl" || fail=1
	echo
fi
"$EV" seeds --articles "$DATA/seeds/articles.jsonl" "$DATA/seeds/gold-quotes.jsonl" \
	"$DATA/seeds/gold-entities.jsonl" "$OUT/seeds.pred.jsonl" || fail=1
echo
"$EV" entcov "$DATA/eval/polnear-dev.jsonl" "$OUT/dev.pred.jsonl" || fail=1
echo
# Sentences: the golden rules test prints its own score ("golden rules: N/48").
rm -f "$OUT/golden.json"
if [ -x "$B/tests/test_golden_rules" ]; then
	g=$(SHARED="$SHARED" "$B/tests/test_golden_rules" 2>&1 | grep -m 1 '^golden rules:')
	echo "${g:-golden rules: no score printed}"
	n=$(echo "$g" | sed -n 's|^golden rules: \([0-9]*\)/\([0-9]*\).*|\1 \2|p')
	[ -n "$n" ] && echo "$n" | awk '{ printf "{\"mode\": \"golden\", \"passed\": %d, \"total\": %d}\n", $1, $2 }' >"$OUT/golden.json"
else
	echo "golden rules: $B/tests/test_golden_rules not built"
fi

# The same numbers for machines.
{
	"$EV" --json polnear "$DATA/eval/polnear-dev.jsonl" "$OUT/dev.pred.jsonl" >"$OUT/dev.json" &&
		"$EV" --json -v seeds --articles "$DATA/seeds/articles.jsonl" \
			"$DATA/seeds/gold-quotes.jsonl" "$DATA/seeds/gold-entities.jsonl" \
			"$OUT/seeds.pred.jsonl" >"$OUT/seeds.json" &&
		"$EV" --json entcov "$DATA/eval/polnear-dev.jsonl" "$OUT/dev.pred.jsonl" >"$OUT/entcov.json"
} || fail=1
if [ "${EVAL_TRAIN:-0}" = 1 ]; then
	"$EV" --json polnear "$DATA/eval/polnear-train.jsonl" "$OUT/train.pred.jsonl" >"$OUT/train.json" ||
		fail=1
fi
echo
echo "== targets (eval/targets.txt) =="
"$EV" check eval/targets.txt "$OUT" || fail=1
if [ -f "$OUT/dev.prev.json" ] && [ -f "$OUT/dev.json" ]; then
	echo
	echo "== changes since the previous make eval (F1, accuracy, counts right) =="
	for f in dev seeds entcov golden; do
		[ -f "$OUT/$f.prev.json" ] && [ -f "$OUT/$f.json" ] &&
			"$EV" compare "$OUT/$f.prev.json" "$OUT/$f.json"
	done
fi
echo
echo "(misses: $EV -v seeds ... or -v polnear ...; JSON in $OUT/*.json)"
exit $fail
