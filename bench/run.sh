#!/bin/sh
# make bench: speed and memory of each stage and of the whole pipeline on
# one corpus, with `wc -w` timed on the same text in the same run for scale.
#
# The corpus is the PolNeAR train+dev texts ($SHARED/data/eval) repeated to
# BENCH_MB megabytes of article text (default 50), written once under
# $B/bench/ (never into git): corpus.jsonl (records id, date, source, title,
# text), corpus.txt (the texts, blank-line separated) and corpus.mpk (the
# records packed by `whosaid pack`). Every $B/bench/bench_* binary is run as
# `bench_X -m $B/whosaid.model $B/bench/corpus.jsonl` and prints its own
# line(s): NAME  MB/s per core  records/s  peak RSS. Stage figures are CPU
# time of the stage alone; `whosaid run -j 1` is timed end to end (read
# msgpack, all stages, write msgpack to /dev/null): MB of article text per
# CPU second, and per wall second.
set -eu
B=${B:-build}
SHARED=${SHARED:-../shared}
MB=${BENCH_MB:-50}
dir=$B/bench
corpus=$dir/corpus
bt=$dir/bench_tok
model=$B/whosaid.model
src1=$SHARED/data/eval/polnear-train.jsonl
src2=$SHARED/data/eval/polnear-dev.jsonl

[ -x "$bt" ] || { echo "bench: $bt is missing (run make bench)" >&2; exit 2; }
for f in "$src1" "$src2"; do
	[ -r "$f" ] || { echo "bench: cannot read $f (set SHARED)" >&2; exit 2; }
done

# (Re)build the corpus when it is missing, older than its sources or of
# another size.
stamp=$dir/corpus.stamp
want="$MB $(wc -c < "$src1") $(wc -c < "$src2")"
if [ ! -s "$corpus.jsonl" ] || [ ! -s "$corpus.txt" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	echo "bench: building a $MB MB corpus from PolNeAR train+dev under $dir/" >&2
	rm -f "$corpus.mpk"
	"$bt" --make-corpus "$MB" "$corpus" "$src1" "$src2"
	echo "$want" > "$stamp"
fi
if [ ! -s "$corpus.mpk" ] || [ "$corpus.jsonl" -nt "$corpus.mpk" ]; then
	if "$B/whosaid" pack -h >/dev/null 2>&1; then
		"$B/whosaid" pack -o "$corpus.mpk" "$corpus.jsonl"
	fi
fi

bytes=$(wc -c < "$corpus.txt")
recs=$(wc -l < "$corpus.jsonl")
# text MB: the raw file holds each text plus a 2-byte separator
text_mb=$(awk -v b="$bytes" -v r="$recs" 'BEGIN { printf "%.1f", (b - 2 * r) / 1e6 }')
echo "== bench: $text_mb MB of article text, $recs records ($corpus.{jsonl,txt,mpk}) =="

status=0
for b in "$dir"/bench_*; do
	case "$b" in *.d | *.o) continue ;; esac
	[ -x "$b" ] || continue
	"$b" -m "$model" "$corpus.jsonl" || { echo "bench: $b failed" >&2; status=1; }
done

# rate NAME TIMING_LINE: MB/s per CPU second and per wall second.
rate() {
	echo "$2" | awk -v name="$1" -v mb="$text_mb" '{
		wall = $2; cpu = $5; rss = $9
		printf "%-9s %.1f MB/s per core  %.1f MB/s wall  peak RSS %s MB  (cpu %.2f s, wall %.2f s)\n",
		       name, (cpu > 0 ? mb / cpu : 0), (wall > 0 ? mb / wall : 0), rss, cpu, wall }'
}

cat "$corpus.txt" > /dev/null # warm the page cache, as the benches above did for the jsonl
for loc in C C.UTF-8; do
	t=$(LC_ALL=$loc "$bt" --time wc -w "$corpus.txt") || true
	rate "wc -w" "$t" | sed "s/)\$/, LC_ALL=$loc)/"
done

if [ -s "$corpus.mpk" ] && [ -s "$model" ]; then
	t=$("$bt" --time "$B/whosaid" run -j 1 -m "$model" "$corpus.mpk") || status=1
	rate "run -j 1" "$t" | sed 's/)$/, msgpack in and out)/'
else
	echo "run -j 1  skipped (no $corpus.mpk or $model)"
fi
B="$B" bench/scale.sh || status=1 # -j scaling, peak RSS, start-up (bench/scale.sh)
exit $status
