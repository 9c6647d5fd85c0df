#!/bin/sh
# Regenerates models/src/gaz/*.tsv from $SHARED/data/gazetteer-src (SHARED
# defaults to ../shared beside the checkout) and the hand lists in
# models/import/hand, then checks the lists and prints counts.
# Developer-only: needs python3 and /usr/share/dict/words (wamerican).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SHARED=${SHARED:-$root/../shared}
export SHARED
exec python3 -B "$here/gazimport.py" "$@"
