#!/bin/sh
# End to end checks of whosaid-eval on files: the PolNeAR dev gold written as
# predictions must score 1.000; hand-made predictions (off by a byte, broken
# lines, missing records and fields) must score what is worked out below;
# the seeds mode on a hand-made article. Needs $B/whosaid-eval and $SHARED.
set -u
B=${B:-build}
SHARED=${SHARED:-../shared}
EV="$B/whosaid-eval"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # label, got, want
	if [ "$2" != "$3" ]; then
		echo "e2e_eval: $1: got '$2', want '$3'"
		fail=1
	fi
}
# The F1 column of the all-attributions half of a polnear table row.
f1() { grep "^$1" "$2" | awk '{ print $5 }'; }

# 1. Gold as predictions: every exact and overlap F1 is 1.000.
DEV="$SHARED/data/eval/polnear-dev.jsonl"
if [ -r "$DEV" ]; then
	"$EV" gold2pred "$DEV" >"$T/g.jsonl" || { echo "e2e_eval: gold2pred failed"; exit 1; }
	"$EV" polnear "$DEV" "$T/g.jsonl" >"$T/g.txt" || { echo "e2e_eval: polnear failed"; exit 1; }
	for row in "source exact" "cue exact" "content exact" "content overlap>0" "content cover>=30%"; do
		check "gold as prediction, $row" "$(f1 "$row" "$T/g.txt")" "1.000"
	done
	# No predictions at all: zeros, no crash, every doc reported missing.
	"$EV" polnear "$DEV" /dev/null >"$T/z.txt" || fail=1
	check "empty predictions" "$(f1 "content exact" "$T/z.txt")" "0.000"
	check "empty predictions, missing docs" \
		"$(grep -o 'missing from predictions [0-9]*' "$T/z.txt")" "missing from predictions 84"
	# compare: from no predictions to the gold, content F1 goes 0 -> 1.
	"$EV" --json polnear "$DEV" /dev/null >"$T/z.json" 2>/dev/null
	"$EV" --json polnear "$DEV" "$T/g.jsonl" >"$T/g.json"
	check "compare" "$("$EV" compare "$T/z.json" "$T/g.json" | awk '$1 == "all.content.f1" { print $2, $4 }')" "0.000 1.000"
	check "compare, same" "$("$EV" compare "$T/g.json" "$T/g.json" | tail -n 1)" "  no change"
	# check: targets against a report directory.
	mkdir "$T/rep" && cp "$T/g.json" "$T/rep/dev.json"
	printf 'dev all.content.f1 0.9 x\ndev quoted.speaker.accuracy 1.01 y\nnone a.b 1 z\n' >"$T/targets"
	"$EV" check "$T/targets" "$T/rep" >"$T/c.txt"
	check "check, met" "$(awk '$2 == "all.content.f1" { print $5 }' "$T/c.txt")" "met"
	check "check, below" "$(awk '$2 == "quoted.speaker.accuracy" { print $5 }' "$T/c.txt")" "BELOW"
	check "check, total" "$(tail -n 1 "$T/c.txt")" "1 of 3 targets met"
else
	echo "e2e_eval: $DEV not found, skipping the PolNeAR checks"
fi

