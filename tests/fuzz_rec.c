/* SPDX-License-Identifier: MIT */
/* libFuzzer entry for record I/O and the driver: the bytes are an input
 * stream (msgpack or JSON Lines); every framed record goes through the
 * pipeline without a model, in msgpack and in JSON output, JSON lines
 * through both converters (fast path and jansson: same bytes), and then
 * dump's field encoders. -std=c11 -D_DEFAULT_SOURCE as in the Makefile. Built
 * and run by `make fuzz` (build-fuzz/fuzz_rec, seeded with the sample and
 * the golden inputs); never by make test. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../pipeline/dump.h"
#include "../pipeline/pipeline.h"
#include "../pipeline/rec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* One worker and output buffer, reused from input to input as each
 * thread of `run` reuses its own (and five times faster under ASan). */
static pipe_worker w;
static msgpack_sbuffer out;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	pipe_worker_init(&w);
	msgpack_sbuffer_init(&out);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *copy = malloc(n ? n : 1); /* exactly sized: ASan sees over-reads */
	if (!copy)
		return 0;
	memcpy(copy, d, n);
	rec_reader *r;
	if (rec_reader_open_mem(copy, n, &r) != ERR_OK) {
		free(copy);
		return 0;
	}
	uint64_t pos = 0;
	/* at most 16 records per input: a stream of one-byte error records
	 * costs as much per record as a real one, and every record goes the
	 * same paths, so more only slows the fuzzer down */
	for (; pos < 16;) {
		rec_raw raw;
		int got;
		err_info ei;
		if (rec_read(r, &raw, &got, &ei) != ERR_OK || !got)
			break;
		for (int f = 0; f < 2; f++) {
			pipe_cfg cfg = {.out_fmt = f ? REC_FMT_JSONL : REC_FMT_MPK,
					.emit = PIPE_EMIT_TOKENS | PIPE_EMIT_SENTENCES, .strict = f};
			pipe_result res;
			msgpack_sbuffer_clear(&out);
			if (pipe_record(&cfg, &w, &raw, pos, &out, &res) != ERR_OK)
				abort();
		}
		if (raw.e == ERR_OK && raw.fmt == REC_FMT_JSONL) {
			/* the JSON fast path and jansson agree byte for byte */
			msgpack_sbuffer a, b;
			msgpack_sbuffer_init(&a);
			msgpack_sbuffer_init(&b);
			err_info ea = {ERR_OK, ""}, eb = {ERR_OK, ""};
			int ua, ub;
			err ra = rec_json_to_mpk(raw.buf, raw.len, &w.s, &a, &ua, &ea);
			err rb = rec_json_to_mpk_ref(raw.buf, raw.len, &w.s, &b, &ub, &eb);
			if (ra != rb || ua != ub || a.size != b.size ||
			    (a.size && memcmp(a.data, b.data, a.size) != 0) || strcmp(ea.msg, eb.msg) != 0)
				abort();
			msgpack_sbuffer_destroy(&a);
			msgpack_sbuffer_destroy(&b);
		}
		msgpack_sbuffer_clear(&out);
		if (raw.e == ERR_OK) {
			(void)!dump_csv_field(&out, raw.buf, raw.len);
			(void)!dump_tsv_field(&out, raw.buf, raw.len);
		}
		pos++;
	}
	msgpack_sbuffer_clear(&out);
	rec_reader_close(r);
	free(copy);
	return 0;
}
