/* SPDX-License-Identifier: MIT */
/* Replays a libFuzzer target without libFuzzer, for `make test`: the
 * Makefile links each tests/fuzz_NAME.c with this main into
 * $B/tests/test_fuzz_NAME (any compiler, the build's own flags, so ASan
 * and UBSan in `make asan test`). With no arguments it runs the target on
 * every file of tests/fuzz/corpus/NAME (the seeds), tests/fuzz/corpus/text
 * (for the text targets) and tests/fuzz/regress/NAME (inputs that once
 * crashed a target: each stays a test); with arguments, on those files.
 * The targets abort on a broken invariant; a clean pass prints one line.
 * The model is $WHOSAID_MODEL, else $B/whosaid.model. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_NAME
#error "build with -DFUZZ_NAME=\"tok\" (the Makefile does)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int text_target(void)
{
	static const char *const text[] = {"tok", "sent", "gaz", "quote", "pipe"};
	for (size_t i = 0; i < sizeof text / sizeof *text; i++)
		if (strcmp(FUZZ_NAME, text[i]) == 0)
			return 1;
	return 0;
}

/* Runs the target on one file; returns 1 when it was read. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "test_fuzz_%s: cannot read %s\n", FUZZ_NAME, path);
		exit(1);
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fprintf(stderr, "test_fuzz_%s: out of memory\n", FUZZ_NAME);
			exit(1);
		}
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
	}
	fclose(f);
	/* an exactly sized copy, as libFuzzer hands the target */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact)
		exit(1);
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every regular file of dir, in name order; a missing dir counts 0. */
static unsigned run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **nn = realloc(names, cap * sizeof *names);
			if (!nn)
				exit(1);
			names = nn;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n])
			exit(1);
		snprintf(names[n], len, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	unsigned ran = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			ran += (unsigned)run_file(names[i]);
		free(names[i]);
	}
	free(names);
	return ran;
}

int main(int argc, char **argv)
{
	char model[4096];
	const char *b = getenv("B");
	if (!getenv("WHOSAID_MODEL")) {
		snprintf(model, sizeof model, "%s/whosaid.model", b && *b ? b : "build");
		setenv("WHOSAID_MODEL", model, 1);
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	unsigned ran = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			ran += (unsigned)run_file(argv[i]);
	} else {
		ran += run_dir("tests/fuzz/corpus/" FUZZ_NAME);
		if (text_target())
			ran += run_dir("tests/fuzz/corpus/text");
		ran += run_dir("tests/fuzz/regress/" FUZZ_NAME);
	}
	if (ran == 0) {
		fprintf(stderr, "test_fuzz_%s: no input found (run from the repository root)\n", FUZZ_NAME);
		return 1;
	}
	printf("test_fuzz_%s: %u inputs replayed, no invariant broken\n", FUZZ_NAME, ran);
	return 0;
}