# 2. A hand-made gold document and predictions.
# text: He said "we will win." Then Ann Lee said that taxes rise.
#       0123456789...
cat >"$T/gold.jsonl" <<'EOF'
{"id": "d1", "text": "He said \"we will win.\" Then Ann Lee said that taxes rise.", "gold": [{"source": [[0, 2]], "cue": [[3, 7]], "content": [[8, 22]], "direct": true}, {"source": [[28, 35]], "cue": [[36, 40]], "content": [[41, 57]], "direct": false}]}
{"id": "d2", "text": "Nobody said anything.", "gold": []}
EOF
# Quote 1 exact (inside the marks), speaker right; quote 2 one byte short
# ("taxes ris"), cue missing, speaker null. A broken line, a record without
# id, a quote without offsets, and d2 missing.
cat >"$T/pred.jsonl" <<'EOF'
{"id": "d1", "entities": [{"start": 28, "end": 35, "type": "PER", "text": "Ann Lee"}], "quotes": [{"start": 9, "end": 20, "kind": "direct", "speaker": {"start": 0, "end": 2, "text": "He"}, "cue": {"start": 3, "end": 7}}, {"start": 46, "end": 55, "kind": "indirect", "speaker": null}, {"kind": "direct"}]}
{"broken
{"quotes": []}
EOF
"$EV" polnear "$T/gold.jsonl" "$T/pred.jsonl" >"$T/h.txt" 2>"$T/h.err" || fail=1
check "hand-made, content exact" "$(grep '^content exact' "$T/h.txt" | awk '{ print $6, $7, $8 }')" "1 2 2"
check "hand-made, source exact" "$(grep '^source exact' "$T/h.txt" | awk '{ print $6, $7, $8 }')" "1 1 2"
check "hand-made, cue exact" "$(grep '^cue exact' "$T/h.txt" | awk '{ print $6, $7, $8 }')" "1 1 2"
check "hand-made, cover>=80%" "$(grep '^content cover>=80%' "$T/h.txt" | awk '{ print $6 }')" "2"
check "hand-made, quoted content" "$(grep '^content exact' "$T/h.txt" | awk '{ print $12, $13, $14 }')" "1 1 1"
check "hand-made, speaker" "$(grep '^speaker accuracy' "$T/h.txt" | awk '{ print $5 }')" "1/2"
check "hand-made, missing" "$(grep -o 'missing from predictions [0-9]*' "$T/h.txt")" "missing from predictions 1"
grep -qw 'd1' "$T/h.err" && { echo "e2e_eval: unexpected complaint about d1"; fail=1; }
# Per outlet (the id is the outlet here): d1 content 1 of 2 exact, d2 none.
"$EV" --by-outlet polnear "$T/gold.jsonl" "$T/pred.jsonl" >"$T/o.txt" 2>/dev/null || fail=1
check "by outlet, d1" "$(awk '$1 == "d1" { print $2, $3, $6 }' "$T/o.txt")" "1 2 0.500"
check "by outlet, d2" "$(awk '$1 == "d2" { print $2, $3, $6 }' "$T/o.txt")" "1 0 0.000"
"$EV" entcov "$T/gold.jsonl" "$T/pred.jsonl" >"$T/e.txt" 2>/dev/null || fail=1
check "hand-made entcov" "$(grep 'exact span' "$T/e.txt" | awk '{ print $NF }')" "1/1"

# 3. Seeds mode on a hand-made article.
cat >"$T/articles.jsonl" <<'EOF'
{"id": "s1", "date": "2024-05-09", "text": "Kim Jong-Un said \"we will win\" on Monday. Later Kim said we will win again."}
EOF
cat >"$T/gq.jsonl" <<'EOF'
{"doc": "s1", "speaker": ["Kim Jong Un"], "quote": "we will win", "kind": "direct", "cue": "said", "when": "2024-05-06"}
{"doc": "s1", "speaker": ["Kim Jong Un"], "quote": "we will win", "kind": "indirect", "cue": "said", "near": "Later Kim"}
EOF
cat >"$T/ge.jsonl" <<'EOF'
{"doc": "s1", "text": "Kim Jong-Un", "type": "PER"}
{"doc": "s1", "text": "Monday", "type": "MISC"}
EOF
cat >"$T/sp.jsonl" <<'EOF'
{"id": "s1", "entities": [{"start": 0, "end": 11, "type": "PER"}], "quotes": [{"start": 18, "end": 29, "kind": "direct", "when": "2024-05-06", "speaker": {"start": 0, "end": 11, "text": "Kim Jong-Un", "name": "Kim Jong Un"}}, {"start": 57, "end": 74, "kind": "mixed", "when": "2024-05-09", "speaker": {"start": 48, "end": 51, "text": "Kim", "name": null}}]}
EOF
"$EV" seeds --articles "$T/articles.jsonl" "$T/gq.jsonl" "$T/ge.jsonl" "$T/sp.jsonl" >"$T/s.txt" || fail=1
check "seeds quoted" "$(grep '^quoted' "$T/s.txt" | awk '{ print $2, $3, $4 }')" "1/1 1/1 1/1"
check "seeds indirect" "$(grep '^indirect' "$T/s.txt" | awk '{ print $2, $3, $4 }')" "1/1 0/1 0/1"
check "seeds when" "$(grep '^dated' "$T/s.txt" | awk '{ print $2 }')" "1/1"
check "seeds entities" "$(grep '^entities' "$T/s.txt" | awk '{ print $2 }')" "1/2"
[ $fail = 0 ] || { echo "--- tables:"; cat "$T"/*.txt; }
exit $fail
