#!/bin/sh
# Regenerates models/src/gaz/*.tsv from $SHARED/data/gazetteer-src (SHARED
# defaults to ../shared beside the checkout) and the hand lists in
# models/import/hand, then checks the lists and prints counts.
# Developer-only: needs python3 and /usr/share/dict/words (wamerican).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SHARED=${SHARED:-$root/../shared}
if [ ! -r /usr/share/dict/words ] && [ ! -r /usr/share/dict/american-english ]; then
	echo "import: needs an English word list at /usr/share/dict/words" \
		"(Debian: apt-get install wamerican)" >&2
	exit 2
fi
export SHARED
exec python3 -B "$here/gazimport.py" "$@"
