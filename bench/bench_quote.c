/* SPDX-License-Identifier: MIT */
/* Times the quote stage alone over a corpus (bench.h): tokens, sentences
 * and entities are made first and not timed; quote_attribute is timed on
 * the thread's CPU clock, with the model MODEL as `run` maps it.
 *
 *   bench_quote -m MODEL CORPUS
 *
 * Prints: quote  N MB/s per core  records/s  peak RSS  (MB, records,
 * attributions, model sections in use). */
#include "../pipeline/limits.h"
#include "../stages/quote_int.h"
#include "bench.h"

typedef struct {
	gaz_model *g;
	quote_model *q;
	arena a;
	double cpu, bytes;
	unsigned long records, quotes;
} bench;

static int run_one(void *ctx, const char *text, size_t len, const char *date)
{
	bench *b = ctx;
	if (len > REC_MAX_TEXT_BYTES)
		return 0;
	arena_reset(&b->a);
	tok_list t;
	sent_list s;
	gaz_list g;
	quote_list out;
	/* entities as the pipeline tags them: roles resolved at the record's date */
	uint32_t date_len = date ? (uint32_t)strlen(date) : 0;
	if (tok_scan(text, (uint32_t)len, &b->a, &t) || sent_split(text, &t, &b->a, &s) ||
	    gaz_tag_at(b->g, text, &t, &s, date, date_len, &b->a, &g))
		return 1;
	double t0 = bench_now(CLOCK_THREAD_CPUTIME_ID);
	err e = quote_attribute(b->q, text, &t, &s, &g, date, date_len, &b->a, &out);
	b->cpu += bench_now(CLOCK_THREAD_CPUTIME_ID) - t0;
	if (e) {
		fprintf(stderr, "bench_quote: record %lu: %s\n", b->records, err_str(e));
		return 1;
	}
	b->bytes += (double)len;
	b->records++;
	b->quotes += out.n;
	return 0;
}

int main(int argc, char **argv)
{
	const char *model_path = NULL, *corpus = bench_corpus_arg(argc, argv);
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "-m") == 0)
			model_path = argv[i + 1];
	if (!corpus || !model_path) {
		fprintf(stderr, "usage: bench_quote -m MODEL CORPUS\n");
		return 2;
	}
	bench b;
	memset(&b, 0, sizeof b);
	err_info ei = {0};
	model *m;
	if (model_open(model_path, &m, &ei) || gaz_open(m, &b.g, &ei) || quote_open(m, &b.q, &ei)) {
		fprintf(stderr, "bench_quote: %s\n", ei.msg);
		return 2;
	}
	arena_init(&b.a, REC_ARENA_CAP);
	int bad = bench_corpus(corpus, run_one, &b);
	double mb = b.bytes / 1e6;
	printf("quote     %.1f MB/s per core  %.0f records/s  peak RSS %.1f MB  (%.1f MB, %lu records, "
	       "%lu attributions, %s)\n",
	       b.cpu > 0 ? mb / b.cpu : 0, b.cpu > 0 ? (double)b.records / b.cpu : 0,
	       bench_peak_rss_mb(), mb, b.records, b.quotes,
	       b.q->have_cue && b.q->have_role ? "learned taggers" : "rules only");
	arena_fini(&b.a);
	quote_close(b.q);
	gaz_close(b.g);
	model_close(m);
	return bad ? 1 : 0;
}
