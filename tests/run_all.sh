#!/bin/sh
# Runs every unit test binary, then every end-to-end script, and reports.
# B is the build directory, SHARED the shared data folder.
set -u
B=${B:-build}
SHARED=${SHARED:-../shared}
export B SHARED
fail=0
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.d|*.o) continue ;; esac
	if ! "$t"; then echo "FAIL: $t"; fail=1; fi
done
for s in tests/e2e_*.sh; do
	[ -f "$s" ] || continue
	if ! sh "$s"; then echo "FAIL: $s"; fail=1; else echo "ok: $s"; fi
done
[ $fail = 0 ] && echo "all tests passed"
exit $fail
