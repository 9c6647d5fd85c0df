/* SPDX-License-Identifier: MIT */
/* The commands run, pack and model build: argument parsing, the model,
 * and the glue between record I/O, the pool and the pipeline. Records are
 * numbered from 0 across all input files; every one of them gives exactly
 * one output record, and stderr gets one line per failed or warned record,
 * in input order (the writer prints them). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../stages/gaz.h"
#include "../stages/quote.h"
#include "cmd.h"
#include "limits.h"
#include "model.h"
#include "pipeline.h"
#include "pool.h"
#include "rec.h"


int cmd_default_model(char *buf, size_t cap)
{
	const char *env = getenv("WHOSAID_MODEL");
	if (env && *env) {
		if (strlen(env) >= cap)
			return -1;
		strcpy(buf, env);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	slash[1] = '\0';
	int k = snprintf(buf, cap, "%swhosaid.model", exe);
	return k > 0 && (size_t)k < cap ? 0 : -1;
}

/* Checks every input up front, so that an unreadable file is a usage-time
 * failure (exit 2) and not a surprise after an hour of work. */
int cmd_check_inputs(char **files, int n, const char *out_path)
{
	int bad = 0;
	struct stat ost;
	int have_out = out_path && strcmp(out_path, "-") != 0 && stat(out_path, &ost) == 0 &&
		       S_ISREG(ost.st_mode);
	for (int i = 0; i < n; i++) {
		if (strcmp(files[i], "-") == 0)
			continue;
		struct stat st;
		if (stat(files[i], &st) != 0) {
			fprintf(stderr, "whosaid: %s: %s\n", files[i], strerror(errno));
			bad = 1;
		} else if (S_ISDIR(st.st_mode)) {
			fprintf(stderr, "whosaid: %s: is a directory\n", files[i]);
			bad = 1;
		} else if (access(files[i], R_OK) != 0) {
			fprintf(stderr, "whosaid: %s: %s\n", files[i], strerror(errno));
			bad = 1;
		} else if (have_out && st.st_dev == ost.st_dev && st.st_ino == ost.st_ino) {
			fprintf(stderr, "whosaid: %s: is also the output (-o); it would be overwritten\n",
				files[i]);
			bad = 1;
		}
	}
	return bad;
}

/* The output's stdio buffer: 256 KiB, so that output goes out in few
 * write calls (glibc ignores setvbuf's size without a buffer of ours, and
 * takes 4 KiB: one write call per 4 KiB was some 2% of a run). */
#define OUT_BUF_BYTES ((size_t)1 << 18)

/* Opens the output (standard output for NULL or "-") with a buffer of
 * OUT_BUF_BYTES in *buf; close_output frees it, but standard output's,
 * which stdio holds until exit. */
static FILE *open_output(const char *path, char **buf)
{
	FILE *f = stdout;
	*buf = NULL;
	if (path && strcmp(path, "-") != 0) {
		f = fopen(path, "wb");
		if (!f) {
			fprintf(stderr, "whosaid: %s: %s\n", path, strerror(errno));
			return NULL;
		}
	}
	*buf = malloc(OUT_BUF_BYTES);
	if (*buf)
		setvbuf(f, *buf, _IOFBF, OUT_BUF_BYTES);
	return f;
}

static void discard_output(FILE *f, char *buf)
{
	if (f != stdout) {
		fclose(f);
		free(buf);
	}
}

static int close_output(FILE *f, const char *path, char *buf)
{
	int bad = ferror(f) != 0, e = errno;
	if (fflush(f) != 0) {
		bad = 1;
		e = errno;
	}
	if (f != stdout) {
		if (fclose(f) != 0 && !bad) {
			bad = 1;
			e = errno;
		}
		free(buf);
	}
	if (bad)
		fprintf(stderr, "whosaid: writing %s failed: %s\n", path ? path : "standard output",
			strerror(e));
	return bad;
}

/* ---- the input stream over several files ---- */

