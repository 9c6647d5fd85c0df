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
#include "../pipeline/limits.h"
#include "../stages/gaz.h"
#include "bench.h"

typedef struct {
	gaz_model *g;
	arena a;
	double cpu;
	double bytes;
	unsigned long records, mentions;
	int print;
} bench;

static void json_str(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	char *d = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	fputs(d ? d : "null", stdout);
	free(d);
	json_decref(j);
}

static int run_one(void *ctx, const char *id, const char *text, size_t len, const char *date)
{
	bench *b = ctx;
	if (len > REC_MAX_TEXT_BYTES)
		return 0;
	arena_reset(&b->a);
	tok_list t;
	sent_list s;
	gaz_list out;
	if (tok_scan(text, (uint32_t)len, &b->a, &t) || sent_split(text, &t, &b->a, &s))
		return 1;
	double t0 = bench_now(CLOCK_THREAD_CPUTIME_ID);
	err e = gaz_tag_at(b->g, text, &t, &s, date, date ? (uint32_t)strlen(date) : 0, &b->a, &out);
	b->cpu += bench_now(CLOCK_THREAD_CPUTIME_ID) - t0;
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
			json_str(id ? id : "", id ? strlen(id) : 0);
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
		double t0 = bench_now(CLOCK_MONOTONIC);
		if (model_writer_open(&w) || gaz_build(src, w, &ei) || model_writer_bytes(w, &mem, &mem_len)) {
			fprintf(stderr, "bench_gaz: %s\n", ei.msg[0] ? ei.msg : "cannot build the gazetteer");
			return 2;
		}
		model_writer_close(w);
		build_ms = (bench_now(CLOCK_MONOTONIC) - t0) * 1e3;
	}
	double t0 = bench_now(CLOCK_MONOTONIC);
	err e = src ? model_open_mem(mem, mem_len, &m, &ei) : model_open(model_path, &m, &ei);
	if (!e)
		e = gaz_open(m, &b.g, &ei);
	double load_ms = (bench_now(CLOCK_MONOTONIC) - t0) * 1e3;
	if (e) {
		fprintf(stderr, "bench_gaz: %s\n", ei.msg);
		return 2;
	}
	arena_init(&b.a, REC_ARENA_CAP);
	int bad = bench_corpus_id(corpus, run_one, &b);
	double mb = b.bytes / 1e6;
	if (!b.print) {
		printf("gaz  %.1f MB/s per core  (%.2f ms per MB, %lu records, %.1f MB, %lu mentions; model %.1f MB, ",
		       b.cpu > 0 ? mb / b.cpu : 0.0, mb > 0 ? b.cpu * 1e3 / mb : 0.0, b.records, mb, b.mentions,
		       (double)model_size(m) / 1e6);
		if (build_ms >= 0)
			printf("built in %.0f ms, ", build_ms);
		printf("loaded in %.1f ms)  peak RSS %.1f MB\n", load_ms, bench_peak_rss_mb());
	}
	arena_fini(&b.a);
	gaz_close(b.g);
	model_close(m);
	free(mem);
	return bad;
}
