#!/bin/sh
# make tsan: the pipeline's threads under ThreadSanitizer. $B/whosaid must
# be a -fsanitize=thread build (make tsan builds build-tsan/). TSAN_MB
# megabytes (default 50) of PolNeAR train+dev records, repeated, go through
# `run -j 4` (reader, 4 workers, ordered writer); the run must exit 0 with
# no ThreadSanitizer report, and its output must be byte-identical to
# `run -j 1` on the first records (the order of the writer).
set -eu
B=${B:-build-tsan}
SHARED=${SHARED:-../shared}
MB=${TSAN_MB:-50}
W=$B/whosaid
src1=$SHARED/data/eval/polnear-train.jsonl
src2=$SHARED/data/eval/polnear-dev.jsonl
for f in "$src1" "$src2"; do
	[ -r "$f" ] || { echo "tsan: cannot read $f (set SHARED)" >&2; exit 2; }
done
dir=$B/tsan
mkdir -p "$dir"
corpus=$dir/corpus.jsonl
want=$((MB * 1000000))
if [ ! -s "$corpus" ] || [ "$(wc -c < "$corpus")" -lt "$want" ]; then
	: > "$corpus"
	while [ "$(wc -c < "$corpus")" -lt "$want" ]; do
		cat "$src1" "$src2" >> "$corpus"
	done
fi
"$W" pack -o "$dir/corpus.mpk" "$corpus"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
st=0
start=$(date +%s)
"$W" run -j 4 -o "$dir/out4.mpk" "$dir/corpus.mpk" 2> "$dir/run4.err" || st=$?
end=$(date +%s)
if [ $st != 0 ] || grep -q "ThreadSanitizer" "$dir/run4.err"; then
	head -n 60 "$dir/run4.err" >&2
	echo "tsan: FAIL: run -j 4 exited $st (report in $dir/run4.err)" >&2
	exit 1
fi
# -j 1 on a slice, for the byte-identical check without a second full run
head -c 3000000 "$corpus" | head -n -1 > "$dir/slice.jsonl"
"$W" run -j 1 -o "$dir/slice1.mpk" "$dir/slice.jsonl" 2> "$dir/slice1.err"
"$W" run -j 4 -o "$dir/slice4.mpk" "$dir/slice.jsonl" 2> "$dir/slice4.err" || st=$?
if [ $st != 0 ] || grep -q "ThreadSanitizer" "$dir/slice4.err" || ! cmp -s "$dir/slice1.mpk" "$dir/slice4.mpk"; then
	echo "tsan: FAIL: run -j 4 on the slice differs from -j 1 or reported" >&2
	exit 1
fi
echo "tsan: clean: $(wc -c < "$dir/corpus.mpk") bytes, $(grep -c . "$corpus") records through run -j 4 in $((end - start)) s; -j 4 = -j 1 on a slice"
