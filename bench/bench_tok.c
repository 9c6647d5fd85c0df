/* SPDX-License-Identifier: MIT */
/* Times the tokenizer alone over a corpus (see bench.h), on the thread's
 * CPU clock, one tok_scan per record into a reset arena:
 *
 *   bench_tok [-m MODEL] CORPUS
 *     prints: tok  N MB/s per core  N records/s  peak RSS N MB  (detail)
 *
 * Two helper modes serve bench/run.sh, so that it needs nothing beyond
 * what the project builds:
 *
 *   bench_tok --make-corpus MB OUT IN.jsonl...
 *     repeats the records of IN (id, date, source, title, text; other keys
 *     such as gold dropped; ids get "#k") until their texts reach MB
 *     megabytes, and writes OUT.jsonl and the same texts as raw text,
 *     separated by blank lines, to OUT.txt;
 *   bench_tok --time CMD [ARG...]
 *     runs CMD with its output thrown away and prints its wall time, CPU
 *     time (user + system) and peak RSS. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../pipeline/limits.h"
#include "../stages/tok.h"
#include "bench.h"

typedef struct {
	arena a;
	double cpu, bytes;
	unsigned long records, tokens;
} bench;

static int one(void *ctx, const char *text, size_t len, const char *date)
{
	bench *b = ctx;
	(void)date;
	if (len > REC_MAX_TEXT_BYTES)
		return 0;
	arena_reset(&b->a);
	tok_list t;
	double t0 = bench_now(CLOCK_THREAD_CPUTIME_ID);
	err e = tok_scan(text, (uint32_t)len, &b->a, &t);
	b->cpu += bench_now(CLOCK_THREAD_CPUTIME_ID) - t0;
	if (e) {
		fprintf(stderr, "bench_tok: record %lu: %s\n", b->records, err_str(e));
		return 1;
	}
	b->bytes += (double)len;
	b->records++;
	b->tokens += t.n;
	return 0;
}

static int make_corpus(double mb, const char *out, char **in, int n_in)
{
	char path[4096];
	snprintf(path, sizeof path, "%s.jsonl", out);
	FILE *fj = fopen(path, "w");
	snprintf(path, sizeof path, "%s.txt", out);
	FILE *ft = fopen(path, "w");
	if (!fj || !ft) {
		perror(path);
		return 2;
	}
	double bytes = 0;
	for (unsigned rep = 0; bytes < mb * 1e6; rep++) {
		double before = bytes;
		for (int k = 0; k < n_in; k++) {
			FILE *f = fopen(in[k], "r");
			if (!f) {
				perror(in[k]);
				return 2;
			}
			char *line = NULL;
			size_t cap = 0;
			while (getline(&line, &cap, f) > 0) {
				json_error_t je;
				json_t *r = json_loads(line, 0, &je);
				json_t *tx = r ? json_object_get(r, "text") : NULL;
				if (!json_is_string(tx)) {
					json_decref(r);
					continue;
				}
				json_t *o = json_object();
				json_t *id = json_object_get(r, "id");
				char idbuf[512];
				snprintf(idbuf, sizeof idbuf, "%s#%u", json_is_string(id) ? json_string_value(id) : "", rep);
				json_object_set_new(o, "id", json_string(idbuf));
				static const char *const keep[] = {"date", "source", "title"};
				for (size_t q = 0; q < sizeof keep / sizeof *keep; q++) {
					json_t *v = json_object_get(r, keep[q]);
					if (v)
						json_object_set(o, keep[q], v);
				}
				json_object_set(o, "text", tx);
				char *d = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
				if (d) {
					fputs(d, fj);
					fputc('\n', fj);
					free(d);
				}
				fwrite(json_string_value(tx), 1, json_string_length(tx), ft);
				fputs("\n\n", ft);
				bytes += (double)json_string_length(tx);
				json_decref(o);
				json_decref(r);
			}
			free(line);
			fclose(f);
		}
		if (bytes == before) {
			fprintf(stderr, "bench_tok: no text in the input\n");
			return 2;
		}
	}
	if (fclose(fj) || fclose(ft)) {
		perror(out);
		return 2;
	}
	return 0;
}

static int time_cmd(char **argv)
{
	double t0 = bench_now(CLOCK_MONOTONIC);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	double wall = bench_now(CLOCK_MONOTONIC) - t0;
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
	printf("wall %.3f s  cpu %.3f s  peak RSS %.1f MB  exit %d\n", wall, cpu,
	       (double)ru.ru_maxrss / 1024.0, WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "--make-corpus") == 0)
		return make_corpus(atof(argv[2]), argv[3], argv + 4, argc - 4);
	if (argc >= 3 && strcmp(argv[1], "--time") == 0)
		return time_cmd(argv + 2);
	const char *corpus = bench_corpus_arg(argc, argv);
	if (!corpus) {
		fprintf(stderr, "usage: bench_tok [-m MODEL] CORPUS\n"
				"       bench_tok --make-corpus MB OUT IN.jsonl...\n"
				"       bench_tok --time CMD [ARG...]\n");
		return 2;
	}
	bench b;
	memset(&b, 0, sizeof b);
	arena_init(&b.a, REC_ARENA_CAP);
	int bad = bench_corpus(corpus, one, &b);
	double mb = b.bytes / 1e6;
	printf("tok  %.1f MB/s per core  %.0f records/s  peak RSS %.1f MB  (%.1f MB, %lu records, %lu tokens)\n",
	       b.cpu > 0 ? mb / b.cpu : 0.0, b.cpu > 0 ? (double)b.records / b.cpu : 0.0,
	       bench_peak_rss_mb(), mb, b.records, b.tokens);
	arena_fini(&b.a);
	return bad;
}