typedef struct {
	char **files;
	int n_files, cur; /* cur: index of the open file */
	rec_reader *r;
	uint64_t pos;  /* records read so far */
	int io_failed; /* a file could not be read: exit 2 */
} input;

static const char *input_name(const input *in)
{
	if (in->n_files == 0)
		return "standard input";
	return in->files[in->cur];
}

/* The next framed record, with *got = 0 at the end of all input. */
static void input_next(input *in, rec_raw *raw, int *got)
{
	*got = 0;
	for (;;) {
		if (!in->r) {
			int last = in->n_files == 0 ? 0 : in->n_files - 1;
			if (in->cur > last)
				return;
			err_info ei = {ERR_OK, ""};
			const char *path = in->n_files == 0 ? NULL : in->files[in->cur];
			if (rec_reader_open(path, &in->r, &ei) != ERR_OK) {
				fprintf(stderr, "whosaid: %s\n", ei.msg);
				in->io_failed = 1;
				in->cur++;
				continue;
			}
		}
		err_info ei = {ERR_OK, ""};
		err e = rec_read(in->r, raw, got, &ei);
		if (e == ERR_OK && *got)
			return;
		if (e != ERR_OK) {
			fprintf(stderr, "whosaid: %s: %s\n", input_name(in), ei.msg);
			in->io_failed = 1;
		}
		rec_reader_close(in->r);
		in->r = NULL;
		in->cur++;
		*got = 0;
	}
}

/* ---- run ---- */

/* The progress line on stderr (a terminal): refreshed at most every
 * PROGRESS_NS, checked with a coarse clock (a few ns) once per record. */
#define PROGRESS_NS 250000000u

typedef struct {
	int on;
	uint64_t *base;  /* byte offset of each input file in the whole input */
	uint64_t total;  /* bytes of all input, 0 when unknown (a pipe) */
	uint64_t next;   /* coarse clock at which to refresh next */
	int shown;       /* a line is on the screen */
} progress;

typedef struct {
	input in;
	pipe_cfg cfg;
	FILE *out;
	uint64_t n_failed, n_warned;
	int write_failed, write_errno;
	int in_place; /* -j 1: records are worked in the reader's buffer, not copied */
	/* --stats and the progress line; written by the writer's turn only,
	 * but for t_first and read_ns (the reader's turn). */
	uint64_t t_start, t_first; /* pipe_clock_ns at the start, at the first record read */
	uint64_t n_written, text_bytes, in_bytes, done_bytes;
	uint64_t ns[PIPE_T_N];
	uint64_t read_ns, write_ns;
	progress pg;
} run_ctx;

typedef struct {
	rec_raw raw;
	char *in; /* the record's bytes, copied once from the reader */
	size_t in_cap;
	uint64_t pos;
	int file; /* index into the input files */
	uint64_t read_ns; /* time the reader spent on it, when timing */
	msgpack_sbuffer out;
	pipe_result res;
} run_item;

static uint64_t coarse_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sizes of the inputs, when they are all regular files (or standard input
 * is one): the progress line's percentage and ETA. */
static void progress_sizes(progress *pg, char **files, int n)
{
	int k = n ? n : 1;
	pg->base = calloc((size_t)k + 1, sizeof *pg->base);
	if (!pg->base)
		return;
	uint64_t sum = 0;
	int known = 1;
	for (int i = 0; i < k; i++) {
		struct stat st;
		int ok = n == 0 || strcmp(files[i], "-") == 0 ? fstat(0, &st) == 0 : stat(files[i], &st) == 0;
		pg->base[i] = sum;
		if (ok && S_ISREG(st.st_mode))
			sum += (uint64_t)st.st_size;
		else
			known = 0;
	}
	pg->base[k] = sum;
	pg->total = known ? sum : 0;
}

static void fmt_eta(char *buf, size_t cap, double s)
{
	if (s >= 3600)
		snprintf(buf, cap, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60) % 60, (int)s % 60);
	else
		snprintf(buf, cap, "%d:%02d", (int)(s / 60), (int)s % 60);
}

