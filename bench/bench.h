/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_BENCH_H
#define WHOSAID_BENCH_H

/* Shared by the stage benches (static functions, no globals): a streaming
 * corpus reader and CPU clocks. A corpus is JSON Lines records ("text",
 * optional "id" and "date") or raw text, told apart by the first non-blank
 * byte; raw text is cut into records at the first blank line after 64 KiB.
 * Each record is handed to a callback and forgotten, so peak RSS shows the
 * stage, not the corpus. Benches take `[-m MODEL] CORPUS` (bench/run.sh
 * passes the default model to every bench; those without a model ignore
 * it) and print one line: NAME  MB/s per core  records/s  peak RSS. */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef int (*bench_fn)(void *ctx, const char *text, size_t len, const char *date);
typedef int (*bench_id_fn)(void *ctx, const char *id, const char *text, size_t len,
			   const char *date);

static inline double bench_now(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline double bench_peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

static inline int bench_jsonl(FILE *f, bench_id_fn fn, void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int bad = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *r = json_loadb(line, (size_t)n, 0, &je);
		json_t *tx = r ? json_object_get(r, "text") : NULL;
		if (json_is_string(tx)) {
			json_t *d = json_object_get(r, "date"), *id = json_object_get(r, "id");
			bad |= fn(ctx, json_is_string(id) ? json_string_value(id) : NULL,
				  json_string_value(tx), json_string_length(tx),
				  json_is_string(d) ? json_string_value(d) : NULL);
		}
		json_decref(r);
	}
	free(line);
	return bad;
}

static inline int bench_raw(FILE *f, bench_id_fn fn, void *ctx)
{
	size_t cap = 1u << 20, len = 0;
	char *buf = malloc(cap);
	int bad = 0;
	if (!buf)
		return 1;
	for (;;) {
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (len == 0)
			break;
		size_t start = 0;
		for (size_t i = 0; i + 1 < len; i++)
			if (i - start >= (64u << 10) && buf[i] == '\n' && buf[i + 1] == '\n') {
				bad |= fn(ctx, NULL, buf + start, i - start, NULL);
				start = i + 2;
			}
		if (got == 0) {
			if (start < len)
				bad |= fn(ctx, NULL, buf + start, len - start, NULL);
			break;
		}
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len == cap) {
			bad |= fn(ctx, NULL, buf, len, NULL);
			len = 0;
		}
	}
	free(buf);
	return bad;
}

/* Feeds every record of the corpus at path to fn, with its id (NULL for
 * raw text or a record without a string id); returns nonzero on a failure
 * (printed) or when fn failed for some record. */
static inline int bench_corpus_id(const char *path, bench_id_fn fn, void *ctx)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 2;
	}
	int c = fgetc(f);
	while (c == ' ' || c == '\n' || c == '\t' || c == '\r')
		c = fgetc(f);
	ungetc(c, f);
	int bad = c == '{' ? bench_jsonl(f, fn, ctx) : bench_raw(f, fn, ctx);
	fclose(f);
	return bad;
}

typedef struct {
	bench_fn fn;
	void *ctx;
} bench_no_id;

static inline int bench_drop_id(void *ctx, const char *id, const char *text, size_t len,
				const char *date)
{
	const bench_no_id *b = ctx;
	(void)id;
	return b->fn(b->ctx, text, len, date);
}

/* Feeds every record of the corpus at path to fn; returns nonzero on a
 * failure (printed) or when fn failed for some record. */
static inline int bench_corpus(const char *path, bench_fn fn, void *ctx)
{
	bench_no_id b = {fn, ctx};
	return bench_corpus_id(path, bench_drop_id, &b);
}

/* Finds the corpus argument in `[-m MODEL] CORPUS`; NULL when missing. */
static inline const char *bench_corpus_arg(int argc, char **argv)
{
	const char *corpus = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
			i++;
		else
			corpus = argv[i];
	}
	return corpus;
}

#endif
