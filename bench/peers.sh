#!/usr/bin/env bash
# Times whosaid and the JavaScript pipelines people use instead (compromise;
# wink-nlp with wink-eng-lite-web-model) on the same news articles, in one
# run, and prints MB/s per core (MB of article text per CPU second) and the
# ratio to whosaid. The peers are installed from npm into bench/peers/
# (ignored by git), at the versions pinned in bench/peers/package.json.
# Usage: bench/peers.sh [MB]   (default 2 MB of PolNeAR text; `make peers`)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
SHARED=${SHARED:-../shared}
MB=${1:-2}
command -v node >/dev/null && command -v npm >/dev/null || {
	echo "peers: needs node and npm (apt-get install nodejs npm)" >&2; exit 2; }
[ -x "$B/whosaid" ] || { echo "peers: build first (make)" >&2; exit 2; }
if [ ! -d bench/peers/node_modules/wink-nlp ] || [ ! -d bench/peers/node_modules/compromise ]; then
	(cd bench/peers && npm install --no-audit --no-fund --loglevel=error >&2)
fi
mkdir -p "$B/bench"
in="$B/bench/peers-input.jsonl"
# The first MB megabytes of PolNeAR article text, as input records.
cut_input() {
	local max=$(( $1 * 1000000 )) total=0 line
	: > "$in"
	while IFS= read -r line; do
		printf '%s\n' "$line" >> "$in"
		total=$(( total + ${#line} ))
		[ "$total" -ge "$max" ] && break
	done < <(cat "$SHARED/data/eval/polnear-train.jsonl" "$SHARED/data/eval/polnear-dev.jsonl")
}
cut_input "$MB"
out=$(node bench/peers/peers.js "$in" "$MB")
# whosaid reads the very same records (gold and all); it is fast, so the
# file is repeated to make the timing meaningful, and text bytes counted.
reps=50
big="$B/bench/peers-input-x$reps.jsonl"
for _ in $(seq $reps); do cat "$in"; done > "$big"
text_bytes=$(node -e '
const fs=require("fs");let n=0;for(const l of fs.readFileSync(process.argv[1],"utf8").split("\n")){if(!l.trim())continue;const t=JSON.parse(l).text;if(typeof t==="string")n+=Buffer.byteLength(t,"utf8");}console.log(n)' "$in")
TIMEFORMAT='%U %S'
cpu=$( { time "$B/whosaid" run -j 1 "$big" > /dev/null 2>/dev/null; } 2>&1 )
ws=$(awk -v c="$cpu" -v b="$text_bytes" -v r=$reps 'BEGIN{split(c,a," "); s=a[1]+a[2]; printf "%.1f", b*r/1e6/s}')
echo "peers on $(awk -v b="$text_bytes" 'BEGIN{printf "%.2f", b/1e6}') MB of PolNeAR article text (whosaid on the same records x$reps), MB/s per core:"
printf '%-12s %12s %14s\n' tool "MB/s/core" "whosaid is"
printf '%-12s %12s %14s\n' whosaid "$ws" "1x"
echo "$out" | tail -n +2 | while IFS=$'\t' read -r name _ _ _ rate _; do
	printf '%-12s %12s %13sx\n' "$name" "$rate" "$(awk -v a="$ws" -v b="$rate" 'BEGIN{printf "%.0f", a/b}')"
done