static void progress_show(run_ctx *c)
{
	double el = (double)(pipe_clock_ns() - c->t_start) / 1e9;
	if (el <= 0)
		return;
	char line[200];
	int n = snprintf(line, sizeof line, "\rwhosaid: %llu records  %.0f records/s  %.1f MB/s",
			 (unsigned long long)c->n_written, (double)c->n_written / el,
			 (double)c->done_bytes / 1e6 / el);
	if (c->pg.total && c->done_bytes && n > 0 && (size_t)n < sizeof line) {
		double frac = (double)c->done_bytes / (double)c->pg.total;
		if (frac > 1)
			frac = 1;
		char eta[32];
		fmt_eta(eta, sizeof eta, el / frac - el);
		n += snprintf(line + n, sizeof line - (size_t)n, "  %.0f%%  ETA %s", frac * 100, eta);
	}
	fputs(line, stderr);
	fputs("\033[K", stderr);
	c->pg.shown = 1;
}

static void progress_clear(run_ctx *c)
{
	if (c->pg.shown)
		fputs("\r\033[K", stderr);
	c->pg.shown = 0;
}

static void item_init(void *ctx, void *it)
{
	(void)ctx;
	run_item *item = it;
	msgpack_sbuffer_init(&item->out);
}

static void item_fini(void *ctx, void *it)
{
	(void)ctx;
	run_item *item = it;
	free(item->in);
	msgpack_sbuffer_destroy(&item->out);
}

static void *worker_new(void *ctx)
{
	(void)ctx;
	pipe_worker *w = malloc(sizeof *w);
	if (w)
		pipe_worker_init(w);
	return w;
}

static void worker_free(void *ctx, void *w)
{
	(void)ctx;
	pipe_worker_fini(w);
	free(w);
}

static int run_read(void *ctx, void *it)
{
	run_ctx *c = ctx;
	run_item *item = it;
	int got;
	uint64_t t0 = c->cfg.timing ? pipe_clock_ns() : 0;
	input_next(&c->in, &item->raw, &got);
	if (!got)
		return 0;
	item->pos = c->in.pos++;
	item->file = c->in.cur;
	if (item->pos == 0)
		c->t_first = pipe_clock_ns();
	if (c->in_place) { /* the bytes stay valid until the next read, after the write */
		item->read_ns = c->cfg.timing ? pipe_clock_ns() - t0 : 0;
		return 1;
	}
	if (item->raw.len > item->in_cap) {
		size_t cap = item->raw.len;
		char *nb = realloc(item->in, cap);
		if (!nb) {
			item->raw.e = ERR_NOMEM;
			snprintf(item->raw.msg, sizeof item->raw.msg, "out of memory for a record of %zu bytes",
				 item->raw.len);
			item->raw.len = 0;
		} else {
			item->in = nb;
			item->in_cap = cap;
		}
	}
	if (item->raw.len)
		memcpy(item->in, item->raw.buf, item->raw.len);
	item->raw.buf = item->in;
	item->read_ns = c->cfg.timing ? pipe_clock_ns() - t0 : 0;
	return 1;
}

static void run_work(void *ctx, void *w, void *it)
{
	run_ctx *c = ctx;
	run_item *item = it;
	msgpack_sbuffer_clear(&item->out);
	if (pipe_record(&c->cfg, w, &item->raw, item->pos, &item->out, &item->res) != ERR_OK) {
		msgpack_sbuffer_clear(&item->out);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &item->out, msgpack_sbuffer_write);
		pipe_error_record(&pk, ERR_NOMEM, "out of memory while writing the output record", item->pos,
				  item->raw.line, 1);
		if (c->cfg.out_fmt == REC_FMT_JSONL) {
			/* A fixed line: nothing more can be allocated safely. */
			msgpack_sbuffer_clear(&item->out);
			char line[160];
			int n = snprintf(line, sizeof line,
					 "{\"entities\":[],\"quotes\":[],\"error\":{\"code\":\"nomem\",\"message\":\"out of memory\",\"position\":%llu}}\n",
					 (unsigned long long)item->pos);
			msgpack_sbuffer_write(&item->out, line, (size_t)n);
		}
		item->res.failed = 1;
		snprintf(item->res.note, sizeof item->res.note, "record %llu: %s",
			 (unsigned long long)item->pos, err_str(ERR_NOMEM));
	}
}

