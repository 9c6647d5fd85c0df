/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_TEST_SPEC_H
#define WHOSAID_TEST_SPEC_H

/* Reader for spec files (tests/spec/<stage>.txt), and helpers shared by the
 * stage tests, as static functions. A spec file holds examples:
 *
 *     ~~~ name of the example
 *     input text, one or more lines (joined with \n, no final newline)
 *     .
 *     expected annotation, one per line
 *     ~~~
 *
 * Lines outside examples are comments. In input lines, \n \r \t \\ and \xHH
 * are escapes (so trailing spaces and bad bytes can be written). Each
 * example becomes its own cmocka test. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Sanitizer builds run several times slower; time bounds scale with them
 * (`make ubsan` sets SLOWDOWN itself, as gcc gives no sign of UBSan). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SLOWDOWN 6.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SLOWDOWN 6.0
#endif
#endif
#ifndef SLOWDOWN
#define SLOWDOWN 1.0
#endif

typedef struct {
	char name[512];
	unsigned line;   /* line of the ~~~ opening the example */
	char *text;      /* input, exactly len bytes (malloc'd, no NUL after) */
	size_t len;
	char **expect;   /* expected lines */
	size_t n_expect;
	const char *file;
} spec_case;

/* Decodes the escapes of one input line into out; returns bytes written. */
static inline size_t spec_unescape(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[i + 1];
			if (c == 'n' || c == 't' || c == 'r' || c == '\\') {
				out[o++] = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : '\\';
				i++;
				continue;
			}
			if (c == 'x' && i + 3 < n) {
				char hex[3] = {s[i + 2], s[i + 3], 0};
				out[o++] = (char)strtoul(hex, NULL, 16);
				i += 3;
				continue;
			}
		}
		out[o++] = s[i];
	}
	return o;
}

static inline char *spec_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		abort();
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

/* Reads every example of path; returns the count (0 if the file is missing,
 * which the caller must treat as a failure). */
static inline size_t spec_read(const char *path, spec_case **out)
{
	FILE *f = fopen(path, "r");
	*out = NULL;
	if (!f)
		return 0;
	size_t n = 0, cap = 0;
	spec_case *v = NULL;
	char line[8192];
	unsigned ln = 0;
	int state = 0; /* 0 outside, 1 input, 2 expected */
	char *buf = NULL;
	size_t blen = 0;
	while (fgets(line, sizeof line, f)) {
		ln++;
		size_t l = strlen(line);
		while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = 0;
		if (state == 0) {
			if (strncmp(line, "~~~", 3) != 0)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = realloc(v, cap * sizeof *v);
				if (!v)
					abort();
			}
			memset(&v[n], 0, sizeof v[n]);
			const char *nm = line + 3;
			while (*nm == ' ')
				nm++;
			snprintf(v[n].name, sizeof v[n].name, "%s:%u %.200s", path, ln, nm);
			v[n].line = ln;
			v[n].file = path;
			buf = malloc(1);
			blen = 0;
			state = 1;
		} else if (state == 1) {
			if (strcmp(line, ".") == 0) {
				/* the over-read trap: exactly len bytes, no NUL after */
				v[n].len = blen ? blen - 1 : 0;
				v[n].text = malloc(v[n].len ? v[n].len : 1);
				if (!v[n].text)
					abort();
				memcpy(v[n].text, buf, v[n].len);
				free(buf);
				buf = NULL;
				state = 2;
				continue;
			}
			buf = realloc(buf, blen + l + 1);
			if (!buf)
				abort();
			blen += spec_unescape(line, l, buf + blen);
			buf[blen++] = '\n';
		} else {
			if (strncmp(line, "~~~", 3) == 0) {
				n++;
				state = 0;
				continue;
			}
			v[n].expect = realloc(v[n].expect, (v[n].n_expect + 1) * sizeof(char *));
			if (!v[n].expect)
				abort();
			v[n].expect[v[n].n_expect++] = spec_strndup(line, l);
		}
	}
	free(buf);
	fclose(f);
	*out = v;
	return n;
}

static inline void spec_free(spec_case *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].text);
		for (size_t k = 0; k < v[i].n_expect; k++)
			free(v[i].expect[k]);
		free(v[i].expect);
	}
	free(v);
}

/* Copies one valid UTF-8 sequence at s to out (advancing *i and *o past
 * it) and returns 1, or returns 0 when s holds no valid sequence. */
static inline int spec_utf8_ok(const char *s, size_t n, size_t *i, char *out, size_t *o)
{
	unsigned char c = (unsigned char)s[0];
	size_t k = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
	if (k == 0 || k > n)
		return 0;
	for (size_t j = 1; j < k; j++)
		if (((unsigned char)s[j] & 0xC0) != 0x80)
			return 0;
	memcpy(out + *o, s, k);
	*o += k;
	*i += k - 1;
	return 1;
}

/* Writes bytes as a quoted, escaped string ("a\nb", bad bytes as \xHH). */
static inline void spec_quote(char *out, size_t cap, const char *s, size_t n)
{
	size_t o = 0;
	if (cap < 8)
		return;
	out[o++] = '"';
	for (size_t i = 0; i < n && o + 6 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (c == '\t') {
			out[o++] = '\\';
			out[o++] = 't';
		} else if (c == '\\' || c == '"') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || (c >= 0x80 && !spec_utf8_ok(s + i, n - i, &i, out, &o))) {
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		} else if (c < 0x80) {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	out[o] = 0;
}

/* Copies s into an exactly sized heap buffer (no NUL), so that ASan
 * catches any read past the end. */
static inline char *spec_trap(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (!p)
		abort();
	memcpy(p, s, n);
	return p;
}

/* Runs one cmocka test per example of path, as the group `group`; each
 * test gets its spec_case as state. Returns the number of failures, or 1
 * (with a message naming prog) when path holds no example. */
static inline int spec_run_file(const char *prog, const char *group, const char *path,
				CMUnitTestFunction run)
{
	spec_case *cases;
	size_t n = spec_read(path, &cases);
	if (n == 0) {
		fprintf(stderr, "%s: no examples in %s (run from the repo root)\n", prog, path);
		return 1;
	}
	struct CMUnitTest *tests = calloc(n, sizeof *tests);
	if (!tests)
		return 1;
	for (size_t i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){cases[i].name, run, NULL, NULL, &cases[i]};
	int fails = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	free(tests);
	spec_free(cases, n);
	return fails;
}

/* Writes into buf (cap bytes) a random text of fewer than max_parts pieces
 * drawn from parts by a linear congruential generator on *seed; stops
 * before a piece that would not fit. Returns the text's length. */
static inline size_t spec_random_text(char *buf, size_t cap, const char *const *parts,
				      size_t n_parts, int max_parts, uint32_t *seed)
{
	size_t len = 0;
	*seed = *seed * 1103515245u + 12345u;
	int np = (int)(*seed >> 16) % max_parts;
	for (int k = 0; k < np; k++) {
		*seed = *seed * 1103515245u + 12345u;
		const char *p = parts[(*seed >> 16) % n_parts];
		size_t pl = strlen(p);
		if (len + pl > cap)
			break;
		memcpy(buf + len, p, pl);
		len += pl;
	}
	return len;
}

/* Fills buf (len bytes) with unit repeated; returns the length of the
 * whole units in it (len less the cut-off tail). */
static inline size_t spec_fill(char *buf, size_t len, const char *unit)
{
	size_t ul = strlen(unit);
	for (size_t k = 0; k < len; k++)
		buf[k] = unit[k % ul];
	return len - len % ul;
}

#endif
