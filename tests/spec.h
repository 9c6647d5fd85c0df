/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_TEST_SPEC_H
#define WHOSAID_TEST_SPEC_H

/* Reader for spec files (tests/spec/<stage>.txt), shared by the stage tests
 * as static functions. A spec file holds examples:
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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#endif
