#!/bin/sh
# Turns a word list (one entry per line, '#' comments, blank lines ignored)
# into the body of a C string array: "entry",  one per line. The result is
# a build output (build/gen/), regenerated whenever the list changes.
set -e
echo "/* generated from $1 by scripts/gen-list.sh; edit the list, not this */"
sed -e 's/[[:space:]]*#.*$//' -e 's/[[:space:]]*$//' -e '/^$/d' \
    -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/",/' "$1"
