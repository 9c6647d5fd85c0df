/* SPDX-License-Identifier: MIT */
/* Times the entity stage alone over a corpus: JSON Lines records (text,
 * date) or raw text (split into records at blank lines, about 64 KiB
 * each). Tokens and sentences are made first and not timed; gaz_tag_at is
 * timed on the thread's CPU clock. The model is MODEL (mapped, as `run`
 * maps it), or compiled in memory from SRC_DIR with -s (then the build
 * time is printed too). With --print, writes the mentions as JSON Lines
 * ({"id","start","end","text","type","id","name","flags"}) instead.
 *
 *   bench_gaz [-m MODEL | -s SRC_DIR] [--print] CORPUS
 *
 * Prints: gaz  N MB/s per core  (ms per MB, records, MB, model size, build
 * and load time)  peak RSS N MB. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../pipeline/limits.h"
#include "../stages/gaz.h"

static double now(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct {
	gaz_model *g;
	arena a;
	double cpu;
	double bytes;
	unsigned long records, mentions;
	int print;
	const char *id;
} bench;

static void json_str(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	char *d = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	fputs(d ? d : "null", stdout);
	free(d);
	json_decref(j);
}

static int run_one(bench *b, const char *text, size_t len, const char *date)
{
	if (len > REC_MAX_TEXT_BYTES)
		return 0;
	arena_reset(&b->a);
	tok_list t;
	sent_list s;
	gaz_list out;
	if (tok_scan(text, (uint32_t)len, &b->a, &t) || sent_split(text, &t, &b->a, &s))
		return 1;
	double t0 = now(CLOCK_THREAD_CPUTIME_ID);
	err e = gaz_tag_at(b->g, text, &t, &s, date, date ? (uint32_t)strlen(date) : 0, &b->a, &out);
	b->cpu += now(CLOCK_THREAD_CPUTIME_ID) - t0;
	if (e) {
		fprintf(stderr, "bench_gaz: record %lu: %s\n", b->records, err_str(e));
		return 1;
	}
	b->bytes += (double)len;
	b->records++;
	b->mentions += out.n;
	if (b->print)
		for (uint32_t k = 0; k < out.n; k++) {
			const gaz_mention *m = &out.v[k];
			printf("{\"doc\":");
			json_str(b->id ? b->id : "", b->id ? strlen(b->id) : 0);
			printf(",\"start\":%u,\"end\":%u,\"text\":", m->off, m->off + m->len);
			json_str(text + m->off, m->len);
			printf(",\"type\":\"%s\",\"id\":", gaz_type_name((gaz_type)m->type));
			if (m->id)
				json_str(m->id, m->id_len);
			else
				fputs("null", stdout);
			printf(",\"name\":");
			json_str(m->name, m->name_len);
			printf(",\"flags\":%u,\"ref\":%d}\n", m->flags, m->ref);
		}
	return 0;
}

static int run_jsonl(bench *b, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int bad = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *r = json_loadb(line, (size_t)n, 0, &je);
		json_t *tx = r ? json_object_get(r, "text") : NULL;
		if (!json_is_string(tx)) {
			json_decref(r);
			continue;
		}
		json_t *d = json_object_get(r, "date"), *id = json_object_get(r, "id");
		b->id = json_is_string(id) ? json_string_value(id) : NULL;
		bad |= run_one(b, json_string_value(tx), json_string_length(tx),
			       json_is_string(d) ? json_string_value(d) : NULL);
		json_decref(r);
	}
	free(line);
	return bad;
}

static int run_raw(bench *b, FILE *f)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	int bad = 0;
	if (!buf)
		return 1;
	for (;;) {
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (len == 0)
			break;
		/* records end at a blank line after 64 KiB */
		size_t start = 0;
		for (size_t i = 0; i + 1 < len; i++)
			if (i - start >= (64u << 10) && buf[i] == '\n' && buf[i + 1] == '\n') {
				bad |= run_one(b, buf + start, i - start, NULL);
				start = i + 2;
			}
		if (got == 0) {
			if (start < len)
				bad |= run_one(b, buf + start, len - start, NULL);
			break;
		}
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len == cap) {
			bad |= run_one(b, buf, len, NULL);
			len = 0;
		}
	}
	free(buf);
	return bad;
}

int main(int argc, char **argv)
{
	const char *model_path = NULL, *src = NULL, *corpus = NULL;
	bench b;
	memset(&b, 0, sizeof b);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
			model_path = argv[++i];
		else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			src = argv[++i];
		else if (strcmp(argv[i], "--print") == 0)
			b.print = 1;
		else
			corpus = argv[i];
	}
	if (!corpus || (!model_path && !src)) {
		fprintf(stderr, "usage: bench_gaz [-m MODEL | -s SRC_DIR] [--print] CORPUS\n");
		return 2;
	}
	err_info ei = {0};
	model *m = NULL;
	void *mem = NULL;
	size_t mem_len = 0;
	double build_ms = -1;
	if (src) {
		model_writer *w;
		double t0 = now(CLOCK_MONOTONIC);
		if (model_writer_open(&w) || gaz_build(src, w, &ei) || model_writer_bytes(w, &mem, &mem_len)) {
			fprintf(stderr, "bench_gaz: %s\n", ei.msg[0] ? ei.msg : "cannot build the gazetteer");
			return 2;
		}
		model_writer_close(w);
		build_ms = (now(CLOCK_MONOTONIC) - t0) * 1e3;
	}
	double t0 = now(CLOCK_MONOTONIC);
	err e = src ? model_open_mem(mem, mem_len, &m, &ei) : model_open(model_path, &m, &ei);
	if (!e)
		e = gaz_open(m, &b.g, &ei);
	double load_ms = (now(CLOCK_MONOTONIC) - t0) * 1e3;
	if (e) {
		fprintf(stderr, "bench_gaz: %s\n", ei.msg);
		return 2;
	}
	FILE *f = fopen(corpus, "r");
	if (!f) {
		perror(corpus);
		return 2;
	}
	int c = fgetc(f);
	while (c == ' ' || c == '\n' || c == '\t' || c == '\r')
		c = fgetc(f);
	ungetc(c, f);
	arena_init(&b.a, REC_ARENA_CAP);
	int bad = c == '{' ? run_jsonl(&b, f) : run_raw(&b, f);
	fclose(f);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double mb = b.bytes / 1e6;
	if (!b.print) {
		printf("gaz  %.1f MB/s per core  (%.2f ms per MB, %lu records, %.1f MB, %lu mentions; model %.1f MB, ",
		       b.cpu > 0 ? mb / b.cpu : 0.0, mb > 0 ? b.cpu * 1e3 / mb : 0.0, b.records, mb, b.mentions,
		       (double)model_size(m) / 1e6);
		if (build_ms >= 0)
			printf("built in %.0f ms, ", build_ms);
		printf("loaded in %.1f ms)  peak RSS %.1f MB\n", load_ms, (double)ru.ru_maxrss / 1024.0);
	}
	arena_fini(&b.a);
	gaz_close(b.g);
	model_close(m);
	free(mem);
	return bad;
}
