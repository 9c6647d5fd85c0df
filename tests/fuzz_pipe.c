/* SPDX-License-Identifier: MIT */
/* libFuzzer entry for the whole pipeline with the default model: one
 * record through decode, all four stages and encode. The first byte picks
 * the output format, --strict, --emit and the record's date; the rest is
 * the record's text. The record is packed as msgpack {id, date, text,
 * extra}, run through pipe_record, and its output must be exactly one
 * record: one msgpack map holding entities and quotes (and error when the
 * result says failed), or one JSON line, or abort. Built and run by
 * `make fuzz`; by hand: build-fuzz/fuzz_pipe -max_len=2048 CORPUS_DIR */
#include "fuzz.h"

#include "../pipeline/limits.h"
#include "../pipeline/pipeline.h"
#include "../pipeline/rec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* Opened once; libFuzzer calls in on one thread. The worker (arena and
 * buffers) is reused from input to input, as each thread of `run` reuses
 * its own: it also makes the target some five times faster under ASan. */
static fuzz_models models;
static pipe_worker worker;
static msgpack_sbuffer out;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	models = fuzz_models_open();
	pipe_worker_init(&worker);
	msgpack_sbuffer_init(&out);
	return 0;
}

static const char *const dates[] = {NULL, "2024-05-09", "2016-11-08T10:00:00Z", "bad"};

static int has_key(const msgpack_object *m, const char *k)
{
	return rec_map_get(m, k) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 1 || n - 1 > REC_MAX_TEXT_BYTES)
		return 0;
	unsigned flags = d[0];
	const char *date = dates[(flags >> 3) % (sizeof dates / sizeof *dates)];
	msgpack_sbuffer in;
	msgpack_sbuffer_init(&in);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &in, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, date ? 4 : 3);
	msgpack_pack_str_with_body(&pk, "id", 2);
	msgpack_pack_str_with_body(&pk, "fuzz", 4);
	if (date) {
		msgpack_pack_str_with_body(&pk, "date", 4);
		msgpack_pack_str_with_body(&pk, date, strlen(date));
	}
	msgpack_pack_str_with_body(&pk, "text", 4);
	msgpack_pack_str_with_body(&pk, d + 1, n - 1);
	msgpack_pack_str_with_body(&pk, "extra", 5);
	msgpack_pack_array(&pk, 2);
	msgpack_pack_nil(&pk);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_int(&pk, -1);
	msgpack_pack_double(&pk, 0.5);
	char *raw_bytes = fuzz_copy((const uint8_t *)in.data, in.size);
	rec_raw raw;
	memset(&raw, 0, sizeof raw);
	raw.buf = raw_bytes;
	raw.len = in.size;
	raw.fmt = REC_FMT_MPK;
	raw.e = ERR_OK;

	pipe_cfg cfg = {.gaz = models.g,
			.quote = models.q,
			.emit = (flags & 4) ? PIPE_EMIT_TOKENS | PIPE_EMIT_SENTENCES : 0,
			.strict = (flags & 2) != 0,
			.out_fmt = (flags & 1) ? REC_FMT_JSONL : REC_FMT_MPK};
	msgpack_sbuffer_clear(&out);
	pipe_result res;
	if (pipe_record(&cfg, &worker, &raw, 7, &out, &res) != ERR_OK || out.size == 0)
		abort();
	if (cfg.out_fmt == REC_FMT_JSONL) {
		/* one line: a newline at the end and nowhere else */
		if (out.data[out.size - 1] != '\n' || memchr(out.data, '\n', out.size - 1) != NULL ||
		    out.data[0] != '{')
			abort();
	} else {
		msgpack_zone z;
		msgpack_zone_init(&z, 4096);
		msgpack_object root;
		size_t off = 0;
		if (msgpack_unpack(out.data, out.size, &off, &z, &root) != MSGPACK_UNPACK_SUCCESS ||
		    off != out.size || root.type != MSGPACK_OBJECT_MAP || !has_key(&root, "entities") ||
		    !has_key(&root, "quotes") || !has_key(&root, "extra") ||
		    has_key(&root, "error") != (res.failed != 0))
			abort();
		msgpack_zone_destroy(&z);
	}
	free(raw_bytes);
	msgpack_sbuffer_destroy(&in);
	return 0;
}