static int run_write(void *ctx, void *it)
{
	run_ctx *c = ctx;
	run_item *item = it;
	uint64_t t0 = c->cfg.timing ? pipe_clock_ns() : 0;
	c->n_written++;
	c->text_bytes += item->res.text_len;
	c->in_bytes += item->raw.len;
	for (int i = 0; i < PIPE_T_N; i++)
		c->ns[i] += item->res.ns[i];
	c->read_ns += item->read_ns;
	if (c->pg.on) {
		if (c->pg.base)
			c->done_bytes = c->pg.base[item->file] + item->raw.offset + item->raw.len;
		else
			c->done_bytes += item->raw.len;
		uint64_t now = coarse_ns();
		if (now >= c->pg.next) {
			c->pg.next = now + PROGRESS_NS;
			if (c->n_written > 1) /* not for a run that ends at once */
				progress_show(c);
		}
	}
	if (item->res.note[0]) {
		progress_clear(c);
		if (c->in.n_files > 1)
			fprintf(stderr, "whosaid: %s: %s\n", c->in.files[item->file], item->res.note);
		else
			fprintf(stderr, "whosaid: %s\n", item->res.note);
	}
	c->n_failed += (uint64_t)item->res.failed;
	c->n_warned += (uint64_t)item->res.warned;
	if (item->out.size && fwrite(item->out.data, 1, item->out.size, c->out) != item->out.size) {
		c->write_failed = 1;
		c->write_errno = errno;
		return -1;
	}
	if (item->out.alloc > REC_KEEP_BUF_BYTES) {
		msgpack_sbuffer_destroy(&item->out);
		msgpack_sbuffer_init(&item->out);
	}
	if (item->in_cap > REC_KEEP_BUF_BYTES) {
		free(item->in);
		item->in = NULL;
		item->in_cap = 0;
	}
	if (c->cfg.timing)
		c->write_ns += pipe_clock_ns() - t0;
	return 0;
}

/* ---- --stats ---- */

