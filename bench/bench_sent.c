/* SPDX-License-Identifier: MIT */
/* Times the sentence splitter over a corpus (see bench.h) on the thread's
 * CPU clock, and the tokenizer and splitter together, which is the figure
 * issue 2 sets a floor for (150 MB/s per core):
 *
 *   bench_sent [-m MODEL] CORPUS
 *     prints: sent      N MB/s per core  N records/s  peak RSS N MB  (detail)
 *             tok+sent  N MB/s per core  N records/s  peak RSS N MB */
#include "../pipeline/limits.h"
#include "../stages/sent.h"
#include "bench.h"

typedef struct {
	arena a;
	double cpu_tok, cpu_sent, bytes;
	unsigned long records, sentences;
} bench;

static int one(void *ctx, const char *text, size_t len, const char *date)
{
	bench *b = ctx;
	(void)date;
	if (len > REC_MAX_TEXT_BYTES)
		return 0;
	arena_reset(&b->a);
	tok_list t;
	sent_list s;
	double t0 = bench_now(CLOCK_THREAD_CPUTIME_ID);
	err e = tok_scan(text, (uint32_t)len, &b->a, &t);
	double t1 = bench_now(CLOCK_THREAD_CPUTIME_ID);
	if (!e)
		e = sent_split(text, &t, &b->a, &s);
	double t2 = bench_now(CLOCK_THREAD_CPUTIME_ID);
	if (e) {
		fprintf(stderr, "bench_sent: record %lu: %s\n", b->records, err_str(e));
		return 1;
	}
	b->cpu_tok += t1 - t0;
	b->cpu_sent += t2 - t1;
	b->bytes += (double)len;
	b->records++;
	b->sentences += s.n;
	return 0;
}

int main(int argc, char **argv)
{
	const char *corpus = bench_corpus_arg(argc, argv);
	if (!corpus) {
		fprintf(stderr, "usage: bench_sent [-m MODEL] CORPUS\n");
		return 2;
	}
	bench b;
	memset(&b, 0, sizeof b);
	arena_init(&b.a, REC_ARENA_CAP);
	int bad = bench_corpus(corpus, one, &b);
	double mb = b.bytes / 1e6, both = b.cpu_tok + b.cpu_sent, rss = bench_peak_rss_mb();
	printf("sent      %.1f MB/s per core  %.0f records/s  peak RSS %.1f MB  (%.1f MB, %lu records, %lu sentences)\n",
	       b.cpu_sent > 0 ? mb / b.cpu_sent : 0.0,
	       b.cpu_sent > 0 ? (double)b.records / b.cpu_sent : 0.0, rss, mb, b.records, b.sentences);
	printf("tok+sent  %.1f MB/s per core  %.0f records/s  peak RSS %.1f MB\n",
	       both > 0 ? mb / both : 0.0, both > 0 ? (double)b.records / both : 0.0, rss);
	arena_fini(&b.a);
	return bad;
}
