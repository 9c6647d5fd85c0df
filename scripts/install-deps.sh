#!/bin/sh
# Installs the Debian packages whosaid builds on, when any is missing.
# Quiet and fast when everything is there; needs root (or sudo) otherwise.
# With the argument `fuzz`, also what `make fuzz` needs (clang).
set -e
need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
have_pc icu-uc || need="$need libicu-dev"
have_pc msgpack || have_pc msgpack-c || need="$need libmsgpack-dev"
have_pc jansson || need="$need libjansson-dev"
have_pc cmocka || need="$need libcmocka-dev"
[ -f /usr/include/libstemmer.h ] || need="$need libstemmer-dev"
# The end-to-end tests read JSON and CSV back with python3 (standard library).
command -v python3 >/dev/null 2>&1 || need="$need python3"
# `install-deps.sh fuzz` (make fuzz, .ci/run): clang and its libFuzzer and
# sanitizer runtimes (Debian 12: clang is clang-14; the runtimes are in
# libclang-rt-14-dev).
if [ "${1:-}" = fuzz ]; then
	command -v clang >/dev/null 2>&1 || need="$need clang"
	rt=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
	[ -n "$rt" ] && [ -f "$rt" ] || need="$need libclang-rt-14-dev"
fi
[ -z "$need" ] && exit 0
echo "install-deps: installing$need" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
		echo "install-deps: need root to install:$need" >&2; exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
