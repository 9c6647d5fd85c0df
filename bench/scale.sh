#!/bin/sh
# Scaling, memory and start-up of `whosaid run` (called at the end of
# bench/run.sh, so by `make bench`; runs alone as bench/scale.sh once
# run.sh has built the corpus under $B/bench/).
#
# - -j 1 against -j 2 on the bench corpus (msgpack in, msgpack out to
#   /dev/null), best wall of BENCH_REPS runs each (default 3), and the ratio.
#   Wall-clock ratios need an idle machine: the load average is printed
#   with them. The ratio that CPU time predicts, 2 * cpu(-j 1) / cpu(-j 2),
#   is what the threads cost in extra work, and holds on a busy machine too.
# - peak RSS on the corpus, and with BENCH_BIG=1 on an input of BENCH_BIG_MB
#   (default 500) MB made by repeating corpus.mpk ($B/bench/big.mpk, not in
#   git): it should not grow with the input.
# - start-up: a one-record input run BENCH_STARTUP_RUNS times (default 20);
#   the best time from exec to exit (an upper bound of exec to the first
#   record), and the time from main() to the first record read (--stats).
set -eu
B=${B:-build}
REPS=${BENCH_REPS:-3}
dir=$B/bench
corpus=$dir/corpus
bt=$dir/bench_tok
W=$B/whosaid
model=$B/whosaid.model
[ -x "$bt" ] && [ -x "$W" ] && [ -s "$model" ] && [ -s "$corpus.mpk" ] || {
	echo "scale: needs $bt, $W, $model and $corpus.mpk (run make bench)" >&2
	exit 2
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# field NAME FILE: a number from a --stats=json line or a bench_tok line
json() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" "$2" | tail -n 1; }
timing() { # WHAT FILE: wall, cpu or rss from `bench_tok --time`'s line
	awk -v w="$1" '/^wall / { if (w == "wall") print $2; if (w == "cpu") print $5; if (w == "rss") print $9 }' "$2"
}
min() { sort -g | head -n 1; }

# run_best J FILE: best of REPS runs; sets wall, cpu, rss, mb, idle
run_best() {
	: > "$tmp/walls"
	: > "$tmp/cpus"
	i=0
	while [ $i -lt "$REPS" ]; do
		"$bt" --time "$W" run -j "$1" -m "$model" --stats=json "$2" > "$tmp/t" 2> "$tmp/s" ||
			{ echo "scale: run -j $1 $2 failed: $(cat "$tmp/s")" >&2; exit 1; }
		timing wall "$tmp/t" >> "$tmp/walls"
		timing cpu "$tmp/t" >> "$tmp/cpus"
		rss=$(timing rss "$tmp/t")
		i=$((i + 1))
	done
	wall=$(min < "$tmp/walls")
	cpu=$(min < "$tmp/cpus")
	mb=$(json text_mb "$tmp/s")
	idle=$(json wait_s "$tmp/s")
}

load=$(cut -d ' ' -f 1 /proc/loadavg)
echo "== scale: -j 1 vs -j 2 on $corpus.mpk, best of $REPS (load average $load on $(nproc) cores; wall figures need an idle machine) =="
run_best 1 "$corpus.mpk"
w1=$wall c1=$cpu r1=$rss
cp "$tmp/s" "$tmp/stats1"
printf 'run -j 1  wall %.2f s  cpu %.2f s  %.1f MB/s per core  %.1f MB/s wall  peak RSS %s MB\n' \
	"$w1" "$c1" "$(echo "$mb $c1" | awk '{ print $1 / $2 }')" "$(echo "$mb $w1" | awk '{ print $1 / $2 }')" "$r1"
run_best 2 "$corpus.mpk"
w2=$wall c2=$cpu r2=$rss
printf 'run -j 2  wall %.2f s  cpu %.2f s  %.1f MB/s per core  %.1f MB/s wall  peak RSS %s MB  workers idle %s s\n' \
	"$w2" "$c2" "$(echo "$mb $c2" | awk '{ print $1 / $2 }')" "$(echo "$mb $w2" | awk '{ print $1 / $2 }')" "$r2" "$idle"
echo "$w1 $w2 $c1 $c2 $(cut -d ' ' -f 1 /proc/loadavg)" | awk '{
	printf "-j 2 speed-up  %.2fx wall (goal 1.8x; load average now %s), %.2fx from CPU time (2 x cpu -j 1 / cpu -j 2)\n",
	       $1 / $2, $5, 2 * $3 / $4 }'

# each stage's share of run -j 1 (--stats=json of its last run)
tr '{},' '\n\n\n' < "$tmp/stats1" | awk -F: '
	/^"(tokenize|sentences|entities|quotes|read_write)"/ { name = $1; gsub(/"/, "", name) }
	/^"share"/ { share = $2 }
	/^"mb_per_s_per_core"/ && name != "" { line = line sprintf("  %s %.1f%% (%.0f MB/s)", name, share * 100, $2); name = "" }
	END { print "stages of run -j 1 (run --stats):" line }'

if [ "${BENCH_BIG:-0}" = 1 ]; then
	want=$(( ${BENCH_BIG_MB:-500} * 1000000 ))
	big=$dir/big.mpk
	have=$(wc -c < "$corpus.mpk")
	if [ ! -s "$big" ] || [ "$(wc -c < "$big")" -lt "$want" ] || [ "$corpus.mpk" -nt "$big" ]; then
		echo "scale: writing $big (corpus.mpk repeated to ${BENCH_BIG_MB:-500} MB)" >&2
		n=$(( (want + have - 1) / have ))
		i=0
		while [ $i -lt $n ]; do cat "$corpus.mpk"; i=$((i + 1)); done > "$big"
	fi
	"$bt" --time "$W" run -j 2 -m "$model" --stats=json "$big" > "$tmp/t" 2> "$tmp/s" ||
		{ echo "scale: run on $big failed" >&2; exit 1; }
	printf 'peak RSS  %s MB on %.0f MB of input (%.0f MB of text), -j 2; %s MB on the %.0f MB corpus  (wall %.1f s, cpu %.1f s)\n' \
		"$(timing rss "$tmp/t")" "$(json input_mb "$tmp/s")" "$(json text_mb "$tmp/s")" "$r2" \
		"$(wc -c < "$corpus.mpk" | awk '{ print $1 / 1e6 }')" "$(timing wall "$tmp/t")" "$(timing cpu "$tmp/t")"
else
	echo "peak RSS  $r2 MB on the corpus, -j 2 (BENCH_BIG=1 make bench also runs a 500 MB input)"
fi

# start-up: the first record of the corpus, alone
head -n 1 "$corpus.jsonl" > "$tmp/one.jsonl"
"$W" pack -o "$tmp/one.mpk" "$tmp/one.jsonl"
: > "$tmp/walls"
: > "$tmp/starts"
i=0
while [ $i -lt "${BENCH_STARTUP_RUNS:-20}" ]; do
	"$bt" --time "$W" run -m "$model" --stats=json "$tmp/one.mpk" > "$tmp/t" 2> "$tmp/s"
	timing wall "$tmp/t" >> "$tmp/walls"
	json startup_ms "$tmp/s" >> "$tmp/starts"
	i=$((i + 1))
done
printf 'start-up  %.1f ms exec to exit on one record (best of %s; goal 50 ms to the first record), %.1f ms from main() to the first record read\n' \
	"$(min < "$tmp/walls" | awk '{ print $1 * 1000 }')" "${BENCH_STARTUP_RUNS:-20}" "$(min < "$tmp/starts")"