static double cpu_seconds(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

enum { STATS_OFF, STATS_TEXT, STATS_JSON };

/* The shares: each step's time over the time of all steps timed (the
 * stages, and read/write: reading, decoding, encoding and writing records),
 * summed over the workers. The clock is CLOCK_MONOTONIC (cheap): waiting
 * for a disk or a pipe counts in read/write, and on a busy machine a
 * worker's time off the CPU counts in whatever step it fell. A step's MB/s
 * per core is the text over the time workers spent in it; on an idle
 * machine that is its CPU time. */
static void print_stats(run_ctx *c, int mode, long jobs, const pool_stats *ps)
{
	double wall = (double)(pipe_clock_ns() - c->t_start) / 1e9;
	double cpu = cpu_seconds();
	double mb = (double)c->text_bytes / 1e6, in_mb = (double)c->in_bytes / 1e6;
	double startup = c->n_written ? (double)(c->t_first - c->t_start) / 1e6 : 0;
	static const char *const names[] = {"tokenize", "sentences", "entities", "quotes", "read/write"};
	static const char *const keys[] = {"tokenize", "sentences", "entities", "quotes", "read_write"};
	double t[5] = {
		(double)c->ns[PIPE_T_TOK],
		(double)c->ns[PIPE_T_SENT],
		(double)c->ns[PIPE_T_GAZ],
		(double)c->ns[PIPE_T_QUOTE],
		(double)(c->ns[PIPE_T_DECODE] + c->ns[PIPE_T_ENCODE] + c->read_ns + c->write_ns),
	};
	double sum = t[0] + t[1] + t[2] + t[3] + t[4];
	double per_core = cpu > 0 ? mb / cpu : 0, per_wall = wall > 0 ? mb / wall : 0;
	if (mode == STATS_JSON) {
		fprintf(stderr,
			"{\"records\":%llu,\"failed\":%llu,\"warned\":%llu,\"text_mb\":%.3f,\"input_mb\":%.3f,"
			"\"jobs\":%ld,\"wall_s\":%.3f,\"cpu_s\":%.3f,\"mb_per_s_per_core\":%.2f,"
			"\"mb_per_s_wall\":%.2f,\"startup_ms\":%.1f,\"wait_s\":%.3f,\"stages\":{",
			(unsigned long long)c->n_written, (unsigned long long)c->n_failed,
			(unsigned long long)c->n_warned, mb, in_mb, jobs, wall, cpu, per_core, per_wall, startup,
			(double)ps->wait_ns / 1e9);
		for (int i = 0; i < 5; i++) {
			double share = sum > 0 ? t[i] / sum : 0;
			fprintf(stderr, "%s\"%s\":{\"share\":%.4f,\"mb_per_s_per_core\":%.2f}", i ? "," : "",
				keys[i], share, t[i] > 0 ? mb / (t[i] / 1e9) : 0);
		}
		fputs("}}\n", stderr);
		return;
	}
	fprintf(stderr, "whosaid: %llu records (%llu failed), %.2f MB of text (%.2f MB of input), -j %ld\n",
		(unsigned long long)c->n_written, (unsigned long long)c->n_failed, mb, in_mb, jobs);
	fprintf(stderr, "whosaid: wall %.3f s, CPU %.3f s: %.2f MB/s per core, %.2f MB/s wall\n", wall,
		cpu, per_core, per_wall);
	fprintf(stderr, "whosaid: start-up %.1f ms (to the first record read)", startup);
	if (jobs > 1)
		fprintf(stderr, ", workers idle %.3f s (%llu waits)", (double)ps->wait_ns / 1e9,
			(unsigned long long)ps->n_waits);
	fputc('\n', stderr);
	fprintf(stderr, "whosaid: %-10s %6s  %s\n", "stage", "share", "MB/s per core");
	for (int i = 0; i < 5; i++) {
		double share = sum > 0 ? t[i] / sum : 0;
		fprintf(stderr, "whosaid: %-10s %5.1f%%  %.1f\n", names[i], share * 100,
			t[i] > 0 ? mb / (t[i] / 1e9) : 0);
	}
}

static const char run_usage[] =
	"usage: whosaid run [-j N] [-m MODEL] [--format mpk|jsonl] [--emit tokens,sentences]\n"
	"                   [--strict] [--stats[=json]] [--quiet] [-o FILE] [FILE...]\n"
	"Runs the pipeline over input records (msgpack or JSON Lines, told apart by the\n"
	"first non-blank byte) from FILEs or standard input, and writes one output record\n"
	"per input record, in input order.\n"
	"  -j, --jobs N       worker threads (default: online cores)\n"
	"  -m, --model MODEL  model file (default: $WHOSAID_MODEL, else whosaid.model\n"
	"                     beside the executable)\n"
	"  -f, --format F     output format: mpk (msgpack, default) or jsonl\n"
	"  -e, --emit LIST    also write tokens and/or sentences as [start, end] arrays\n"
	"  -s, --strict       a record with invalid UTF-8 becomes an error record\n"
	"  -o, --output FILE  write to FILE instead of standard output\n"
	"      --stats[=json] at the end, print records, MB of text, wall and CPU time,\n"
	"                     MB/s per core and each stage's share on stderr (as one\n"
	"                     JSON object with =json)\n"
	"  -q, --quiet        no progress line (shown when stderr is a terminal)\n"
	"      --progress     the progress line even when stderr is not a terminal\n"
	"  -h, --help         this help\n"
	"Exit status: 0 all records processed; 1 some records carry an error;\n"
	"2 bad usage, unreadable model, input or output.\n";

static int parse_format(const char *s, rec_format *out)
{
	if (strcmp(s, "mpk") == 0 || strcmp(s, "msgpack") == 0)
		*out = REC_FMT_MPK;
	else if (strcmp(s, "jsonl") == 0 || strcmp(s, "json") == 0)
		*out = REC_FMT_JSONL;
	else
		return -1;
	return 0;
}

static int parse_emit(const char *s, unsigned *emit)
{
	while (*s) {
		size_t n = strcspn(s, ",");
		if (n == 6 && strncmp(s, "tokens", 6) == 0)
			*emit |= PIPE_EMIT_TOKENS;
		else if (n == 9 && strncmp(s, "sentences", 9) == 0)
			*emit |= PIPE_EMIT_SENTENCES;
		else if (n != 0)
			return -1;
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
	fprintf(stderr, "whosaid: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage);
	return 2;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"jobs", required_argument, NULL, 'j'},   {"model", required_argument, NULL, 'm'},
		{"format", required_argument, NULL, 'f'}, {"emit", required_argument, NULL, 'e'},
		{"strict", no_argument, NULL, 's'},       {"output", required_argument, NULL, 'o'},
		{"stats", optional_argument, NULL, 'S'},  {"quiet", no_argument, NULL, 'q'},
		{"progress", no_argument, NULL, 'P'},     {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	uint64_t t_start = pipe_clock_ns();
	int stats = STATS_OFF, quiet = 0, force_progress = 0;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	/* A closed pipe on output is reported (EPIPE) and ends the run with
	 * status 2, rather than killing the process without a word. */
	signal(SIGPIPE, SIG_IGN);
	const char *model_path = NULL, *out_path = NULL;
	run_ctx c;
	memset(&c, 0, sizeof c);
	c.cfg.out_fmt = REC_FMT_MPK;
	optind = 1;
	int ch;
	while ((ch = getopt_long(argc, argv, "j:m:f:e:so:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': {
			char *end;
			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (errno || *end || jobs < 1 || jobs > POOL_MAX_WORKERS)
				return usage_error(run_usage, "-j wants a number from 1 to 256, not '%s'", optarg);
			break;
		}
		case 'm': model_path = optarg; break;
		case 'f':
			if (parse_format(optarg, &c.cfg.out_fmt) != 0)
				return usage_error(run_usage, "unknown format '%s' (mpk or jsonl)", optarg);
			break;
		case 'e':
			if (parse_emit(optarg, &c.cfg.emit) != 0)
				return usage_error(run_usage, "--emit takes tokens,sentences, not '%s'", optarg);
			break;
		case 's': c.cfg.strict = 1; break;
		case 'o': out_path = optarg; break;
		case 'S':
			if (!optarg || strcmp(optarg, "text") == 0)
				stats = STATS_TEXT;
			else if (strcmp(optarg, "json") == 0)
				stats = STATS_JSON;
			else
				return usage_error(run_usage, "--stats takes =json or nothing, not '%s'", optarg);
			break;
		case 'q': quiet = 1; break;
		case 'P': force_progress = 1; break;
		case 'h': fputs(run_usage, stdout); return 0;
		default: fputs(run_usage, stderr); return 2;
		}
	}
	if (jobs < 1)
		jobs = 1;
	if (jobs > POOL_MAX_WORKERS)
		jobs = POOL_MAX_WORKERS;
	c.in.files = argv + optind;
	c.in.n_files = argc - optind;
	c.in_place = jobs == 1;
	c.t_start = t_start;
	c.cfg.timing = stats != STATS_OFF;
	c.pg.on = !quiet && (force_progress || isatty(STDERR_FILENO));
	if (cmd_check_inputs(c.in.files, c.in.n_files, out_path))
		return 2;

	char def[PATH_MAX];
	if (!model_path) {
		if (cmd_default_model(def, sizeof def) != 0) {
			fprintf(stderr, "whosaid: cannot tell where the default model is; give -m MODEL\n");
			return 2;
		}
		model_path = def;
	}
	err_info ei = {ERR_OK, ""};
	model *m = NULL;
	gaz_model *g = NULL;
	quote_model *q = NULL;
	if (model_open(model_path, &m, &ei) != ERR_OK || gaz_open(m, &g, &ei) != ERR_OK ||
	    quote_open(m, &q, &ei) != ERR_OK) {
		fprintf(stderr, "whosaid: cannot load the model: %s\n", ei.msg);
		if (ei.code == ERR_IO || access(model_path, R_OK) != 0)
			fprintf(stderr, "whosaid: (build it with `make`, or give -m MODEL)\n");
		gaz_close(g);
		model_close(m);
		return 2;
	}
	c.cfg.gaz = g;
	c.cfg.quote = q;
	char *obuf = NULL;
	c.out = open_output(out_path, &obuf);
	if (c.out && c.cfg.out_fmt == REC_FMT_MPK && isatty(fileno(c.out)))
		fprintf(stderr, "whosaid: writing msgpack to a terminal; add --format jsonl, or pipe into "
				"`whosaid dump`\n");
	int status = 0;
	if (c.pg.on) {
		progress_sizes(&c.pg, c.in.files, c.in.n_files);
		c.pg.next = coarse_ns() + PROGRESS_NS;
	}
	if (!c.out) {
		status = 2;
	} else {
		pool_stats ps;
		pool_ops ops = {
			.ctx = &c,
			.item_size = sizeof(run_item),
			.item_init = item_init,
			.item_fini = item_fini,
			.worker_new = worker_new,
			.worker_free = worker_free,
			.read = run_read,
			.work = run_work,
			.write = run_write,
			.stats = &ps,
		};
		err e = pool_run(&ops, (unsigned)jobs);
		progress_clear(&c);
		if (e == ERR_NOMEM)
			fprintf(stderr, "whosaid: cannot start the workers: %s\n", err_str(e));
		rec_reader_close(c.in.r);
		int close_bad = c.write_failed ? 0 : close_output(c.out, out_path, obuf);
		if (c.write_failed) {
			fprintf(stderr, "whosaid: writing %s failed: %s\n", out_path ? out_path : "standard output",
				strerror(c.write_errno));
			discard_output(c.out, obuf);
		}
		if (e != ERR_OK || c.in.io_failed || close_bad || c.write_failed)
			status = 2;
		else if (c.n_failed)
			status = 1;
		if (c.n_failed)
			fprintf(stderr, "whosaid: %llu of %llu records failed\n", (unsigned long long)c.n_failed,
				(unsigned long long)c.in.pos);
		if (stats != STATS_OFF)
			print_stats(&c, stats, jobs, &ps);
	}
	free(c.pg.base);
	quote_close(q);
	gaz_close(g);
	model_close(m);
	return status;
}

/* ---- pack ---- */

static const char pack_usage[] =
	"usage: whosaid pack [-o FILE] [FILE...]\n"
	"Converts JSON Lines records to msgpack records (one map per line, keys in\n"
	"line order). msgpack input is copied through. A broken line becomes a\n"
	"record holding only `error` {code, message, position, line}.\n"
	"  -o, --output FILE  write to FILE instead of standard output\n"
	"  -h, --help         this help\n";

int cmd_pack(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *out_path = NULL;
	signal(SIGPIPE, SIG_IGN);
	optind = 1;
	int ch;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': out_path = optarg; break;
		case 'h': fputs(pack_usage, stdout); return 0;
		default: fputs(pack_usage, stderr); return 2;
		}
	}
	input in = {argv + optind, argc - optind, 0, NULL, 0, 0};
	if (cmd_check_inputs(in.files, in.n_files, out_path))
		return 2;
	char *obuf = NULL;
	FILE *out = open_output(out_path, &obuf);
	if (!out)
		return 2;
	rec_scratch s;
	rec_scratch_init(&s);
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	uint64_t n_failed = 0;
	int write_failed = 0;
	for (;;) {
		rec_raw raw;
		int got;
		input_next(&in, &raw, &got);
		if (!got)
			break;
		uint64_t pos = in.pos++;
		msgpack_sbuffer_clear(&sb);
		err_info ei = {ERR_OK, ""};
		err e = raw.e;
		int bad_utf8 = 0;
		if (e != ERR_OK)
			snprintf(ei.msg, sizeof ei.msg, "%s", raw.msg);
		else if (raw.fmt == REC_FMT_JSONL)
			e = rec_json_to_mpk(raw.buf, raw.len, &s, &sb, &bad_utf8, &ei);
		else if (msgpack_sbuffer_write(&sb, raw.buf, raw.len) != 0)
			e = err_setf(&ei, ERR_NOMEM, "out of memory");
		if (e != ERR_OK) {
			msgpack_sbuffer_clear(&sb);
			msgpack_packer pk;
			msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
			pipe_error_record(&pk, e, ei.msg, pos, raw.line, 0);
			n_failed++;
			fprintf(stderr, "whosaid: %s: record %llu", input_name(&in), (unsigned long long)pos);
			if (raw.line)
				fprintf(stderr, " (line %llu)", (unsigned long long)raw.line);
			fprintf(stderr, ": %s: %s\n", err_str(e), ei.msg);
		} else if (bad_utf8) {
			fprintf(stderr, "whosaid: %s: record %llu (line %llu): warning: invalid UTF-8 replaced by U+FFFD\n",
				input_name(&in), (unsigned long long)pos, (unsigned long long)raw.line);
		}
		if (fwrite(sb.data, 1, sb.size, out) != sb.size) {
			write_failed = 1;
			break;
		}
	}
	rec_reader_close(in.r);
	rec_scratch_fini(&s);
	msgpack_sbuffer_destroy(&sb);
	int close_bad = close_output(out, out_path, obuf);
	if (write_failed || close_bad || in.io_failed)
		return 2;
	return n_failed ? 1 : 0;
}

/* ---- model build ---- */

static const char model_usage[] =
	"usage: whosaid model build [-o MODEL] SRC_DIR\n"
	"Compiles the lists under SRC_DIR (models/src) into one binary model.\n"
	"  -o, --output MODEL  where to write it (default: whosaid.model beside the\n"
	"                      executable)\n"
	"  -h, --help          this help\n";

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_model(int argc, char **argv)
{
	if (argc < 2) {
		fputs(model_usage, stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(model_usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "build") != 0)
		return usage_error(model_usage, "unknown model command '%s'", argv[1]);
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *out_path = NULL;
	optind = 1;
	int ch;
	while ((ch = getopt_long(argc - 1, argv + 1, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': out_path = optarg; break;
		case 'h': fputs(model_usage, stdout); return 0;
		default: fputs(model_usage, stderr); return 2;
		}
	}
	if (argc - 1 - optind != 1) {
		fputs(model_usage, stderr);
		return 2;
	}
	const char *src = argv[1 + optind];
	struct stat st;
	if (stat(src, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "whosaid: %s: not a directory\n", src);
		return 2;
	}
	char def[PATH_MAX];
	if (!out_path) {
		if (cmd_default_model(def, sizeof def) != 0) {
			fprintf(stderr, "whosaid: cannot tell where the default model goes; give -o MODEL\n");
			return 2;
		}
		out_path = def;
	}
	double t0 = now_sec();
	err_info ei = {ERR_OK, ""};
	model_writer *w = NULL;
	err e = model_writer_open(&w);
	if (e != ERR_OK)
		err_setf(&ei, e, "%s", err_str(e));
	if (e == ERR_OK)
		e = gaz_build(src, w, &ei);
	if (e == ERR_OK)
		e = quote_build(src, w, &ei);
	if (e == ERR_OK)
		e = model_writer_save(w, out_path, &ei);
	model_writer_close(w);
	if (e != ERR_OK) {
		fprintf(stderr, "whosaid: model build failed: %s\n", ei.msg[0] ? ei.msg : err_str(e));
		return 2;
	}
	double t1 = now_sec();
	long long size = stat(out_path, &st) == 0 ? (long long)st.st_size : -1;
	fprintf(stderr, "whosaid: built %s: %lld bytes in %.3f s\n", out_path, size, t1 - t0);
	return 0;
}
